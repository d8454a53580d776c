// A customer id given twice in one table (keyaccount/classify/repeated_ids.hpp): each repeat at
// its row with the row that gave the id first, in row order, empty ids never repeated; checked
// against a plain map on tables large enough to be cut into many partitions.
#include "keyaccount/classify/repeated_ids.hpp"

#include <boost/test/unit_test.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace {

using pairs = std::vector<std::pair<std::size_t, std::size_t>>;

pairs by_map(const std::vector<std::string_view>& ids) {
  pairs out;
  std::map<std::string_view, std::size_t> first;
  for (std::size_t row = 0; row < ids.size(); ++row)
    if (!ids[row].empty())
      if (auto [at, fresh] = first.try_emplace(ids[row], row); !fresh)
        out.emplace_back(row, at->second);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(repeated_ids)

BOOST_AUTO_TEST_CASE(each_repeat_names_the_first_row) {
  const std::vector<std::string_view> ids{"C1", "C2", "", "C1", "", "C2", "C1", "C3"};
  const pairs expected{{3, 0}, {5, 1}, {6, 0}};
  BOOST_TEST(keyaccount::repeated_ids(ids) == expected);
  std::vector<std::uint64_t> hashes;
  for (auto id : ids) hashes.push_back(keyaccount::id_hash(id));
  BOOST_TEST(keyaccount::repeated_ids(ids, hashes) == expected);
  BOOST_TEST(keyaccount::repeated_ids({}).empty());
}

BOOST_AUTO_TEST_CASE(a_large_table_agrees_with_a_map) {
  std::mt19937 random(17);
  std::vector<std::string> text;
  for (std::size_t i = 0; i < 200000; ++i)  // about one id in ten repeated
    text.push_back("C" + std::to_string(random() % 180000));
  text[1234].clear();
  const std::vector<std::string_view> ids(text.begin(), text.end());
  const pairs found = keyaccount::repeated_ids(ids);
  BOOST_TEST(found.size() > 10000u);
  BOOST_TEST(found == by_map(ids));
}

BOOST_AUTO_TEST_CASE(the_wording_and_the_streaming_check) {
  BOOST_TEST(keyaccount::given_twice("C1", "customers.jsonl:3") ==
             "customer \"C1\" is given twice (first at customers.jsonl:3)");
  keyaccount::first_places_of_ids lines;
  BOOST_TEST(!lines.repeated("C1", 1).has_value());
  BOOST_TEST(!lines.repeated("", 2).has_value());
  BOOST_TEST(!lines.repeated("", 3).has_value());
  BOOST_TEST(lines.repeated("C1", 4).value() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
