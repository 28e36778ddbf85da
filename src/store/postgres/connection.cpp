#include "store/postgres/connection.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string_view>
#include <tuple>

#include "store/sql_text.h"

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
Result& Result::operator=(Result&& o) noexcept {
    if (this != &o) {
        if (res_) PQclear(res_);
        res_ = o.res_;
        rows_ = o.rows_;
        row_ = o.row_;
        o.res_ = nullptr;
    }
    return *this;
}

bool Result::step() {
    if (row_ + 1 >= rows_) {
        row_ = rows_;
        return false;
    }
    ++row_;
    return true;
}

std::string Result::command_status() const {
    return res_ ? std::string(PQcmdStatus(res_)) : std::string();
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
    return conn_ && !broken_ && PQstatus(conn_) == CONNECTION_OK;
}

bool PgConnection::in_transaction() const {
    return conn_ && PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

void PgConnection::require_ok() const {
    if (!ok()) throw PgError(core::ErrorKind::Unavailable, "08006", "PostgreSQL connection lost");
}

PgError PgConnection::error_of(PGresult* res, std::string_view what) {
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
    return PgError(lost ? core::ErrorKind::Unavailable : core::ErrorKind::Internal, state,
                   "PostgreSQL " + std::string(what) + ": " + msg);
}

void PgConnection::fail(PGresult* res, std::string_view what) {
    throw error_of(res, what);
}

// The protocol went off the rails half way through a round trip (results
// missing or unexpected): the connection's state is unknown, so it is never
// used again (the pool replaces it).
void PgConnection::broken(std::string_view why) {
    broken_ = true;
    queue_.clear();
    throw PgError(core::ErrorKind::Unavailable, "08006",
                  "PostgreSQL " + std::string(why) + ": " + trimmed(PQerrorMessage(conn_)));
}

Result PgConnection::query(const std::string& sql, const std::vector<SqlValue>& params) {
    auto replies = round_trip({Statement{sql, params}});
    if (replies.error) throw std::move(*replies.error);
    return std::move(replies.results.front());
}

void PgConnection::exec(const std::string& sql) {
    sync();
    require_ok();
    ++round_trips_;
    ++statements_sent_;
    PGresult* res = PQexec(conn_, sql.c_str());
    auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(res, "statement");
    PQclear(res);
}

bool PgConnection::rollback() noexcept {
    queue_.clear();
    if (!ok()) return false;
    ++round_trips_;
    PGresult* res = PQexec(conn_, "ROLLBACK");
    bool good = res && PQresultStatus(res) == PGRES_COMMAND_OK;
    if (res) PQclear(res);
    return good;
}

void PgConnection::defer(Statement statement) {
    queue_.push_back(std::move(statement));
}

std::uint64_t PgConnection::defer_savepoint(const std::string& name) {
    Statement s = command("SAVEPOINT " + name);
    s.savepoint = ++next_savepoint_token_;
    queue_.push_back(std::move(s));
    return next_savepoint_token_;
}

std::vector<Statement>::iterator PgConnection::unsent_savepoint(std::uint64_t token) {
    auto it = std::find_if(queue_.rbegin(), queue_.rend(),
                           [&](const Statement& s) { return s.savepoint == token; });
    return it == queue_.rend() ? queue_.end() : std::next(it).base();
}

bool PgConnection::release_unsent(std::uint64_t token) {
    const auto at = unsent_savepoint(token);
    if (at == queue_.end()) return false;
    auto inside =
        std::remove_if(at + 1, queue_.end(), [](const Statement& s) { return s.savepoint != 0; });
    queue_.erase(inside, queue_.end());
    queue_.erase(at);
    return true;
}

bool PgConnection::rollback_unsent(std::uint64_t token) {
    const auto at = unsent_savepoint(token);
    if (at == queue_.end()) return false;
    queue_.erase(at, queue_.end());
    return true;
}

void PgConnection::sync() {
    if (!queue_.empty()) round_trip({});
}

std::pair<std::string, bool> PgConnection::statement_name(
    const std::string& sql, std::unordered_map<std::string, std::string>& fresh) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return {it->second, false};
    if (auto it = fresh.find(sql); it != fresh.end()) return {it->second, false};
    std::string name = "s" + std::to_string(next_name_++);
    fresh.emplace(sql, name);
    return {name, true};
}

// Queues the messages of one statement in libpq's output buffer (sent at
// the pipeline sync; libpq flushes earlier when the buffer is large, reading
// the server's answers meanwhile so that neither side blocks).
void PgConnection::send(const Statement& s, const std::string& name, bool prepare) {
    std::vector<std::string> texts(s.params.size());
    std::vector<const char*> values(s.params.size(), nullptr);
    for (std::size_t i = 0; i < s.params.size(); ++i) {
        if (const auto* n = std::get_if<std::int64_t>(&s.params[i])) {
            texts[i] = std::to_string(*n);
            values[i] = texts[i].c_str();
        } else if (const auto* v = std::get_if<std::string>(&s.params[i])) {
            values[i] = v->c_str();
        }
    }
    const int n = static_cast<int>(values.size());
    if (prepare &&
        !PQsendPrepare(conn_, name.c_str(), number_placeholders(s.sql).c_str(), 0, nullptr))
        broken("send");
    const int sent =
        s.prepared ? PQsendQueryPrepared(conn_, name.c_str(), n, values.data(), nullptr, nullptr, 0)
                   : PQsendQueryParams(conn_, number_placeholders(s.sql).c_str(), n, nullptr,
                                       values.data(), nullptr, nullptr, 0);
    if (!sent) broken("send");
}

// The one result of the next command of the pipeline (each is followed by
// a null); null when the answer is missing (connection lost).
PGresult* PgConnection::next_result() {
    PGresult* res = PQgetResult(conn_);
    if (res && PQgetResult(conn_) != nullptr) {
        PQclear(res);
        broken("round trip");
    }
    return res;
}

