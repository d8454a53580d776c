// The Arrow C stream reader (io/arrow_table.hpp) as a C++ CRM embedder uses it: record batches
// built by hand in the Arrow C Data layout (plain and dictionary-encoded text, date32 with a
// null, list<double> with a null month) give the tiers and the located errors of the same
// customers classified one record at a time, rows counted across the batches of a stream.
#include <boost/test/unit_test.hpp>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "classify_fixtures.hpp"
#include "keyaccount/io/arrow_table.hpp"

using namespace classify_test;

namespace {

// Arrays owned by the test: release only marks them released.
void release_array(ArrowArray* a) { a->release = nullptr; }
void release_schema(ArrowSchema* s) { s->release = nullptr; }

// A column's buffers and children, kept alive by the test's `keep`.
struct column {
  ArrowSchema schema{};
  ArrowArray array{};
  std::vector<const void*> buffers;
  std::vector<ArrowSchema*> schema_children;
  std::vector<ArrowArray*> array_children;
};

struct builder {
  std::vector<std::unique_ptr<column>> keep;
  std::vector<std::unique_ptr<std::vector<char>>> bytes;

  template <class T>
  const void* buffer(const std::vector<T>& v) {
    auto b = std::make_unique<std::vector<char>>(v.size() * sizeof(T) + 1);
    if (!v.empty()) std::memcpy(b->data(), v.data(), v.size() * sizeof(T));
    bytes.push_back(std::move(b));
    return bytes.back()->data();
  }

  column& make(const char* format, const char* name, std::int64_t length,
               std::vector<const void*> buffers, std::int64_t null_count = 0) {
    keep.push_back(std::make_unique<column>());
    column& c = *keep.back();
    c.buffers = std::move(buffers);
    c.schema = {format, name, nullptr, 0, 0, nullptr, nullptr, release_schema, nullptr};
    c.array = {length,
               null_count,
               0,
               static_cast<std::int64_t>(c.buffers.size()),
               0,
               c.buffers.data(),
               nullptr,
               nullptr,
               release_array,
               nullptr};
    return c;
  }

  column& strings(const char* name, const std::vector<std::string>& values) {
    std::vector<std::int32_t> offsets{0};
    std::string data;
    for (const auto& v : values) {
      data += v;
      offsets.push_back(static_cast<std::int32_t>(data.size()));
    }
    return make("u", name, static_cast<std::int64_t>(values.size()),
                {nullptr, buffer(offsets), buffer(std::vector<char>(data.begin(), data.end()))});
  }

