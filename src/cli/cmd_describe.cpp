#include "commands.hpp"

namespace keyaccount::cli {

// Not built yet: registers nothing, so `keyaccount describe` is an unknown subcommand (exit 2).
void add_describe_command(CLI::App& /*app*/, context& /*ctx*/) {}

}  // namespace keyaccount::cli
