#pragma once
/// \file
/// Kept for code written before the date moved below the expression layer: `keyaccount::date`
/// is declared in keyaccount/core/date.hpp, which every layer may include.
#include "keyaccount/core/date.hpp"
