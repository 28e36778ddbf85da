// A savepoint around one store call's statements. A failed statement aborts
// a PostgreSQL transaction; rolling back to the savepoint keeps it from
// poisoning the rest (the caller may catch the error and carry on). The
// SAVEPOINT travels with the first statements, and the RELEASE (or the
// ROLLBACK TO) is queued for the next round trip: a call costs one round
// trip, as if it had no savepoint. Used by the write transaction's own
// writes and by the shared SQL layer's statements a constraint may refuse.
#pragma once

#include <string>
#include <vector>

#include "store/postgres/connection.h"

namespace dnsplane::store::postgres {

class WriteOp {
  public:
    // `savepoint`: an SQL identifier (a literal of the caller).
    explicit WriteOp(PgConnection& conn, std::string savepoint = "write_op");
    ~WriteOp();  // not kept: rolled back to the savepoint (queued)
    WriteOp(const WriteOp&) = delete;
    WriteOp& operator=(const WriteOp&) = delete;

    // Runs `statements` inside the savepoint (opened by the first call) in
    // one round trip: their replies. Throws what a queued statement or the
    // SAVEPOINT itself raised (nothing to undo then).
    Replies run(std::vector<Statement> statements);

    // The writes stand: the savepoint's RELEASE is queued.
    void keep();

  private:
    PgConnection& conn_;
    std::string savepoint_;
    bool open_ = false;
};

}  // namespace dnsplane::store::postgres
