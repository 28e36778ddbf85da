// Designate zone tasks in the service: import (one transaction, or nothing
// and an ERROR task naming the line), export rows, abandon, transfers
// between projects, zone shares.
#include "service_fixture.h"

namespace dnsplane::service::testing {
namespace {

ZoneImport sample_import(const std::string& name) {
    ZoneImport in;
    in.name = name;
    in.email = "hostmaster@" + name;
    in.ttl = 600;
    in.refresh = 1000;
    in.retry = 200;
    in.expire = 99999;
    in.minimum = 300;
    in.sets.push_back({"www." + name, "A", std::nullopt, {"192.0.2.1", "192.0.2.2"}, 4});
    in.sets.push_back({name, "MX", 300, {"10 mail." + name}, 5});
    in.sets.push_back({"mail." + name, "AAAA", std::nullopt, {"2001:db8::1"}, 6});
    return in;
}

TEST_F(ServiceTest, ImportCreatesZoneAndSetsInOneChange) {
    auto task = svc().import_zone(owner_, sample_import("import.test."));
    ASSERT_EQ(task.status, "COMPLETE") << task.message;
    EXPECT_EQ(task.kind, kTaskImport);
    EXPECT_EQ(task.project_id, "project-a");
    auto zone = stored_zone(task.zone_id);
    EXPECT_EQ(zone.name, "import.test.");
    EXPECT_EQ(zone.ttl, 600u);
    EXPECT_EQ(zone.refresh, 1000u);
    EXPECT_EQ(zone.minimum, 300u);
    EXPECT_EQ(values(stored_set(zone, "www.import.test.", "A")),
              (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
    EXPECT_EQ(stored_set(zone, "import.test.", "MX").ttl, 300u);
    EXPECT_FALSE(stored_set(zone, "mail.import.test.", "AAAA").ttl.has_value());
    // One change for the whole import, published once: created with every set.
    auto log = change_log(zone);
    ASSERT_EQ(log.size(), 1u);
    EXPECT_TRUE(log[0].zone_created);
    EXPECT_EQ(log[0].old_serial, 0u);
    EXPECT_EQ(log[0].new_serial, zone.serial);
    EXPECT_EQ(log[0].added.size(), 2u + 2u + 1u + 1u);  // NS x2, A x2, MX, AAAA
    ASSERT_EQ(sink_.changes.size(), 1u);
    EXPECT_EQ(sink_.changes[0].added.size(), 6u);
    EXPECT_EQ(svc().get_task(owner_, kTaskImport, task.id).status, "COMPLETE");
}

TEST_F(ServiceTest, FailedImportCreatesNothingAndNamesTheLine) {
    auto in = sample_import("bad.test.");
    in.sets.push_back({"alias.bad.test.", "CNAME", std::nullopt, {"www.bad.test."}, 7});
    in.sets.push_back({"alias.bad.test.", "TXT", std::nullopt, {"\"x\""}, 9});
    auto before = snapshot();
    auto task = svc().import_zone(owner_, in);
    EXPECT_EQ(task.status, "ERROR");
    EXPECT_TRUE(task.zone_id.empty());
    EXPECT_EQ(task.message.rfind("line ", 0), 0u) << task.message;
    EXPECT_NE(task.message.find("CNAME"), std::string::npos) << task.message;
    EXPECT_EQ(snapshot(), before);
    EXPECT_TRUE(sink_.changes.empty());
    // The failed task is kept for the client to read.
    EXPECT_EQ(svc().list_tasks(owner_, kTaskImport).size(), 1u);
}

TEST_F(ServiceTest, ImportOfAnExistingZoneFails) {
    make_zone("taken.test.", owner_);
    auto before = snapshot();
    auto task = svc().import_zone(owner_, sample_import("taken.test."));
    EXPECT_EQ(task.status, "ERROR");
    EXPECT_NE(task.message.find("already exists"), std::string::npos) << task.message;
    EXPECT_EQ(snapshot(), before);
}

TEST_F(ServiceTest, ImportIsRefusedToReaders) {
    EXPECT_REJECTED(svc().import_zone(reader_of("project-a"), sample_import("r.test.")), Forbidden,
                    "forbidden");
}

TEST_F(ServiceTest, TasksAreInvisibleToOtherProjects) {
    auto task = svc().import_zone(owner_, sample_import("mine.test."));
    auto other = member_of("project-b");
    EXPECT_REJECTED(svc().get_task(other, kTaskImport, task.id), NotFound, "zone_import_not_found");
    EXPECT_TRUE(svc().list_tasks(other, kTaskImport).empty());
    EXPECT_EQ(svc().list_tasks(admin_of("x", true), kTaskImport).size(), 1u);
    EXPECT_REJECTED(svc().delete_task(other, kTaskImport, task.id), NotFound,
                    "zone_import_not_found");
    svc().delete_task(owner_, kTaskImport, task.id);
    EXPECT_TRUE(svc().list_tasks(owner_, kTaskImport).empty());
    // Deleting the task leaves the zone.
    EXPECT_EQ(stored_zone(task.zone_id).name, "mine.test.");
}

TEST_F(ServiceTest, ExportReadsTheZoneAsItIsWhenFetched) {
    auto z = make_zone("exp.test.", owner_);
    auto task = svc().create_export(owner_, z.id);
    EXPECT_EQ(task.status, "COMPLETE");
    make_rs(z, "www.exp.test.", "A", {"192.0.2.9"});
    auto contents = svc().export_contents(owner_, task.id);
    EXPECT_EQ(contents.zone.id, z.id);
    EXPECT_EQ(contents.sets.size(), 3u);  // SOA, NS, A
    EXPECT_REJECTED(svc().create_export(member_of("project-b"), z.id), NotFound, "zone_not_found");
    svc().delete_zone(owner_, z.id);
    EXPECT_THROW(svc().export_contents(owner_, task.id), core::Error);
}

TEST_F(ServiceTest, AbandonIsForAdminsAndLeavesTheZoneServedWithoutProject) {
    auto z = make_zone("gone.test.", owner_);
    make_rs(z, "www.gone.test.", "A", {"192.0.2.1"});
    EXPECT_REJECTED(svc().abandon_zone(owner_, z.id), Forbidden, "forbidden");
    const auto changes_before = sink_.changes.size();
    auto admin = admin_of("ops", true);
    svc().abandon_zone(admin, z.id);
    // Still stored (so still served), in no project; no DNS change published.
    auto kept = store_->read()->get_zone(z.id);
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->project_id, "");
    EXPECT_EQ(sink_.changes.size(), changes_before);
    EXPECT_REJECTED(svc().get_zone(owner_, z.id), NotFound, "zone_not_found");
    for (const auto& rs : store_->read()->zone_recordsets(z.id)) EXPECT_EQ(rs.project_id, "");
}

TEST_F(ServiceTest, TransferMovesZoneAndSetsToTheAcceptingProject) {
    auto z = make_zone("move.test.", owner_);
    make_rs(z, "www.move.test.", "A", {"192.0.2.1"});
    auto req = svc().create_transfer_request(owner_, z.id, {"for b", "project-b"});
    EXPECT_EQ(req.status, "ACTIVE");
    EXPECT_EQ(req.key.size(), 8u);
    auto b = member_of("project-b");
    auto c = member_of("project-c");
    // The target sees the request, but not its key; others do not see it.
    bool with_key = true;
    EXPECT_EQ(svc().get_transfer_request(b, req.id, &with_key).id, req.id);
    EXPECT_FALSE(with_key);
    EXPECT_REJECTED(svc().get_transfer_request(c, req.id), NotFound,
                    "zone_transfer_request_not_found");
    EXPECT_EQ(svc().list_transfer_requests(b).size(), 1u);
    EXPECT_TRUE(svc().list_transfer_requests(c).empty());
    // Another project, or a wrong key, changes nothing.
    EXPECT_REJECTED(svc().accept_transfer(c, req.id, req.key), Forbidden, "forbidden");
    EXPECT_REJECTED(svc().accept_transfer(b, req.id, "WRONGKEY"), Forbidden,
                    "incorrect_zone_transfer_key");
    auto accept = svc().accept_transfer(b, req.id, req.key);
    EXPECT_EQ(accept.status, "COMPLETE");
    EXPECT_EQ(accept.zone_id, z.id);
    auto moved = stored_zone(z.id);
    EXPECT_EQ(moved.project_id, "project-b");
    EXPECT_EQ(moved.serial, stored_zone(z.id).serial);
    for (const auto& rs : store_->read()->zone_recordsets(z.id))
        EXPECT_EQ(rs.project_id, "project-b") << rs.name << " " << rs.type;
    EXPECT_REJECTED(svc().get_zone(owner_, z.id), NotFound, "zone_not_found");
    EXPECT_EQ(svc().get_zone(b, z.id).id, z.id);
    EXPECT_EQ(svc().get_transfer_request(owner_, req.id).status, "COMPLETE");
    EXPECT_EQ(svc().get_transfer_accept(b, accept.id).request_id, req.id);
    EXPECT_REJECTED(svc().get_transfer_accept(owner_, accept.id), NotFound,
                    "zone_transfer_accept_not_found");
    // A completed request cannot be accepted again (Designate: 400).
    EXPECT_REJECTED(svc().accept_transfer(c, req.id, req.key), BadRequest,
                    "invalid_zone_transfer_request");
}

// An untargeted request is fetched by id by anyone who was given it (as
// Designate).
TEST_F(ServiceTest, TransferRequestWithoutTargetCanBeFetchedByAnyProject) {
    auto z = make_zone("open.test.", owner_);
    auto req = svc().create_transfer_request(owner_, z.id, {"", ""});
    auto b = member_of("project-b");
    EXPECT_EQ(svc().get_transfer_request(b, req.id).id, req.id);
    EXPECT_EQ(svc().get_transfer_request(admin_of("ops"), req.id).id, req.id);
    auto updated = svc().update_transfer_request(owner_, req.id, {std::string("new"), {}});
    EXPECT_EQ(updated.description, "new");
    svc().accept_transfer(b, req.id, req.key);
    EXPECT_EQ(stored_zone(z.id).project_id, "project-b");
}

TEST_F(ServiceTest, SharedZoneLetsTheProjectManageItsOwnSets) {
    auto z = make_zone("shared.test.", owner_);
    auto own = make_rs(z, "www.shared.test.", "A", {"192.0.2.1"});
    auto b = member_of("project-b");
    EXPECT_REJECTED(svc().create_recordset(b, z.id, {"x.shared.test.", "A", {}, "", {"192.0.2.2"}}),
                    NotFound, "zone_not_found");
    auto share = svc().share_zone(owner_, z.id, "project-b");
    EXPECT_REJECTED(svc().share_zone(owner_, z.id, "project-b"), Conflict, "duplicate_shared_zone");
    EXPECT_REJECTED(svc().share_zone(owner_, z.id, "project-a"), BadRequest, "bad_request");
    EXPECT_TRUE(svc().get_zone(owner_, z.id).shared);

    auto theirs = svc().create_recordset(b, z.id, {"x.shared.test.", "A", {}, "", {"192.0.2.2"}});
    EXPECT_EQ(theirs.project_id, "project-b");
    // They see the whole zone's sets, change only theirs.
    store::ListQuery q;
    q.scope.zone_id = z.id;
    EXPECT_EQ(svc().list_recordsets(b, q).items.size(), 4u);
    EXPECT_REJECTED(svc().delete_recordset(b, z.id, own.id), Forbidden, "forbidden");
    EXPECT_REJECTED(svc().update_zone(b, z.id, {std::nullopt, 60, std::nullopt}), NotFound,
                    "zone_not_found");
    // The owner changes anything; the share ends only once b has no set left.
    EXPECT_REJECTED(svc().unshare_zone(owner_, z.id, share.id), Conflict,
                    "shared_zone_has_recordsets");
    EXPECT_REJECTED(svc().delete_zone(owner_, z.id), Conflict, "zone_shared");
    svc().delete_recordset(b, z.id, theirs.id);
    svc().unshare_zone(owner_, z.id, share.id);
    EXPECT_FALSE(svc().get_zone(owner_, z.id).shared);
    EXPECT_REJECTED(svc().get_recordset(b, z.id, own.id), NotFound, "zone_not_found");
}

TEST_F(ServiceTest, ZonesSharedWithAProjectAreInItsZoneList) {
    auto b = member_of("project-b");
    make_zone("theirs.test.", b);
    auto z = make_zone("shared-list.test.", owner_);
    make_zone("unshared.test.", owner_);
    auto names = [&](const Caller& c) {
        store::ListQuery q;
        q.sort_key = "name";
        auto page = svc().list_zones(c, q);
        std::vector<std::pair<std::string, bool>> out;
        for (const auto& zone : page.items) out.emplace_back(zone.name, zone.shared);
        EXPECT_EQ(page.total_count, out.size());
        return out;
    };
    using List = std::vector<std::pair<std::string, bool>>;
    EXPECT_EQ(names(b), (List{{"theirs.test.", false}}));
    svc().share_zone(owner_, z.id, "project-b");
    EXPECT_EQ(names(b), (List{{"shared-list.test.", true}, {"theirs.test.", false}}));
    // The owner's list marks the zone shared too; other projects see nothing new.
    EXPECT_EQ(names(owner_), (List{{"shared-list.test.", true}, {"unshared.test.", false}}));
    EXPECT_TRUE(names(member_of("project-c")).empty());
    // Listing is all: b still cannot change the zone itself.
    EXPECT_REJECTED(svc().delete_zone(b, z.id), NotFound, "zone_not_found");
}

TEST_F(ServiceTest, SharedZoneIsDeletedWithDeleteShares) {
    auto z = make_zone("bye.test.", owner_);
    svc().share_zone(owner_, z.id, "project-b");
    svc().delete_zone(owner_, z.id, std::nullopt, /*delete_shares=*/true);
    EXPECT_TRUE(store_->read()->list_tasks(kZoneShare, z.id).empty());
}

}  // namespace
}  // namespace dnsplane::service::testing
