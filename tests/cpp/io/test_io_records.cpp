// keyaccount::io: the one reader of records (JSON Lines, a JSON array, CSV) of every command and
// Python entry point: each record with its line, a byte order mark and CRLF line ends read as
// nothing, a record that cannot be read reported in it, damage that stops the reading (broken
// CSV quoting, on the last line too; a broken JSON array; no CSV header) a located read_error.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "keyaccount/io/records.hpp"

namespace {

using keyaccount::io::format;
using keyaccount::io::read_error;
using keyaccount::io::record;

std::vector<record> read(const std::string& text, format input, bool csv_objects = true) {
  std::istringstream in(text);
  keyaccount::io::read_options options;
  options.input = input;
  options.csv_objects = csv_objects;
  std::vector<record> out;
  keyaccount::io::read_records(in, options, [&](record&& r) {
    out.push_back(std::move(r));
    return true;
  });
  return out;
}

// The read_error `text` ends with, as "LINE:COLUMN: message" (0 for what is unknown).
std::string refusal(const std::string& text, format input) {
  try {
    (void)read(text, input);
  } catch (const read_error& e) {
    return std::to_string(e.line()) + ':' + std::to_string(e.column()) + ": " + e.message();
  }
  return "<read>";
}

std::vector<std::size_t> lines_of(const std::vector<record>& records) {
  std::vector<std::size_t> out;
  for (const auto& r : records) out.push_back(r.line);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(io_records)

BOOST_AUTO_TEST_CASE(json_lines_skip_blank_lines_and_keep_each_records_line) {
  auto r = read("{\"id\": \"A\"}\n\n  \n{\"id\": \"B\"}\r\nnot json\n", format::json);
  BOOST_REQUIRE_EQUAL(r.size(), 3u);
  BOOST_TEST(lines_of(r) == (std::vector<std::size_t>{1, 4, 5}), boost::test_tools::per_element());
  BOOST_TEST(r[0].value.at("id") == "A");
  BOOST_TEST(r[1].value.at("id") == "B");  // CRLF: the CR is white space
  BOOST_TEST(r[2].value.is_null());
  BOOST_TEST(r[2].error.find("not valid JSON: ") == 0, r[2].error);
}

BOOST_AUTO_TEST_CASE(a_json_array_locates_each_element_at_the_line_it_starts) {
  auto r = read("\n[{\"id\": \"A\"},\n 5,\n {\"id\": \"B\",\n  \"x\": \"],[\"}]\n", format::json);
  BOOST_TEST(lines_of(r) == (std::vector<std::size_t>{2, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(r[1].value == 5);
  BOOST_TEST(r[2].value.at("x") == "],[");
  BOOST_TEST(refusal("\n[{\"id\": \"A\"},\n 5 6]", format::json).find("3:4: parse error") == 0,
             refusal("\n[{\"id\": \"A\"},\n 5 6]", format::json));
  BOOST_TEST(refusal("[\n{\"id\": \"A\", \"id\": \"B\"}]", format::json) ==
             "2:13: the key \"id\" appears twice in one object");
}

BOOST_AUTO_TEST_CASE(csv_rows_become_objects_of_text_cells) {
  auto r =
      read("id,tier,gift_amount\nC1,key,800\n\"C,2\",\"say \"\"hi\"\"\",\r\nC3,key\n", format::csv);
  BOOST_REQUIRE_EQUAL(r.size(), 3u);
  BOOST_TEST(lines_of(r) == (std::vector<std::size_t>{2, 3, 4}), boost::test_tools::per_element());
  BOOST_TEST(r[0].value == (nlohmann::json{{"id", "C1"}, {"tier", "key"}, {"gift_amount", "800"}}));
  // Quoted cells keep their commas and quotes; a cell left empty is absent.
  BOOST_TEST(r[1].value == (nlohmann::json{{"id", "C,2"}, {"tier", "say \"hi\""}}));
  BOOST_TEST(r[2].error == "expected 3 cells, got 2");
  BOOST_TEST(r[2].value.is_null());
  // Without objects, the cells are the record (a schema reads them: series as "1;2;3").
  auto cells = read("id,monthly_shipments\nC1,60;70;80\n", format::csv, false);
  BOOST_TEST(cells[0].cells == (std::vector<std::string>{"C1", "60;70;80"}),
             boost::test_tools::per_element());
  BOOST_TEST(cells[0].value.is_null());
}

BOOST_AUTO_TEST_CASE(a_record_ending_inside_a_quote_is_malformed_csv_at_its_line) {
  // On the last line: once silently dropped by one of the two CSV readers there were.
  BOOST_TEST(refusal("id,tier\nC1,key\nC2,\"key\n", format::csv).find("3:0: malformed CSV (") == 0,
             refusal("id,tier\nC1,key\nC2,\"key\n", format::csv));
  BOOST_TEST(refusal("id,tier\nC1,key\nC2,\"key", format::csv).find("3:0: malformed CSV (") == 0);
  // In the middle: a quote inside an unquoted cell.
  BOOST_TEST(refusal("id,tier\nC\"1,key\nC2,key\n", format::csv).find("2:0: malformed CSV (") == 0);
  // A quoted cell may span lines: the record is at the line it ends on.
  auto r = read("id,note\nC1,\"two\nlines\"\nC2,x\n", format::csv);
  BOOST_TEST(lines_of(r) == (std::vector<std::size_t>{3, 4}), boost::test_tools::per_element());
  BOOST_TEST(r[0].value.at("note") == "two\nlines");
}

BOOST_AUTO_TEST_CASE(a_byte_order_mark_is_skipped_and_a_broken_one_refused) {
  const std::string bom = "\xEF\xBB\xBF";
  auto csv = read(bom + "id,tier\r\nC1,key\r\n", format::csv);
  BOOST_REQUIRE_EQUAL(csv.size(), 1u);
  BOOST_TEST(csv[0].value == (nlohmann::json{{"id", "C1"}, {"tier", "key"}}));
  auto json = read(bom + "[{\"id\": \"A\"}]", format::json);
  BOOST_TEST(json.at(0).value.at("id") == "A");
  // Bytes EF BB without BF are no byte order mark: put back and read as what they are.
  std::vector<std::string> header;
  std::istringstream near_miss("\xEF\xBBid,tier\nC1,key\n");
  keyaccount::io::read_options options;
  options.input = format::csv;
  options.on_header = [&](const std::vector<std::string>& h) { header = h; };
  keyaccount::io::read_records(near_miss, options, [](record&&) { return true; });
  BOOST_TEST(header == (std::vector<std::string>{"\xEF\xBBid", "tier"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(empty_input_is_no_records_or_no_csv_header) {
  BOOST_TEST(read("", format::json).empty());
  BOOST_TEST(read("\n  \n", format::json).empty());
  BOOST_TEST(read("[]", format::json).empty());
  BOOST_TEST(refusal("", format::csv) == "0:0: the CSV input has no header row");
  BOOST_TEST(read("id,tier\n", format::csv).empty());
}

BOOST_AUTO_TEST_CASE(the_sink_stops_the_reading_and_what_it_throws_passes_through) {
  std::istringstream in("id\nA\nB\nC\n");
  keyaccount::io::read_options options;
  options.input = format::csv;
  std::vector<std::string> seen;
  keyaccount::io::read_records(in, options, [&](record&& r) {
    seen.push_back(r.value.at("id"));
    return seen.size() < 2;
  });
  BOOST_TEST(seen == (std::vector<std::string>{"A", "B"}), boost::test_tools::per_element());
  std::istringstream again("id\nA\n");
  options.on_header = [](const std::vector<std::string>&) {
    throw std::invalid_argument("unknown column");
  };
  BOOST_CHECK_THROW(keyaccount::io::read_records(again, options, [](record&&) { return true; }),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(files_are_read_in_the_format_their_name_says) {
  BOOST_TEST((keyaccount::io::format_of("a/orders.CSV") == format::csv));
  BOOST_TEST((keyaccount::io::format_of("orders.jsonl") == format::json));
  BOOST_TEST((keyaccount::io::format_of("csv") == format::json));
  const auto dir = std::filesystem::temp_directory_path() / "keyaccount_io_records";
  std::filesystem::create_directories(dir);
  const auto csv = (dir / "stock.csv").string();
  std::ofstream(csv) << "product,quantity\nP,5\n";
  auto r = keyaccount::io::read_file(csv);
  BOOST_TEST(r.at(0).value == (nlohmann::json{{"product", "P"}, {"quantity", "5"}}));
  try {
    (void)keyaccount::io::read_file((dir / "missing.jsonl").string());
    BOOST_FAIL("a missing file was read");
  } catch (const read_error& e) {
    BOOST_TEST(e.located("missing.jsonl") ==
               "missing.jsonl: cannot read the file (No such file or directory)");
  }
  try {
    (void)keyaccount::io::read_file(dir.string());
    BOOST_FAIL("a directory was read");
  } catch (const read_error& e) {
    BOOST_TEST(e.message() == "cannot read the file (it is a directory)");
  }
  std::filesystem::remove_all(dir);
}

// A problem found after the file was read ("people[1].id: ...", org::people_from_json's words)
// is placed at the member it names: its key, an array element's value, else the nearest
// enclosing value; a problem with no path has no place (the file is named alone).
BOOST_AUTO_TEST_CASE(problem_position_finds_the_member_a_problem_names) {
  using keyaccount::io::problem_position;
  const std::string text =
      "{\n"
      " \"people\": [\n"
      "  {\"id\": \"a\"},\n"
      "  {\"id\": \"a\",\n"
      "   \"positions\": [\"x\", \"nobody\"]}\n"
      " ]\n"
      "}\n";
  auto at = problem_position(text, "people[1].id: duplicate person id \"a\"");
  BOOST_REQUIRE(at);
  BOOST_TEST(at->line == 4u);
  BOOST_TEST(at->column == 4u);
  at = problem_position(text, "people[1].positions[1]: unknown position \"nobody\"");
  BOOST_REQUIRE(at);
  BOOST_TEST(at->line == 5u);
  BOOST_TEST(at->column == 23u);
  at = problem_position(text, "people[1].superior: unknown person");  // absent: its person
  BOOST_REQUIRE(at);
  BOOST_TEST(at->line == 4u);
  BOOST_TEST(!problem_position(text, "position \"gm\" allows 1 holder: 2 hold it"));
  BOOST_TEST(!problem_position(text, "no colon here"));
  BOOST_TEST(!problem_position("{not json", "people[0].id: x"));
}

BOOST_AUTO_TEST_SUITE_END()
