#include "keyaccount/json/parse.hpp"

#include "core/utf8.hpp"

#include <string>
#include <unordered_set>
#include <vector>

namespace keyaccount {
namespace {

struct nested_too_deep {};
struct duplicate_key {
  std::string name;
};

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
  // The keys of each object being read, innermost last. nlohmann keeps the last of two equal
  // keys; an input that says "cumulative_amount" twice is refused instead of half read.
  std::vector<std::unordered_set<std::string>> open_objects;
  // The callback sees the depth of the value about to open (0 for the outermost): stopping there
  // keeps the parser from building what the limit forbids.
  auto limit = [max_depth, &open_objects](int depth, event e, nlohmann::json& parsed) {
    switch (e) {
      case event::object_start:
      case event::array_start:
        if (static_cast<std::size_t>(depth) >= max_depth) throw nested_too_deep{};
        if (e == event::object_start) open_objects.emplace_back();
        break;
      case event::key:
        if (!open_objects.back().insert(parsed.get<std::string>()).second)
          throw duplicate_key{parsed.get<std::string>()};
        break;
      case event::object_end:
        open_objects.pop_back();
        break;
      default:
        break;
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), limit);
  } catch (const nested_too_deep&) {
    throw json_error("objects and arrays nest deeper than the limit of " +
                     std::to_string(max_depth) + " levels");
  } catch (const duplicate_key& e) {
    throw json_error("the key \"" + e.name + "\" appears twice in one object");
  } catch (const nlohmann::json::out_of_range&) {
    // out_of_range.406: a number literal past the range of a double.
    throw json_error("a number is too large to be read (beyond about 1.8e308)");
  } catch (const nlohmann::json::exception& e) {
    // nlohmann quotes the bytes it read last, which may be the very bytes that are not UTF-8.
    throw json_error(detail::escape_invalid_utf8(without_prefix(e.what())));
  }
}

std::string kind_of(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

}  // namespace keyaccount
