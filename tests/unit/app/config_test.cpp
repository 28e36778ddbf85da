#include "app/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/util.h"

using namespace dnsplane;
using app::Config;
using app::ConfigError;
using app::ConfigSources;
namespace fs = std::filesystem;

namespace {

class ConfigTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = fs::temp_directory_path() / ("dnsplane-config-" + common::new_uuid());
        fs::create_directories(dir);
    }
    void TearDown() override { fs::remove_all(dir); }

    std::string write_file(const std::string& text) {
        auto path = (dir / "dnsplane.toml").string();
        std::ofstream(path) << text;
        return path;
    }

    // The message of the ConfigError load_config throws ("" if none).
    static std::string error_of(const ConfigSources& s) {
        try {
            app::load_config(s);
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "";
    }

    fs::path dir;
};

}  // namespace

TEST_F(ConfigTest, DefaultsIncludeTheDefaultPool) {
    Config c = app::load_config({});
    EXPECT_EQ(c.api_listen, "127.0.0.1:9001");
    EXPECT_EQ(c.auth, "none");
    EXPECT_EQ(c.threads, 2);
    EXPECT_EQ(c.service.pool.id, "794ccc2c-d751-44fe-b57f-8894c9f5c842");
    EXPECT_EQ(c.service.pool.name, "default");
    ASSERT_EQ(c.service.pool.ns_records.size(), 1u);
    EXPECT_EQ(c.service.pool.ns_records[0].hostname, "ns1.dnsplane.test.");
}

TEST_F(ConfigTest, FileThenEnvironmentThenFlags) {
    auto file = write_file(R"(
database = "sqlite:///from/file.db"
api_listen = "127.0.0.1:7001"
log_level = "debug"
threads = 3
)");
    ConfigSources s;
    s.file = file;
    Config from_file = app::load_config(s);
    EXPECT_EQ(from_file.database, "sqlite:///from/file.db");
    EXPECT_EQ(from_file.api_listen, "127.0.0.1:7001");
    EXPECT_EQ(from_file.threads, 3);

    s.env = {
        {"DNSPLANE_API_LISTEN", "127.0.0.1:7002"}, {"DNSPLANE_THREADS", "5"}, {"UNRELATED", "x"}};
    Config from_env = app::load_config(s);
    EXPECT_EQ(from_env.database, "sqlite:///from/file.db");  // env did not set it
    EXPECT_EQ(from_env.api_listen, "127.0.0.1:7002");
    EXPECT_EQ(from_env.threads, 5);
    EXPECT_EQ(from_env.log_level, "debug");

    s.flags = {{"api_listen", {"127.0.0.1:7003"}}};
    Config from_flags = app::load_config(s);
    EXPECT_EQ(from_flags.api_listen, "127.0.0.1:7003");
    EXPECT_EQ(from_flags.threads, 5);
}

TEST_F(ConfigTest, ConfigFileFromEnvironment) {
    auto file = write_file("auth = \"token\"\n");
    ConfigSources s;
    s.env = {{"DNSPLANE_CONFIG", file}};
    EXPECT_EQ(app::load_config(s).auth, "token");
}

TEST_F(ConfigTest, SectionsForPoolQuotasAndLimits) {
    auto file = write_file(R"(
dns_listen = ["127.0.0.1:5301", "[::1]:5301"]
[pool]
name = "edge"
nameservers = ["NS1.Example.NET.", "ns2.example.net"]
also_notify = ["127.0.0.1:5302"]
[quotas]
zones = 5
recordsets = 50
records = 7
[limits]
min_ttl = 60
max_ttl = 86400
)");
    ConfigSources s;
    s.file = file;
    Config c = app::load_config(s);
    EXPECT_EQ(c.dns_listen, (std::vector<std::string>{"127.0.0.1:5301", "[::1]:5301"}));
    EXPECT_EQ(c.service.pool.name, "edge");
    EXPECT_EQ(c.service.pool.id, "794ccc2c-d751-44fe-b57f-8894c9f5c842");
    ASSERT_EQ(c.service.pool.ns_records.size(), 2u);
    EXPECT_EQ(c.service.pool.ns_records[0].hostname, "ns1.example.net.");
    EXPECT_EQ(c.service.pool.ns_records[1].hostname, "ns2.example.net.");
    EXPECT_EQ(c.service.pool.ns_records[1].priority, 2);
    EXPECT_EQ(c.service.pool.also_notify, std::vector<std::string>{"127.0.0.1:5302"});
    EXPECT_EQ(c.service.quotas.zones_per_project, 5u);
    EXPECT_EQ(c.service.quotas.recordsets_per_zone, 50u);
    EXPECT_EQ(c.service.quotas.records_per_recordset, 7u);
    EXPECT_EQ(c.service.min_ttl, 60);
    EXPECT_EQ(c.service.max_ttl, 86400);
}

