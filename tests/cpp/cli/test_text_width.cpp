// Display width of UTF-8 text on a terminal (table columns, the caret under a diagnostic),
// against hand-counted cells.
#include <boost/test/unit_test.hpp>

#include "text_width.hpp"

BOOST_AUTO_TEST_SUITE(text_width)

BOOST_AUTO_TEST_CASE(wide_characters_take_two_cells_and_narrow_ones_one) {
  namespace cli = keyaccount::cli;
  BOOST_TEST(cli::display_width("abc") == 3u);
  BOOST_TEST(cli::display_width("重点客户") == 8u);          // CJK: two cells each
  BOOST_TEST(cli::display_width("—→é") == 3u);               // narrow, though 2–3 bytes long
  BOOST_TEST(cli::display_width("（１）") == 6u);            // fullwidth forms
  BOOST_TEST(cli::display_width("\xF0\x9F\x98\x80") == 2u);  // U+1F600, an emoji
  BOOST_TEST(cli::display_width("\xFF\xFE") == 2u);          // malformed bytes: one cell each
  BOOST_TEST(cli::display_width("\xE4\xB8") == 2u);          // truncated sequence
}

BOOST_AUTO_TEST_CASE(the_caret_indent_matches_the_cells_before_the_column) {
  namespace cli = keyaccount::cli;
  BOOST_TEST(cli::caret_indent("abc", 3) == "  ");
  BOOST_TEST(cli::caret_indent("a—b", 3) == "  ");      // the dash is one cell
  BOOST_TEST(cli::caret_indent("重点x", 3) == "    ");  // two cells per CJK character
  BOOST_TEST(cli::caret_indent("\t→x", 3) == "\t ");    // tabs stay tabs
  BOOST_TEST(cli::caret_indent("ab", 9) == "  ");       // past the end: the whole line
}

BOOST_AUTO_TEST_SUITE_END()
