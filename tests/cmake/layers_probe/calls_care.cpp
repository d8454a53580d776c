// Probe of the `layers_link` ctest: placed in the json layer, it calls a care function (a call
// going up four layers), so linking the json layer's check must fail.
#include <string>

#include "keyaccount/care/ics.hpp"

std::string keyaccount_layer_probe(const keyaccount::care::plan& pl) {
  return keyaccount::care::to_ics(pl);
}