TEST_F(ConfigTest, EnvironmentListsAreCommaSeparated) {
    ConfigSources s;
    s.env = {{"DNSPLANE_DNS_LISTEN", "127.0.0.1:5301, 127.0.0.1:5302"},
             {"DNSPLANE_POOL_NAMESERVERS", "a.example.,b.example"},
             {"DNSPLANE_QUOTAS_ZONES", "3"}};
    Config c = app::load_config(s);
    EXPECT_EQ(c.dns_listen, (std::vector<std::string>{"127.0.0.1:5301", "127.0.0.1:5302"}));
    EXPECT_EQ(c.service.quotas.zones_per_project, 3u);
    ASSERT_EQ(c.service.pool.ns_records.size(), 2u);
    EXPECT_EQ(c.service.pool.ns_records[1].hostname, "b.example.");
}

TEST_F(ConfigTest, RepeatedFlagsReplaceTheList) {
    ConfigSources s;
    s.env = {{"DNSPLANE_DNS_LISTEN", "127.0.0.1:1"}};
    s.flags = {{"dns_listen", {"127.0.0.1:5301", "127.0.0.1:5302"}}};
    EXPECT_EQ(app::load_config(s).dns_listen,
              (std::vector<std::string>{"127.0.0.1:5301", "127.0.0.1:5302"}));
}

