// TSIG keys: admin-only writes, field validation (a rejected write changes
// nothing), visibility for non-admins, and the snapshot the DNS server reads.
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

class TsigKeysTest : public ServiceTest {
  protected:
    TsigKeyInput input(const std::string& name, const std::string& scope,
                       const std::string& resource) {
        TsigKeyInput in;
        in.name = name;
        in.algorithm = "hmac-sha256";
        in.secret = "c2VjcmV0LXNlY3JldA==";
        in.scope = scope;
        in.resource_id = resource;
        return in;
    }
    Caller admin_ = admin_of("project-a");
};

TEST_F(TsigKeysTest, AdminsCreateUpdateDeleteAndTheSnapshotFollows) {
    auto& keys = svc().tsig_keys();
    EXPECT_TRUE(keys.all()->empty());
    auto k = keys.create(admin_, input("update-key.", "POOL", settings_.pool.id));
    EXPECT_EQ(k.algorithm, "hmac-sha256");
    auto snap = keys.all();
    ASSERT_EQ(snap->size(), 1u);
    TsigKeyInput rename;
    rename.name = "renamed-key";
    keys.update(admin_, k.id, rename);
    EXPECT_NE(keys.all(), snap);  // a new snapshot after each write
    EXPECT_EQ(keys.all()->at(0).name, "renamed-key");
    EXPECT_TRUE(keys.all()->at(0).updated_at);
    keys.remove(admin_, k.id);
    EXPECT_TRUE(keys.all()->empty());
    EXPECT_REJECTED(keys.remove(admin_, k.id), NotFound, "tsigkey_not_found");
}

TEST_F(TsigKeysTest, InvalidFieldsAndNonAdminsAreRefusedAndChangeNothing) {
    auto& keys = svc().tsig_keys();
    auto zone = make_zone("t.example.", owner_);
    auto bad = [&](auto mutate) {
        auto in = input("k.", "ZONE", zone.id);
        mutate(in);
        EXPECT_REJECTED(keys.create(admin_, in), Invalid, "invalid_object");
    };
    bad([](TsigKeyInput& in) { in.algorithm = "hmac-sha3"; });
    bad([](TsigKeyInput& in) { in.secret = std::string(1025, 'a'); });
    bad([](TsigKeyInput& in) { in.secret = ""; });
    bad([](TsigKeyInput& in) { in.scope = "PROJECT"; });
    bad([](TsigKeyInput& in) { in.resource_id = "nope"; });
    bad([](TsigKeyInput& in) { in.name = std::string(256, 'n'); });
    EXPECT_REJECTED(keys.create(owner_, input("k.", "ZONE", zone.id)), Forbidden, "forbidden");
    EXPECT_TRUE(keys.all()->empty());
    keys.create(admin_, input("k.", "ZONE", zone.id));
    EXPECT_REJECTED(keys.create(admin_, input("K", "ZONE", zone.id)), Conflict,
                    "duplicate_tsigkey");
    EXPECT_EQ(keys.all()->size(), 1u);
}

TEST_F(TsigKeysTest, OnlyAdminsReadKeys) {
    auto& keys = svc().tsig_keys();
    auto mine = make_zone("mine.example.", owner_);
    keys.create(admin_, input("pool.", "POOL", settings_.pool.id));
    auto own = keys.create(admin_, input("mine.", "ZONE", mine.id));
    // As Designate: any text as name, any UUID as resource (covering no zone).
    keys.create(admin_, input("Patch tsigkey", "POOL", "4b626094-bb89-43a7-9690-aa99a962a250"));
    EXPECT_EQ(keys.list(admin_).size(), 3u);
    EXPECT_REJECTED(keys.list(owner_), Forbidden, "forbidden");
    EXPECT_REJECTED(keys.get(owner_, own.id), Forbidden, "forbidden");
    EXPECT_REJECTED(keys.get(admin_, "4b626094-bb89-43a7-9690-aa99a962a250"), NotFound,
                    "tsigkey_not_found");
}

}  // namespace
}  // namespace dnsplane::service::testing
