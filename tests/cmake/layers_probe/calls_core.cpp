// Probe of the `layers_link` ctest: placed in the json layer, it calls a core function (a call
// going down), so linking the json layer's check must succeed.
#include <optional>
#include <string_view>

#include "keyaccount/core/date.hpp"

std::optional<keyaccount::date> keyaccount_layer_probe(std::string_view text) {
  return keyaccount::date::parse(text);
}
