// The owner-name policy of a door (service::Caller::owner_names): '*' inside
// a label ("a-*.example.org.", ExternalDNS's TXT registry name of a wildcard)
// is refused by Designate's rule and accepted by RFC 4592's.
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

ZoneEdit add_txt(const std::string& name) {
    ZoneEdit e;
    EditOp op;
    op.kind = EditOpKind::AddValues;
    op.target.name = name;
    op.target.type = "TXT";
    op.records = std::vector<std::string>{"\"heritage=external-dns\""};
    e.operations.push_back(op);
    return e;
}

class OwnerNamesTest : public ServiceTest {};

TEST_F(OwnerNamesTest, AStarInsideALabelFollowsTheCallersPolicy) {
    auto z = make_zone("names.example.", owner_);
    EXPECT_REJECTED(svc().apply(owner_, add_txt("a-*.names.example.")), Invalid, "invalid_object");
    Caller webhook = owner_;
    webhook.owner_names = core::OwnerNames::Rfc4592;
    svc().apply(webhook, add_txt("a-*.names.example."));
    EXPECT_EQ(values(stored_set(z, "a-*.names.example.", "TXT")),
              std::vector<std::string>{"\"heritage=external-dns\""});
    // A whole leftmost "*" is a wildcard under both; '-' rules still hold.
    svc().apply(owner_, add_txt("*.names.example."));
    EXPECT_REJECTED(svc().apply(webhook, add_txt("-*.names.example.")), Invalid, "invalid_object");
}

}  // namespace
}  // namespace dnsplane::service::testing
