// A throw-away PostgreSQL server for the store tests, started from Debian's
// binaries (/usr/lib/postgresql/<version>/bin: initdb, pg_ctl) in a
// temporary folder, listening on a unix socket only; once per test binary
// run (the first test that asks), stopped and removed at exit. As root the
// server runs as the `postgres` user (PostgreSQL refuses root). Each test
// gets a fresh database cloned from a migrated template.
#pragma once

#include <libpq-fe.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pwd.h>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "store/postgres/pg_store.h"

namespace dnsplane::store::testing {

class PgServer {
  public:
    // nullptr (and why()) when the binaries are missing or the server did
    // not start.
    static PgServer* get() {
        static PgServer server;
        return server.ok_ ? &server : nullptr;
    }
    static std::string why() { return instance_why(); }

    // A fresh, migrated database; returns its URL (socket form).
    std::string new_database() {
        static std::atomic<int> n{0};
        std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++n);
        admin("CREATE DATABASE " + name + " TEMPLATE dnsplane_template");
        return url(name);
    }

    void drop_database(const std::string& url_of) {
        auto pos = url_of.find(":///");
        auto q = url_of.find('?');
        std::string name = url_of.substr(pos + 4, q - pos - 4);
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    std::string url(const std::string& db) const {
        return "postgresql:///" + db + "?host=" + dir_.string() + "&user=postgres";
    }

    // Runs SQL on the `postgres` database; false on failure.
    bool admin(const std::string& sql) {
        PGconn* c = PQconnectdb(url("postgres").c_str());
        bool good = PQstatus(c) == CONNECTION_OK;
        if (good) {
            PGresult* r = PQexec(c, sql.c_str());
            good = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
            PQclear(r);
        }
        PQfinish(c);
        return good;
    }

    ~PgServer() {
        if (!bin_.empty() && started_)
            run(bin_ + "/pg_ctl -D " + (dir_ / "data").string() + " -m immediate stop");
        if (!dir_.empty()) std::filesystem::remove_all(dir_);
    }

  private:
    static std::string& instance_why() {
        static std::string why;
        return why;
    }

    int run(const std::string& cmd) {
        std::string full = as_postgres_ ? "runuser -u postgres -- " + cmd : cmd;
        full += " >>" + (dir_ / "setup.log").string() + " 2>&1";
        return std::system(full.c_str());
    }

    PgServer() {
        namespace fs = std::filesystem;
        for (int v = 20; v >= 11 && bin_.empty(); --v) {
            std::string b = "/usr/lib/postgresql/" + std::to_string(v) + "/bin";
            if (fs::exists(b + "/initdb") && fs::exists(b + "/pg_ctl")) bin_ = b;
        }
        if (bin_.empty()) {
            instance_why() =
                "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
                "(apt-get install postgresql)";
            return;
        }
        std::string tmpl = (fs::temp_directory_path() / "dnsplane-pg-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) {
            instance_why() = "mkdtemp failed";
            return;
        }
        dir_ = tmpl;
        as_postgres_ = ::geteuid() == 0;
        if (as_postgres_) {
            struct passwd* pw = ::getpwnam("postgres");
            if (!pw || ::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
                instance_why() = "running as root and no `postgres` user to run the server";
                return;
            }
        }
        std::string data = (dir_ / "data").string();
        if (run(bin_ + "/initdb -D " + data +
                " -A trust -U postgres -E UTF8 --locale=C --no-sync --no-instructions") != 0) {
            instance_why() = "initdb failed (see " + (dir_ / "setup.log").string() + ")";
            return;
        }
        std::string opts = "-c listen_addresses='' -k " + dir_.string() +
                           " -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                           "-c max_connections=300";
        if (run(bin_ + "/pg_ctl -D " + data + " -l " + (dir_ / "server.log").string() +
                " -w -t 60 -o \"" + opts + "\" start") != 0) {
            instance_why() = "pg_ctl start failed (see " + (dir_ / "server.log").string() + ")";
            return;
        }
        started_ = true;
        if (!admin("CREATE DATABASE dnsplane_template")) {
            instance_why() = "cannot create the template database";
            return;
        }
        postgres::migrate_postgres(url("dnsplane_template"));
        ok_ = true;
    }

    std::string bin_;
    std::filesystem::path dir_;
    bool as_postgres_ = false;
    bool started_ = false;
    bool ok_ = false;
};

}  // namespace dnsplane::store::testing
