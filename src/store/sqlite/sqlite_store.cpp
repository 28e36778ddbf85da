#include "store/sqlite/sqlite_store.h"

#include <filesystem>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/transactions.h"

namespace dnsplane::store::sqlite {
namespace {

class SqliteStore final : public Store {
  public:
    explicit SqliteStore(std::shared_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

    std::unique_ptr<ReadTxn> read() override {
        return std::make_unique<SqliteReadTxn>(pool_, pool_->acquire_reader());
    }

    std::unique_ptr<WriteTxn> write() override { return std::make_unique<SqliteWriteTxn>(pool_); }

  private:
    std::shared_ptr<ConnectionPool> pool_;
};

[[noreturn]] void cannot_open(const std::string& path, const std::string& why) {
    throw core::Error(core::ErrorKind::Unavailable, "database_unavailable",
                      "cannot open database " + path + ": " + why);
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const SqliteOptions& options) {
    namespace fs = std::filesystem;
    const std::string& path = options.path;
    if (path.empty()) cannot_open(path, "empty path");

    fs::path parent = fs::path(path).parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        fs::create_directories(parent, ec);
        if (ec) cannot_open(path, "cannot create folder " + parent.string() + ": " + ec.message());
    }
    try {
        return std::make_unique<SqliteStore>(std::make_shared<ConnectionPool>(options));
    } catch (const std::exception& e) {
        cannot_open(path, e.what());
    }
}

}  // namespace dnsplane::store::sqlite
