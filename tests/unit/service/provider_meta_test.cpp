// EditOp::provider_meta: opaque metadata stored with a record set through a
// change set (the ExternalDNS webhook's labels / providerSpecific).
#include "edit_fixture.h"

namespace dnsplane::service::testing {
namespace {

class ProviderMetaTest : public ServiceTest {
  protected:
    void SetUp() override {
        ServiceTest::SetUp();
        a_ = make_zone("a.example.", owner_);
    }
    EditResult apply(std::vector<EditOp> ops) {
        return svc().apply(owner_, edit_of(std::move(ops)));
    }
    std::optional<core::RecordSet> find(const std::string& name, const std::string& type) {
        return store_->read()->find_recordset(a_.id, name, type);
    }
    static EditOp with_meta(EditOp o, std::string meta) {
        o.provider_meta = std::move(meta);
        return o;
    }
    core::Zone a_;
};

TEST_F(ProviderMetaTest, CreateStoresTheMetaAndReadsReturnItUnchanged) {
    const std::string meta = R"({"labels":{"owner":"x"},"providerSpecific":[{"name":"a"}]})";
    apply({with_meta(create("www.a.example.", "A", {"192.0.2.1"}), meta)});
    auto rs = find("www.a.example.", "A");
    ASSERT_TRUE(rs);
    EXPECT_EQ(rs->provider_meta, meta);
    // Also through the id lookup and the zone listing.
    EXPECT_EQ(store_->read()->get_recordset(rs->id)->provider_meta, meta);
    bool seen = false;
    for (const auto& s : store_->read()->zone_recordsets(a_.id))
        if (s.id == rs->id) seen = s.provider_meta == meta;
    EXPECT_TRUE(seen);
}

TEST_F(ProviderMetaTest, DefaultIsEmptyAndUnsetLeavesItUnchanged) {
    apply({create("www.a.example.", "A", {"192.0.2.1"})});
    EXPECT_EQ(find("www.a.example.", "A")->provider_meta, "");
    apply({with_meta(replace("www.a.example.", "A", {"192.0.2.1"}), "m1")});
    EXPECT_EQ(find("www.a.example.", "A")->provider_meta, "m1");
    apply({replace("www.a.example.", "A", {"192.0.2.2"})});  // meta not given: kept
    auto rs = find("www.a.example.", "A");
    EXPECT_EQ(rs->provider_meta, "m1");
    EXPECT_EQ(values(*rs), std::vector<std::string>{"192.0.2.2"});
}

TEST_F(ProviderMetaTest, AddValuesWithOnlyAMetaChangeIsAWrite) {
    apply({create("www.a.example.", "A", {"192.0.2.1"})});
    auto before = find("www.a.example.", "A");
    apply({with_meta(add("www.a.example.", "A", {"192.0.2.1"}), "m2")});
    auto after = find("www.a.example.", "A");
    EXPECT_EQ(after->provider_meta, "m2");
    EXPECT_EQ(after->version, before->version + 1);
}

TEST_F(ProviderMetaTest, ARejectedEditLeavesTheMetaUnchanged) {
    apply({with_meta(create("www.a.example.", "A", {"192.0.2.1"}), "keep")});
    rejected([&] {
        apply({with_meta(replace("www.a.example.", "A", {"192.0.2.9"}), "lost"),
               create("bad.a.example.", "A", {"not-an-address"})});
    });
    auto rs = find("www.a.example.", "A");
    EXPECT_EQ(rs->provider_meta, "keep");
    EXPECT_EQ(values(*rs), std::vector<std::string>{"192.0.2.1"});
}

}  // namespace
}  // namespace dnsplane::service::testing
