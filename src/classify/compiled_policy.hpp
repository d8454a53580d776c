#pragma once
// The classifier's compiled form (internal): criteria and tiers resolved to indices, CEL programs
// for conditions and explanation expressions, message templates split into parts.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keyaccount/classify/record.hpp"
#include "keyaccount/expr/declarations.hpp"
#include "keyaccount/expr/program.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::detail {

/// A message template: literal text, `{gap}`, or `{<CEL>}` parts.
struct template_part {
  enum class kind : std::uint8_t { literal, gap, expression } what = kind::literal;
  std::string literal;
  std::optional<expr::program> program;
};
using text_template = std::vector<template_part>;

struct compiled_criterion {
  std::optional<expr::program> condition;  // leaf
  combinator combine = combinator::all;    // combination
  int at_least = 0;
  std::vector<std::uint32_t> parts;
  std::optional<expr::program> observed, target, precondition;
  text_template shortfall_en, shortfall_zh, precondition_en, precondition_zh;
};

struct compiled_tier {
  combinator combine = combinator::all;
  int at_least = 0;
  std::vector<std::uint32_t> parts;
  bool has_rule = false;
};

struct compiled_policy {
  explicit compiled_policy(const policy& p) : pol(p), parser(p) {}
  policy pol;
  record_parser parser;
  expr::declarations decls;
  std::size_t as_of_slot = 0;
  std::vector<compiled_criterion> criteria;
  std::vector<compiled_tier> tiers;
  std::vector<bool> fields_used;
};

}  // namespace keyaccount::detail