TEST_F(ConfigTest, BadValuesNameKeyAndSource) {
    ConfigSources s;
    s.flags = {{"auth", {"keystone"}}};
    auto msg = error_of(s);
    EXPECT_NE(msg.find("auth"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--auth"), std::string::npos) << msg;
    EXPECT_NE(msg.find("keystone"), std::string::npos) << msg;

    ConfigSources e;
    e.env = {{"DNSPLANE_THREADS", "many"}};
    msg = error_of(e);
    EXPECT_NE(msg.find("DNSPLANE_THREADS"), std::string::npos) << msg;

    ConfigSources style;
    style.flags = {{"designate_style", {"v1"}}};
    EXPECT_NE(error_of(style), "");

    ConfigSources listen;
    listen.flags = {{"api_listen", {"9001"}}};
    EXPECT_NE(error_of(listen).find("api_listen"), std::string::npos);
}

TEST_F(ConfigTest, PolledNameserversAndTheirTimers) {
    Config d = app::load_config({});
    EXPECT_TRUE(d.pool_poll_nameservers.empty());  // default: no polling, ACTIVE at commit
    EXPECT_EQ(d.pool_poll_delay_ms, 500);

    ConfigSources s;
    s.file = write_file(R"(
[pool]
poll_nameservers = ["127.0.0.1:5300", "[::1]:53"]
poll_delay = "2s"
poll_retry_interval = "250ms"
poll_max_retries = 4
)");
    Config c = app::load_config(s);
    EXPECT_EQ(c.pool_poll_nameservers, (std::vector<std::string>{"127.0.0.1:5300", "[::1]:53"}));
    EXPECT_EQ(c.pool_poll_delay_ms, 2000);
    EXPECT_EQ(c.pool_poll_retry_interval_ms, 250);
    EXPECT_EQ(c.pool_poll_max_retries, 4);

    ConfigSources bad;
    bad.flags = {{"pool_poll_nameservers", {"[::1"}}};
    auto msg = error_of(bad);
    EXPECT_NE(msg.find("pool_poll_nameservers"), std::string::npos) << msg;
    EXPECT_NE(msg.find("[::1"), std::string::npos) << msg;
}

TEST_F(ConfigTest, FileErrors) {
    ConfigSources s;
    s.file = write_file("no_such_key = 1\n");
    EXPECT_NE(error_of(s).find("unknown config key 'no_such_key'"), std::string::npos);
    s.file = write_file("[pool]\nbogus = 1\n");
    EXPECT_NE(error_of(s).find("pool_bogus"), std::string::npos);
    s.file = write_file("threads = \n");
    EXPECT_NE(error_of(s).find("config file"), std::string::npos);
    s.file = (dir / "missing.toml").string();
    EXPECT_NE(error_of(s).find("missing.toml"), std::string::npos);
    s.file = write_file("threads = 1.5\n");
    EXPECT_NE(error_of(s), "");
}

TEST_F(ConfigTest, NoAuthOnPublicAddressNeedsInsecure) {
    ConfigSources s;
    s.flags = {{"api_listen", {"0.0.0.0:9001"}}};
    auto msg = error_of(s);
    EXPECT_NE(msg.find("0.0.0.0:9001"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--insecure"), std::string::npos) << msg;

    s.flags["insecure"] = {"true"};
    EXPECT_EQ(error_of(s), "");

    ConfigSources token;
    token.flags = {{"api_listen", {"0.0.0.0:9001"}}, {"auth", {"token"}}};
    EXPECT_EQ(error_of(token), "");

    ConfigSources loopback6;
    loopback6.flags = {{"api_listen", {"[::1]:9001"}}};
    EXPECT_EQ(error_of(loopback6), "");
}

TEST_F(ConfigTest, TtlLimitsMustBeOrdered) {
    ConfigSources s;
    s.env = {{"DNSPLANE_LIMITS_MIN_TTL", "600"}, {"DNSPLANE_LIMITS_MAX_TTL", "60"}};
    EXPECT_NE(error_of(s).find("limits_min_ttl"), std::string::npos);
}

TEST_F(ConfigTest, EveryKeyHasAnEnvironmentVariable) {
    auto keys = app::config_keys();
    EXPECT_NE(std::find(keys.begin(), keys.end(), "api_listen"), keys.end());
    EXPECT_NE(std::find(keys.begin(), keys.end(), "pool_nameservers"), keys.end());
    ConfigSources s;
    s.env = {{"DNSPLANE_DATABASE", "sqlite:///x.db"},
             {"DNSPLANE_AUTH", "token"},
             {"DNSPLANE_DESIGNATE_STYLE", "draft"},
             {"DNSPLANE_INSECURE", "1"},
             {"DNSPLANE_LOG_LEVEL", "warn"}};
    Config c = app::load_config(s);
    EXPECT_EQ(c.database, "sqlite:///x.db");
    EXPECT_EQ(c.auth, "token");
    EXPECT_EQ(c.designate_style, "draft");
    EXPECT_TRUE(c.insecure);
    EXPECT_EQ(c.log_level, "warn");
}

TEST(EnvironmentMap, SplitsAtFirstEquals) {
    const char* entries[] = {"A=1", "B=x=y", "C=", "BROKEN", nullptr};
    auto env = app::environment_map(const_cast<char**>(entries));
    EXPECT_EQ(env.at("A"), "1");
    EXPECT_EQ(env.at("B"), "x=y");
    EXPECT_EQ(env.at("C"), "");
    EXPECT_EQ(env.count("BROKEN"), 0u);
}

TEST_F(ConfigTest, HttpWorkersFromEachSourceWithBounds) {
    EXPECT_EQ(app::load_config({}).http_workers, 16);
    ConfigSources s;
    s.file = write_file("http_workers = 4\n");
    EXPECT_EQ(app::load_config(s).http_workers, 4);
    s.env = {{"DNSPLANE_HTTP_WORKERS", "8"}};
    EXPECT_EQ(app::load_config(s).http_workers, 8);
    s.flags = {{"http_workers", {"32"}}};
    EXPECT_EQ(app::load_config(s).http_workers, 32);
    s.flags = {{"http_workers", {"0"}}};
    EXPECT_THROW(app::load_config(s), ConfigError);
}
