#include "store/postgres/write_op.h"

#include <utility>

namespace dnsplane::store::postgres {

WriteOp::WriteOp(PgConnection& conn, std::string savepoint)
    : conn_(conn), savepoint_(std::move(savepoint)) {}

WriteOp::~WriteOp() {
    if (!open_) return;
    try {
        conn_.defer(command("ROLLBACK TO SAVEPOINT " + savepoint_));
        conn_.defer(command("RELEASE SAVEPOINT " + savepoint_));
    } catch (...) {
    }
}

Replies WriteOp::run(std::vector<Statement> statements) {
    if (!open_) statements.insert(statements.begin(), command("SAVEPOINT " + savepoint_));
    auto replies = conn_.round_trip(statements);
    if (!open_) {
        if (replies.results.empty()) throw std::move(*replies.error);
        open_ = true;
        replies.results.erase(replies.results.begin());
    }
    return replies;
}

void WriteOp::keep() {
    open_ = false;
    conn_.defer(command("RELEASE SAVEPOINT " + savepoint_));
}

}  // namespace dnsplane::store::postgres