void PgConnection::commit() {
    auto r = round_trip({command("COMMIT")});
    if (r.error) throw std::move(*r.error);
    const std::string status = r.results.empty() ? std::string() : r.results[0].command_status();
    if (status != "COMMIT")
        throw PgError(core::ErrorKind::Internal, "40000",
                      "PostgreSQL did not commit (answered \"" + status +
                          "\"): the transaction had already failed");
}

namespace {

// Rows per folded INSERT: a run of more goes as several. Each row count is
// a prepared statement of its own, so the cap bounds them per connection.
constexpr std::size_t kMaxFoldedRows = 32;

// Runs of queued one-row INSERTs marked with a fold_head become one
// multi-row INSERT per table: PostgreSQL spends ~20 µs less per create of a
// group commit (bench/pg_rows.py, single_rows vs multi_row).
std::vector<Statement> fold_inserts(std::vector<Statement> queued) {
    const auto foldable = [](const Statement& s) { return s.fold_head != nullptr; };
    if (std::count_if(queued.begin(), queued.end(), foldable) < 2) return queued;
    std::vector<Statement> out;
    out.reserve(queued.size());
    for (std::size_t i = 0; i < queued.size();) {
        std::size_t end = i;
        while (end < queued.size() && foldable(queued[end])) ++end;
        if (end == i) {
            out.push_back(std::move(queued[i++]));
            continue;
        }
        std::vector<std::string_view> heads;
        for (std::size_t k = i; k < end; ++k)
            if (std::find(heads.begin(), heads.end(), queued[k].fold_head) == heads.end())
                heads.emplace_back(queued[k].fold_head);
        for (const auto head : heads) {
            std::vector<Statement*> rows;
            for (std::size_t k = i; k < end; ++k)
                if (queued[k].fold_head == head) rows.push_back(&queued[k]);
            const std::size_t cols = rows.front()->params.size();
            for (std::size_t done = 0; done < rows.size();) {
                const std::size_t n = std::min(kMaxFoldedRows, rows.size() - done);
                const bool same_shape =
                    std::all_of(rows.begin() + done, rows.begin() + done + n,
                                [&](const Statement* s) { return s->params.size() == cols; });
                if (n == 1 || !same_shape) {
                    for (std::size_t k = done; k < done + n; ++k)
                        out.push_back(std::move(*rows[k]));
                } else {
                    Statement folded{multi_row_insert(std::string(head).c_str(), cols, n), {}};
                    folded.params.reserve(cols * n);
                    for (std::size_t k = done; k < done + n; ++k)
                        std::move(rows[k]->params.begin(), rows[k]->params.end(),
                                  std::back_inserter(folded.params));
                    out.push_back(std::move(folded));
                }
                done += n;
            }
        }
        i = end;
    }
    return out;
}

}  // namespace

Replies PgConnection::round_trip(const std::vector<Statement>& statements) {
    require_ok();
    std::vector<Statement> queued;
    queued.swap(queue_);
    queued = fold_inserts(std::move(queued));
    const std::size_t first_own = queued.size();
    auto at = [&](std::size_t i) -> const Statement& {
        return i < first_own ? queued[i] : statements[i - first_own];
    };
    const std::size_t count = first_own + statements.size();
    if (count == 0) return {};
    ++round_trips_;
    statements_sent_ += count;
    if (PQenterPipelineMode(conn_) != 1) broken("pipeline");
    struct Sent {
        std::string name;
        bool prepare = false;
    };
    std::vector<Sent> sent(count);
    std::unordered_map<std::string, std::string> fresh;
    for (std::size_t i = 0; i < count; ++i) {
        if (at(i).prepared)
            std::tie(sent[i].name, sent[i].prepare) = statement_name(at(i).sql, fresh);
        send(at(i), sent[i].name, sent[i].prepare);
    }
    if (PQpipelineSync(conn_) != 1) broken("send");

    // The server stops at the first failure; every later command of the
    // pipeline answers PGRES_PIPELINE_ABORTED.
    Replies out;
    std::optional<PgError> failure;
    std::size_t failed_at = 0;
    auto failed = [&](std::size_t i, PGresult* res, std::string_view what) {
        if (failure) {
            PQclear(res);
            return;
        }
        failure = error_of(res, what);
        failed_at = i;
    };
    for (std::size_t i = 0; i < count; ++i) {
        if (sent[i].prepare) {
            PGresult* res = next_result();
            if (!res) break;
            if (PQresultStatus(res) == PGRES_COMMAND_OK) {
                prepared_.emplace(at(i).sql, sent[i].name);
                PQclear(res);
            } else {
                failed(i, res, "prepare");
            }
        }
        PGresult* res = next_result();
        if (!res) break;
        const auto status = PQresultStatus(res);
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            if (i >= first_own)
                out.results.emplace_back(res);
            else
                PQclear(res);
        } else if (status == PGRES_PIPELINE_ABORTED) {
            PQclear(res);
        } else {
            failed(i, res, i < first_own ? "deferred statement" : "query");
        }
    }
    PGresult* end = PQgetResult(conn_);
    const bool synced = end && PQresultStatus(end) == PGRES_PIPELINE_SYNC;
    if (end) PQclear(end);
    if (!synced || PQexitPipelineMode(conn_) != 1) {
        broken_ = true;  // the connection goes; the first failure says why
        if (!failure) broken("round trip");
    }
    if (failure && failed_at < first_own) {
        failure->set_deferred();
        if (!deferred_failure_) deferred_failure_ = *failure;
        throw *failure;
    }
    if (failure && broken_) throw *failure;
    out.error = std::move(failure);
    return out;
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
