#include "store/sqlite/sqlite_store.h"

#include <sys/stat.h>

#include <filesystem>

#include "store/sqlite/connection_pool.h"
#include "store/sqlite/transactions.h"

namespace dnsplane::store::sqlite {
namespace {

class SqliteStore final : public Store {
  public:
    SqliteStore(std::shared_ptr<ConnectionPool> pool, std::string path)
        : pool_(std::move(pool)), path_(std::move(path)) {
        struct stat st {};
        if (::stat(path_.c_str(), &st) == 0) {
            dev_ = st.st_dev;
            ino_ = st.st_ino;
        }
    }

    std::optional<std::string> missing() override {
        struct stat st {};
        if (::stat(path_.c_str(), &st) != 0) return "the database file " + path_ + " is gone";
        if (st.st_dev != dev_ || st.st_ino != ino_)
            return "the database file " + path_ + " was replaced";
        return std::nullopt;
    }

    std::unique_ptr<ReadTxn> read() override {
        return std::make_unique<SqliteReadTxn>(pool_, pool_->acquire_reader());
    }

    std::unique_ptr<WriteTxn> write() override { return std::make_unique<SqliteWriteTxn>(pool_); }

  private:
    std::shared_ptr<ConnectionPool> pool_;
    std::string path_;
    dev_t dev_ = 0;
    ino_t ino_ = 0;
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
        return std::make_unique<SqliteStore>(std::make_shared<ConnectionPool>(options), path);
    } catch (const std::exception& e) {
        cannot_open(path, e.what());
    }
}

}  // namespace dnsplane::store::sqlite
