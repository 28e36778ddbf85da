// Users and tokens of the built-in identity endpoint (migration 7) and the
// plug-in platform's tables (migration 3), on both backends.
#include "store_fixture.h"

namespace dnsplane::store::testing {
namespace {

class IdentityStoreTest : public BackendTest {};

User user(const std::string& id, const std::string& name) {
    return User{id,
                name,
                "proj-" + name,
                "project " + name,
                "member",
                "pbkdf2-sha256$1000$c2FsdA==$aGFzaA==",
                "2026-01-01T00:00:00.000000"};
}

Token token(const std::string& id, const std::string& hash, const std::string& user_id,
            const std::string& expires_at) {
    return Token{id, hash, "p1", "member", "2026-01-01T00:00:00.000000", user_id, expires_at};
}

TEST_P(IdentityStoreTest, UsersAreFoundByNameAndIdAndNamesAreUnique) {
    write([](WriteTxn& tx) {
        tx.insert_user(user("u1", "alice"));
        tx.insert_user(user("u2", "bob"));
    });
    auto rd = store_->read();
    auto alice = rd->find_user_by_name("alice");
    ASSERT_TRUE(alice.has_value());
    EXPECT_EQ(alice->id, "u1");
    EXPECT_EQ(alice->project_id, "proj-alice");
    EXPECT_EQ(alice->project_name, "project alice");
    EXPECT_EQ(alice->role, "member");
    EXPECT_EQ(alice->password_hash, "pbkdf2-sha256$1000$c2FsdA==$aGFzaA==");
    EXPECT_EQ(rd->get_user("u2")->name, "bob");
    EXPECT_FALSE(rd->find_user_by_name("carol").has_value());
    EXPECT_FALSE(rd->get_user("u3").has_value());
    rd.reset();
    auto e = error_of([&] { write([](WriteTxn& tx) { tx.insert_user(user("u3", "alice")); }); });
    EXPECT_EQ(e.kind(), core::ErrorKind::Conflict);
    EXPECT_EQ(e.type(), "duplicate_user");
}

TEST_P(IdentityStoreTest, TokensKeepUserAndExpiryAndAreRevokedOrExpired) {
    write([](WriteTxn& tx) {
        tx.insert_token(token("t1", "h1", "", ""));  // `token create`: no user, no expiry
        tx.insert_token(token("t2", "h2", "u1", "2026-01-01T01:00:00.000000"));
        tx.insert_token(token("t3", "h3", "u1", "2026-01-01T03:00:00.000000"));
    });
    auto rd = store_->read();
    auto t2 = rd->find_token("h2");
    ASSERT_TRUE(t2.has_value());
    EXPECT_EQ(t2->id, "t2");
    EXPECT_EQ(t2->user_id, "u1");
    EXPECT_EQ(t2->expires_at, "2026-01-01T01:00:00.000000");
    EXPECT_EQ(rd->find_token("h1")->expires_at, "");
    rd.reset();

    auto e =
        error_of([&] { write([](WriteTxn& tx) { tx.insert_token(token("t4", "h1", "", "")); }); });
    EXPECT_EQ(e.type(), "duplicate_token");

    bool deleted = false, again = true;
    write([&](WriteTxn& tx) {
        deleted = tx.delete_token("h3");
        again = tx.delete_token("h3");
        tx.delete_expired_tokens("2026-01-01T02:00:00.000000");
    });
    EXPECT_TRUE(deleted);
    EXPECT_FALSE(again);
    rd = store_->read();
    EXPECT_TRUE(rd->find_token("h1").has_value());   // never expires
    EXPECT_FALSE(rd->find_token("h2").has_value());  // expired
    EXPECT_FALSE(rd->find_token("h3").has_value());  // revoked
}

TEST_P(IdentityStoreTest, PluginTablesKeepSequencesOutboxBindingsAndTenants) {
    std::vector<std::int64_t> seqs;
    write([&](WriteTxn& tx) {
        seqs.push_back(tx.next_event_sequence("z1"));
        seqs.push_back(tx.next_event_sequence("z1"));
        seqs.push_back(tx.next_event_sequence("z2"));
        tx.append_outbox(OutboxEvent{0, "e1", "z1", 1, "{\"a\":1}"});
        tx.append_outbox(OutboxEvent{0, "e2", "z1", 2, "{\"a\":2}"});
        tx.put_hook_binding(HookBinding{"point", "plug", "1.0", "http://127.0.0.1:1/a", "t0"});
        tx.put_hook_binding(HookBinding{"point", "plug", "2.0", "http://127.0.0.1:1/b", "t1"});
        tx.put_tenant("ten", "active", "t0");
        tx.put_tenant("ten", "retired", "t1");
        tx.probe_write("t0");
        tx.probe_write("t1");
    });
    EXPECT_EQ(seqs, (std::vector<std::int64_t>{1, 2, 1}));
    auto rd = store_->read();
    auto head = rd->outbox_head(10);
    ASSERT_EQ(head.size(), 2u);
    EXPECT_EQ(head[0].id, "e1");
    EXPECT_LT(head[0].seq, head[1].seq);
    EXPECT_EQ(head[1].payload, "{\"a\":2}");
    EXPECT_EQ(rd->outbox_size(), 2u);
    auto bindings = rd->hook_bindings();
    ASSERT_EQ(bindings.size(), 1u);
    EXPECT_EQ(bindings[0].plugin_version, "2.0");
    EXPECT_EQ(bindings[0].endpoint, "http://127.0.0.1:1/b");
    EXPECT_EQ(rd->tenant_status("ten"), "retired");
    EXPECT_FALSE(rd->tenant_status("other").has_value());
    const auto first = head[0].seq;
    rd.reset();

    // Acknowledged events go; the sequence continues after them.
    std::int64_t next = 0;
    write([&](WriteTxn& tx) {
        tx.ack_outbox(first);
        next = tx.next_event_sequence("z1");
    });
    EXPECT_EQ(next, 3);
    EXPECT_EQ(ids_of(store_->read()->outbox_head(10)), (std::vector<std::string>{"e2"}));
}

DNSPLANE_BOTH_BACKENDS(IdentityStoreTest);

}  // namespace
}  // namespace dnsplane::store::testing
