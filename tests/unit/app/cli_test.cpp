#include "app/cli.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "app/commands.h"
#include "common/util.h"
#include "store/store.h"

using namespace dnsplane;
using namespace dnsplane::app;
namespace fs = std::filesystem;

namespace {

CliResult parse(std::vector<const char*> args) {
    args.insert(args.begin(), "dnsplane");
    return parse_cli(static_cast<int>(args.size()), args.data());
}

}  // namespace

TEST(Cli, ServeKeepsOnlyGivenFlags) {
    auto r = parse({"serve", "--api-listen", "127.0.0.1:9100", "--dns-listen", "127.0.0.1:5301",
                    "--dns-listen", "[::1]:5301", "--insecure", "--config", "/etc/d.toml"});
    ASSERT_TRUE(r.command);
    auto& serve = std::get<ServeCommand>(*r.command);
    EXPECT_EQ(serve.config.config_file, "/etc/d.toml");
    EXPECT_EQ(serve.config.flags.at("api_listen"), std::vector<std::string>{"127.0.0.1:9100"});
    EXPECT_EQ(serve.config.flags.at("dns_listen"),
              (std::vector<std::string>{"127.0.0.1:5301", "[::1]:5301"}));
    EXPECT_EQ(serve.config.flags.at("insecure"), std::vector<std::string>{"true"});
    EXPECT_EQ(serve.config.flags.count("auth"), 0u);
    EXPECT_EQ(serve.config.flags.count("threads"), 0u);
}

TEST(Cli, ServeFlagsFeedConfigLoading) {
    auto r = parse({"serve", "--auth", "token", "--threads", "4", "--log-level", "debug",
                    "--designate-style", "draft", "--database", "sqlite:///tmp/x.db",
                    "--http-workers", "24"});
    ASSERT_TRUE(r.command);
    auto& serve = std::get<ServeCommand>(*r.command);
    Config c = load_config({std::nullopt, {{"DNSPLANE_THREADS", "8"}}, serve.config.flags});
    EXPECT_EQ(c.auth, "token");
    EXPECT_EQ(c.threads, 4);  // flag beats environment
    EXPECT_EQ(c.http_workers, 24);
    EXPECT_EQ(c.log_level, "debug");
    EXPECT_EQ(c.designate_style, "draft");
    EXPECT_EQ(c.database, "sqlite:///tmp/x.db");
}

TEST(Cli, TokenCreateNeedsProjectAndRole) {
    auto r = parse({"token", "create", "--database", "sqlite:///tmp/t.db", "--project", "p1",
                    "--role", "member"});
    ASSERT_TRUE(r.command);
    auto& token = std::get<TokenCreateCommand>(*r.command);
    EXPECT_EQ(token.project_id, "p1");
    EXPECT_EQ(token.role, "member");
    EXPECT_EQ(token.config.flags.at("database"), std::vector<std::string>{"sqlite:///tmp/t.db"});

    auto missing = parse({"token", "create", "--project", "p1"});
    EXPECT_FALSE(missing.command);
    EXPECT_NE(missing.exit_code, 0);
}

TEST(Cli, VersionAndUsageErrors) {
    auto v = parse({"version"});
    ASSERT_TRUE(v.command);
    EXPECT_TRUE(std::holds_alternative<VersionCommand>(*v.command));

    auto none = parse({});
    EXPECT_FALSE(none.command);
    EXPECT_NE(none.exit_code, 0);

    auto unknown = parse({"serve", "--no-such-flag"});
    EXPECT_FALSE(unknown.command);
    EXPECT_NE(unknown.exit_code, 0);
}

TEST(Commands, VersionPrintsNameAndVersion) {
    testing::internal::CaptureStdout();
    EXPECT_EQ(run_command(VersionCommand{}, {}), 0);
    EXPECT_EQ(testing::internal::GetCapturedStdout(), "dnsplane 0.1.0\n");
}

TEST(Commands, ConfigErrorsExitWith2) {
    ServeCommand serve;
    serve.config.flags = {{"auth", {"bogus"}}};
    testing::internal::CaptureStderr();
    EXPECT_EQ(run_command(serve, {}), 2);
    EXPECT_NE(testing::internal::GetCapturedStderr().find("auth"), std::string::npos);
}

TEST(Commands, TokenCreatePrintsTheSecretLastAndStoresItsHash) {
    auto dir = fs::temp_directory_path() / ("dnsplane-cli-" + common::new_uuid());
    const std::string url = "sqlite://" + (dir / "db.sqlite").string();
    TokenCreateCommand cmd;
    cmd.project_id = "p1";
    cmd.role = "reader";
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    int code = run_command(cmd, {{"DNSPLANE_DATABASE", url}});
    auto out = testing::internal::GetCapturedStdout();
    testing::internal::GetCapturedStderr();
    ASSERT_EQ(code, 0);
    ASSERT_FALSE(out.empty());
    ASSERT_EQ(out.back(), '\n');
    out.pop_back();
    const std::string secret = out.substr(out.rfind('\n') + 1);
    EXPECT_FALSE(secret.empty());
    {
        auto store = store::open_store(url);
        auto token = store->read()->find_token(common::sha256_hex(secret));
        ASSERT_TRUE(token);
        EXPECT_EQ(token->project_id, "p1");
        EXPECT_EQ(token->role, "reader");
    }

    cmd.role = "superuser";
    testing::internal::CaptureStderr();
    EXPECT_EQ(run_command(cmd, {{"DNSPLANE_DATABASE", url}}), 1);
    EXPECT_NE(testing::internal::GetCapturedStderr().find("role"), std::string::npos);
    fs::remove_all(dir);
}
