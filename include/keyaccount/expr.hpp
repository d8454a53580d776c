#pragma once
/// \file
/// keyaccount's CEL (Common Expression Language) engine: everything in one include.
/// Pipeline: parser → checker → planner → program; compile() runs the three stages.

#include "keyaccount/expr/ast.hpp"
#include "keyaccount/expr/checker.hpp"
#include "keyaccount/expr/columns.hpp"
#include "keyaccount/expr/compiler.hpp"
#include "keyaccount/expr/date.hpp"
#include "keyaccount/expr/declarations.hpp"
#include "keyaccount/expr/diagnostic.hpp"
#include "keyaccount/expr/json.hpp"
#include "keyaccount/expr/options.hpp"
#include "keyaccount/expr/parser.hpp"
#include "keyaccount/expr/planner.hpp"
#include "keyaccount/expr/program.hpp"
#include "keyaccount/expr/type.hpp"
#include "keyaccount/expr/value.hpp"
