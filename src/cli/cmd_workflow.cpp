#include "commands.hpp"

namespace keyaccount::cli {

// Not built yet: registers nothing, so `keyaccount workflow` is an unknown subcommand (exit 2).
void add_workflow_command(CLI::App& /*app*/, context& /*ctx*/) {}

}  // namespace keyaccount::cli
