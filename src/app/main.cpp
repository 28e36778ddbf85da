// dnsplane composition root: parse the command line, then run the command
// (app/commands.cpp loads the configuration, app/serve.cpp wires the servers).
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/config.h"

// Read by jemalloc (linked into this binary, see CMakeLists.txt) at its first
// allocation; ignored when the binary runs on another allocator. Two arenas
// for the whole process (its threads mostly wait; per-thread caches absorb the
// rest), and freed pages go back to the system within a second through
// jemalloc's own thread instead of staying resident: a 1,000,000-record zone
// took 173 MiB instead of 461 MiB with jemalloc's defaults (215 MiB with
// glibc), and writes were as fast (bench/RESULTS.md). MALLOC_CONF overrides it.
extern "C" {
const char* malloc_conf = "narenas:2,background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}

int main(int argc, char** argv) {
    using namespace dnsplane::app;
    CliResult cli = parse_cli(argc, argv);
    if (!cli.command) return cli.exit_code;
    return run_command(*cli.command, environment_map(environ));
}
