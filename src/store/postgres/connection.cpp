#include "store/postgres/connection.h"

#include <cctype>
#include <cstdlib>
#include <cstring>

namespace dnsplane::store::postgres {
namespace {

// Connection settings dnsplane always wants; the URL may override them.
const char* const kDefaultKeys[] = {"connect_timeout",
                                    "application_name",
                                    "keepalives_idle",
                                    "keepalives_interval",
                                    "keepalives_count",
                                    "dbname",
                                    nullptr};

std::string trimmed(const char* msg) {
    std::string s = msg ? msg : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

PgError::PgError(core::ErrorKind kind, std::string sqlstate, std::string message)
    : core::Error(kind,
                  kind == core::ErrorKind::Unavailable ? "database_unavailable" : "database_error",
                  std::move(message)),
      sqlstate_(std::move(sqlstate)) {}

Result::Result(PGresult* res) : res_(res), rows_(res ? PQntuples(res) : 0) {}
Result::~Result() {
    if (res_) PQclear(res_);
}
Result::Result(Result&& o) noexcept : res_(o.res_), rows_(o.rows_), row_(o.row_) {
    o.res_ = nullptr;
}

bool Result::step() {
    if (row_ + 1 >= rows_) {
        row_ = rows_;
        return false;
    }
    ++row_;
    return true;
}

std::int64_t Result::affected() const {
    const char* n = PQcmdTuples(res_);
    return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

bool Result::is_null(int col) const {
    return PQgetisnull(res_, row_, col) != 0;
}

std::int64_t Result::int64(int col) const {
    if (is_null(col)) return 0;
    return std::strtoll(PQgetvalue(res_, row_, col), nullptr, 10);
}

std::string Result::text(int col) const {
    return std::string(text_view(col));
}

std::string_view Result::text_view(int col) const {
    return std::string_view(PQgetvalue(res_, row_, col),
                            static_cast<std::size_t>(PQgetlength(res_, row_, col)));
}

std::optional<std::string> Result::optional_text(int col) const {
    if (is_null(col)) return std::nullopt;
    return text(col);
}

SqlValue Result::value(int col) const {
    if (is_null(col)) return nullptr;
    return text(col);
}

PgConnection::PgConnection(const std::string& conninfo) {
    const char* values[] = {"5", "dnsplane", "10", "5", "3", conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(kDefaultKeys, values, /*expand_dbname=*/1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        std::string why = conn_ ? trimmed(PQerrorMessage(conn_)) : "out of memory";
        if (conn_) PQfinish(conn_);
        conn_ = nullptr;
        throw PgError(core::ErrorKind::Unavailable, "08001",
                      "cannot connect to PostgreSQL: " + why);
    }
    // Notices (e.g. "table exists, skipping") are not worth a log line.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
}

PgConnection::~PgConnection() {
    if (conn_) PQfinish(conn_);
}

bool PgConnection::ok() const {
    return conn_ && PQstatus(conn_) == CONNECTION_OK;
}

bool PgConnection::in_transaction() const {
    return conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

void PgConnection::fail(PGresult* res, std::string_view what) {
    std::string state;
    std::string msg;
    if (res) {
        const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        state = s ? s : "";
        msg = trimmed(PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
        PQclear(res);
    }
    if (msg.empty()) msg = trimmed(PQerrorMessage(conn_));
    const bool lost = PQstatus(conn_) != CONNECTION_OK || state.starts_with("08") ||
                      state.starts_with("57P") || state == "40001" || state == "40P01" ||
                      state == "55P03";
    throw PgError(lost ? core::ErrorKind::Unavailable : core::ErrorKind::Internal, state,
                  "PostgreSQL " + std::string(what) + ": " + msg);
}

Result PgConnection::query(const std::string& sql, const std::vector<SqlValue>& params) {
    if (!ok()) throw PgError(core::ErrorKind::Unavailable, "08006", "PostgreSQL connection lost");
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
        std::string name = "s" + std::to_string(prepared_.size());
        PGresult* res =
            PQprepare(conn_, name.c_str(), number_placeholders(sql).c_str(), 0, nullptr);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) fail(res, "prepare");
        PQclear(res);
        it = prepared_.emplace(sql, std::move(name)).first;
    }
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
            texts[i] = std::to_string(*n);
            values[i] = texts[i].c_str();
        } else if (const auto* s = std::get_if<std::string>(&params[i])) {
            values[i] = s->c_str();
        }
    }
    PGresult* res = PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                                   values.data(), nullptr, nullptr, 0);
    auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res, "query");
    return Result(res);
}

void PgConnection::exec(const std::string& sql) {
    if (!ok()) throw PgError(core::ErrorKind::Unavailable, "08006", "PostgreSQL connection lost");
    PGresult* res = PQexec(conn_, sql.c_str());
    auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res, "statement");
    PQclear(res);
}

bool PgConnection::exec_quietly(const char* sql) noexcept {
    if (!ok()) return false;
    PGresult* res = PQexec(conn_, sql);
    bool good = res && PQresultStatus(res) == PGRES_COMMAND_OK;
    if (res) PQclear(res);
    return good;
}

std::string number_placeholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    char quote = 0;
    bool dollar_body = false;  // inside $$ ... $$
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (dollar_body) {
            if (c == '$' && i + 1 < sql.size() && sql[i + 1] == '$') {
                dollar_body = false;
                out += "$$";
                ++i;
                continue;
            }
            out += c;
            continue;
        }
        if (quote) {
            if (c == quote) quote = 0;
            out += c;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] == '$') {
            dollar_body = true;
            out += "$$";
            ++i;
            continue;
        } else if (c == '?' && i + 1 < sql.size() &&
                   std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
            out += '$';  // ?N (SQLite's numbered form): $N
            continue;
        } else if (c == '?') {
            out += '$' + std::to_string(++n);
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace dnsplane::store::postgres
