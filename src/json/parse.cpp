#include "keyaccount/json/parse.hpp"

namespace keyaccount {
namespace {

struct nested_too_deep {};

// nlohmann's messages start "[json.exception.parse_error.101] parse error at ...".
std::string without_prefix(const char* what) {
  std::string text = what;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find("] ");
    if (close != std::string::npos) text.erase(0, close + 2);
  }
  return text;
}

}  // namespace

nlohmann::json parse_json(std::string_view text, std::size_t max_depth) {
  using event = nlohmann::json::parse_event_t;
  // The callback sees the depth of the value about to open (0 for the outermost): stopping there
  // keeps the parser from building what the limit forbids.
  auto limit = [max_depth](int depth, event e, nlohmann::json&) {
    if ((e == event::object_start || e == event::array_start) &&
        static_cast<std::size_t>(depth) >= max_depth)
      throw nested_too_deep{};
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), limit);
  } catch (const nested_too_deep&) {
    throw json_error("objects and arrays nest deeper than the limit of " +
                     std::to_string(max_depth) + " levels");
  } catch (const nlohmann::json::out_of_range&) {
    // out_of_range.406: a number literal past the range of a double.
    throw json_error("a number is too large to be read (beyond about 1.8e308)");
  } catch (const nlohmann::json::exception& e) {
    throw json_error(without_prefix(e.what()));
  }
}

}  // namespace keyaccount
