#pragma once
/// \file
/// Key-customer identification (Art. 4–6.1): records, the classifier and its explanations,
/// dynamic management, columnar batches and policy tests.

#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/dynamics.hpp"
#include "keyaccount/classify/format.hpp"
#include "keyaccount/classify/impact.hpp"
#include "keyaccount/classify/policy_tests.hpp"
#include "keyaccount/classify/record.hpp"
