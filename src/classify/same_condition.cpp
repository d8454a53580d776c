#include "classify/same_condition.hpp"

#include <cctype>
#include <string_view>

namespace keyaccount::detail {
namespace {

const parameter* find_parameter(const policy& p, std::string_view id) {
  for (const auto& q : p.parameters)
    if (q.id == id) return &q;
  return nullptr;
}

bool same_value(const parameter* x, const parameter* y) {
  if (x == nullptr || y == nullptr) return x == y;
  return x->type == y->type && x->value == y->value;
}

bool same_parameters(const policy& a, const policy& b) {
  if (a.parameters.size() != b.parameters.size()) return false;
  for (std::size_t k = 0; k < a.parameters.size(); ++k)
    if (a.parameters[k].id != b.parameters[k].id || !same_value(&a.parameters[k], &b.parameters[k]))
      return false;
  return true;
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

bool same_condition(const classifier& a, std::size_t i, const classifier& b, std::size_t j) {
  const policy& pa = a.source_policy();
  const policy& pb = b.source_policy();
  const criterion& ca = pa.criteria.at(i);
  const criterion& cb = pb.criteria.at(j);
  if (ca.id != cb.id || ca.condition.empty() || ca.condition != cb.condition) return false;
  // Every mention of `params` in the text (a string literal mentioning it only makes the test
  // stricter): `params.<name>` compares that parameter, anything else all of them.
  const std::string_view text(ca.condition);
  const std::string_view name = "params";
  for (auto at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    if ((at > 0 && identifier_char(text[at - 1])) ||
        (end < text.size() && identifier_char(text[end])))
      continue;  // part of a longer name
    if (end >= text.size() || text[end] != '.') {
      if (!same_parameters(pa, pb)) return false;
      continue;
    }
    std::size_t stop = end + 1;
    while (stop < text.size() && identifier_char(text[stop])) ++stop;
    const std::string_view id = text.substr(end + 1, stop - end - 1);
    if (!same_value(find_parameter(pa, id), find_parameter(pb, id))) return false;
  }
  return true;
}

}  // namespace keyaccount::detail
