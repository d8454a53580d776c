// Built against the installed package: proves the headers, the library and its dependencies
// are all found through find_package(keyaccount CONFIG).
#include <iostream>
#include <keyaccount/policy/default_policy.hpp>
#include <keyaccount/version.hpp>

int main() {
  if (keyaccount::default_policy_text().empty()) {
    std::cerr << "consumer: the embedded default policy is empty\n";
    return 1;
  }
  std::cout << "consumer: keyaccount " << keyaccount::version() << " OK\n";
  return 0;
}
