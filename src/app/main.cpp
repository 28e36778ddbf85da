// dnsplane composition root: parse the command line, then run the command
// (app/commands.cpp loads the configuration, app/serve.cpp wires the servers).
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/config.h"

int main(int argc, char** argv) {
    using namespace dnsplane::app;
    CliResult cli = parse_cli(argc, argv);
    if (!cli.command) return cli.exit_code;
    return run_command(*cli.command, environment_map(environ));
}