  void add_child(column& parent, column& child) {
    parent.schema_children.push_back(&child.schema);
    parent.array_children.push_back(&child.array);
    parent.schema.n_children = parent.array.n_children =
        static_cast<std::int64_t>(parent.schema_children.size());
    parent.schema.children = parent.schema_children.data();
    parent.array.children = parent.array_children.data();
  }
};

// Three customers as a record batch; `first_order_null` makes row 1's date null.
column& batch(builder& b, const std::vector<std::string>& ids) {
  column& table = b.make("+s", "", 3, {nullptr});
  b.add_child(table, b.strings("id", ids));
  // category: dictionary<int8, utf8>, rows: government, other, government
  column& dict = b.strings("", {"government", "other"});
  column& category =
      b.make("c", "category", 3, {nullptr, b.buffer(std::vector<std::int8_t>{0, 1, 0})});
  category.schema.dictionary = &dict.schema;
  category.array.dictionary = &dict.array;
  b.add_child(table, category);
  // first_order: date32, row 1 null (bit 1 cleared)
  const auto days = static_cast<std::int32_t>(day("2020-01-15").days_since_epoch());
  b.add_child(table, b.make("tdD", "first_order", 3,
                            {b.buffer(std::vector<std::uint8_t>{0b101}),
                             b.buffer(std::vector<std::int32_t>{days, 0, days})},
                            1));
  // monthly_shipments: list<double>; row 2 = [60, null]
  column& items = b.make("g", "item", 7,
                         {b.buffer(std::vector<std::uint8_t>{0b0111111}),
                          b.buffer(std::vector<double>{60, 70, 80, 10, 20, 60, 0})},
                         1);
  column& list = b.make("+l", "monthly_shipments", 3,
                        {nullptr, b.buffer(std::vector<std::int32_t>{0, 3, 5, 7})});
  b.add_child(list, items);
  b.add_child(table, list);
  b.add_child(table, b.make("g", "cumulative_amount", 3,
                            {nullptr, b.buffer(std::vector<double>{100, 900, 600})}));
  return table;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(io_arrow_table)

BOOST_AUTO_TEST_CASE(arrow_batch_equals_records_one_at_a_time) {
  const auto& c = default_classifier();
  builder b;
  column& t = batch(b, {"A1", "A2", "A3"});
  keyaccount::io::arrow_table_reader reader(c, t.schema);
  BOOST_TEST(reader.has_ids());
  auto columns = reader.read(t.array, 0);
  auto result = reader.classify(*columns, day("2026-06-30"));
  // Row 0 as one record: government, since 2020, shipments 60/70/80, cumulative 100.
  auto record = c.parser().from_json(customer({60, 70, 80}, 100));
  const auto expected = c.classify(record, day("2026-06-30"));
  BOOST_REQUIRE_EQUAL(result.result.tiers.size(), 3u);
  BOOST_TEST(result.result.tiers[0] == static_cast<std::int32_t>(expected.tier));
  BOOST_TEST(result.ids[1] == "A2");
  // Row 1: the date is null (required); row 2: a null month.
  BOOST_REQUIRE_EQUAL(result.result.errors.size(), 2u);
  BOOST_TEST(result.result.errors[0].row == 1u);
  BOOST_TEST(result.result.errors[0].field == "first_order");
  BOOST_TEST(result.result.errors[1].row == 2u);
  BOOST_TEST(result.result.errors[1].field == "monthly_shipments[1]");
  BOOST_TEST(result.result.tiers[1] == -1);
  BOOST_TEST(result.result.tiers[2] == -1);
}

BOOST_AUTO_TEST_CASE(arrow_stream_counts_rows_across_batches) {
  const auto& c = default_classifier();
  struct state {
    builder b;
    std::vector<column*> batches;
    std::size_t next = 0;
  } s;
  s.batches = {&batch(s.b, {"A1", "A2", "A3"}), &batch(s.b, {"B1", "B2", "B3"})};
  ArrowArrayStream stream{};
  stream.private_data = &s;
  stream.get_schema = [](ArrowArrayStream* self, ArrowSchema* out) {
    *out = static_cast<state*>(self->private_data)->batches[0]->schema;
    out->release = release_schema;
    return 0;
  };
  stream.get_next = [](ArrowArrayStream* self, ArrowArray* out) {
    auto* st = static_cast<state*>(self->private_data);
    if (st->next == st->batches.size()) {
      out->release = nullptr;
      return 0;
    }
    *out = st->batches[st->next++]->array;
    return 0;
  };
  stream.get_last_error = [](ArrowArrayStream*) -> const char* { return nullptr; };
  stream.release = [](ArrowArrayStream* self) { self->release = nullptr; };
  std::vector<std::size_t> error_rows;
  std::vector<std::string> ids;
  const std::size_t rows = keyaccount::io::classify_arrow_stream(
      c, stream, day("2026-06-30"), {}, [&](keyaccount::io::arrow_batch& batch) {
        for (const auto& e : batch.result.errors) error_rows.push_back(e.row);
        for (auto id : batch.ids) ids.emplace_back(id);
      });
  BOOST_TEST(rows == 6u);
  BOOST_TEST(error_rows == (std::vector<std::size_t>{1, 2, 4, 5}),
             boost::test_tools::per_element());
  BOOST_TEST(ids.at(3) == "B1");
}

BOOST_AUTO_TEST_CASE(arrow_unknown_column_and_unreadable_type_are_refused) {
  const auto& c = default_classifier();
  builder b;
  column& t = b.make("+s", "", 1, {nullptr});
  b.add_child(t, b.strings("region", {"east"}));
  BOOST_CHECK_EXCEPTION(keyaccount::io::arrow_table_reader(c, t.schema), keyaccount::input_error,
                        [](const auto& e) { return e.field() == "region"; });
  builder b2;
  column& t2 = b2.make("+s", "", 1, {nullptr});
  b2.add_child(t2,
               b2.make("b", "cumulative_amount", 1, {nullptr, b2.buffer(std::vector<char>{1})}));
  BOOST_CHECK_EXCEPTION(keyaccount::io::arrow_table_reader(c, t2.schema), keyaccount::input_error,
                        [](const auto& e) { return e.field() == "cumulative_amount"; });
}

BOOST_AUTO_TEST_SUITE_END()
