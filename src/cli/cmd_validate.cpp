#include "commands.hpp"

namespace keyaccount::cli {

// Not built yet: registers nothing, so `keyaccount validate` is an unknown subcommand (exit 2).
void add_validate_command(CLI::App& /*app*/, context& /*ctx*/) {}

}  // namespace keyaccount::cli
