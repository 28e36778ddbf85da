// Zone transfers between projects (Designate transfer requests/accepts): the
// owner offers a zone with a key, optionally to one project; a project
// holding the request id and key accepts, and the zone with its record sets
// moves to that project in one transaction.
#include <string>

#include "common/util.h"
#include "core/error.h"
#include "service/tenancy.h"
#include "service/zone_service.h"

namespace dnsplane::service {

namespace {

core::Error request_not_found() {
    return core::not_found("zone_transfer_request_not_found", "Could not find ZoneTransferRequest");
}

core::Error accept_not_found() {
    return core::not_found("zone_transfer_accept_not_found", "Could not find ZoneTransferAccept");
}

bool is_owner_side(const Caller& c, const store::ZoneTask& t) {
    return can_see(c, t.project_id);
}

// Whose lists show a request: the zone's project (every project with
// all_projects) and the project it names as target.
bool listed_for(const Caller& c, const store::ZoneTask& t) {
    return is_owner_side(c, t) ||
           (!t.target_project_id.empty() && t.target_project_id == c.project_id);
}

// Who may fetch a request by id, as in Designate: whoever lists it, every
// project when it names no target (any of them may accept it with the key),
// and admins. Only the owner side sees the key.
bool may_see_request(const Caller& c, const store::ZoneTask& t) {
    return listed_for(c, t) || c.is_admin() || t.target_project_id.empty();
}

// Eight characters from an unambiguous alphabet, as Designate's keys.
std::string new_key() {
    static const char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const std::string seed = common::random_token(16);
    std::string key;
    for (std::size_t i = 0; i < 8; ++i)
        key += kAlphabet[static_cast<unsigned char>(seed[i]) % (sizeof(kAlphabet) - 1)];
    return key;
}

void check_description(const std::string& d) {
    if (d.size() > 160)
        throw core::invalid("A description holds at most 160 characters", {"description"});
}

void check_project_id(const std::string& p) {
    if (p.size() > 255)
        throw core::invalid("A project id holds at most 255 characters", {"target_project_id"});
}

}  // namespace

store::ZoneTask ZoneService::create_transfer_request(const Caller& c, const std::string& zone_id,
                                                     const TransferRequestInput& in) {
    require_writer(c);
    check_description(in.description);
    check_project_id(in.target_project_id);
    store::ZoneTask t;
    t.id = common::new_uuid();
    t.kind = kTransferRequest;
    t.key = new_key();
    t.description = in.description;
    t.target_project_id = in.target_project_id;
    t.status = "ACTIVE";
    t.created_at = common::now_timestamp();
    commit([&](store::WriteTxn& txn) {
        core::Zone zone = visible_zone(txn, c, zone_id);
        t.project_id = zone.project_id;
        t.zone_id = zone.id;
        t.zone_name = zone.shown_name();
        txn.insert_task(t);
        return std::vector<core::ZoneChange>{};
    });
    return t;
}

store::ZoneTask ZoneService::get_transfer_request(const Caller& c, const std::string& id,
                                                  bool* with_key) {
    auto txn = store_.read();
    auto t = txn->get_task(id);
    if (!t || t->kind != kTransferRequest || !may_see_request(c, *t)) throw request_not_found();
    if (with_key) *with_key = is_owner_side(c, *t);
    return *t;
}

std::vector<store::ZoneTask> ZoneService::list_transfer_requests(const Caller& c) {
    auto txn = store_.read();
    std::vector<store::ZoneTask> out;
    for (auto& t : txn->list_tasks(kTransferRequest, std::nullopt))
        if (listed_for(c, t)) out.push_back(std::move(t));
    return out;
}

store::ZoneTask ZoneService::update_transfer_request(const Caller& c, const std::string& id,
                                                     const TransferRequestUpdate& in) {
    require_writer(c);
    if (in.description) check_description(*in.description);
    if (in.target_project_id) check_project_id(*in.target_project_id);
    store::ZoneTask t;
    commit([&](store::WriteTxn& txn) {
        auto found = txn.get_task(id);
        if (!found || found->kind != kTransferRequest || !may_see_request(c, *found))
            throw request_not_found();
        if (!is_owner_side(c, *found))
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "Only the zone's project may change a transfer request");
        t = *found;
        if (in.description) t.description = *in.description;
        if (in.target_project_id) t.target_project_id = *in.target_project_id;
        t.version += 1;
        t.updated_at = common::now_timestamp();
        txn.update_task(t);
        return std::vector<core::ZoneChange>{};
    });
    return t;
}

void ZoneService::delete_transfer_request(const Caller& c, const std::string& id) {
    require_writer(c);
    commit([&](store::WriteTxn& txn) {
        auto t = txn.get_task(id);
        if (!t || t->kind != kTransferRequest || !may_see_request(c, *t)) throw request_not_found();
        if (!is_owner_side(c, *t))
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "Only the zone's project may delete a transfer request");
        txn.delete_task(id);
        // Its accepts are the request's history: they go with it (Designate).
        for (const auto& a : txn.list_tasks(kTransferAccept, t->zone_id))
            if (a.request_id == id) txn.delete_task(a.id);
        return std::vector<core::ZoneChange>{};
    });
}

store::ZoneTask ZoneService::accept_transfer(const Caller& c, const std::string& request_id,
                                             const std::string& key) {
    require_writer(c);
    store::ZoneTask accept;
    accept.id = common::new_uuid();
    accept.kind = kTransferAccept;
    accept.project_id = c.project_id;
    accept.request_id = request_id;
    accept.created_at = common::now_timestamp();
    commit([&](store::WriteTxn& txn) {
        auto req = txn.get_task(request_id);
        if (!req || req->kind != kTransferRequest) throw request_not_found();
        // A request is accepted once: a used one is a bad request, as in Designate.
        if (req->status != "ACTIVE")
            throw core::bad_request("invalid_zone_transfer_request",
                                    "The zone transfer request has already been accepted");
        if (!req->target_project_id.empty() && req->target_project_id != c.project_id)
            throw core::Error(core::ErrorKind::Forbidden, "forbidden",
                              "This transfer request is for another project");
        if (key != req->key)
            throw core::Error(core::ErrorKind::Forbidden, "incorrect_zone_transfer_key",
                              "The key does not match the transfer request");
        auto zone = txn.get_zone(req->zone_id);
        if (!zone || zone->project_id != req->project_id) throw request_not_found();
        if (zone->project_id != c.project_id) {
            if (txn.count_zones(c.project_id) >= settings_.quotas.zones_per_project)
                throw core::Error(core::ErrorKind::TooLarge, "over_quota",
                                  "Quota exceeded: a project may hold at most " +
                                      std::to_string(settings_.quotas.zones_per_project) +
                                      " zones");
            txn.move_zone_project(zone->id, zone->project_id, c.project_id);
            zone->project_id = c.project_id;
            zone->version += 1;
            zone->updated_at = accept.created_at;
            txn.update_zone(*zone);
        }
        req->status = "COMPLETE";
        req->version += 1;
        req->updated_at = accept.created_at;
        txn.update_task(*req);
        // The zone's shares were granted by the old owner: they end here.
        for (const auto& share : txn.list_tasks(kZoneShare, zone->id)) txn.delete_task(share.id);
        accept.zone_id = zone->id;
        accept.zone_name = zone->shown_name();
        accept.status = "COMPLETE";
        txn.insert_task(accept);
        // The DNS data is unchanged: nothing to publish.
        return std::vector<core::ZoneChange>{};
    });
    return accept;
}

store::ZoneTask ZoneService::get_transfer_accept(const Caller& c, const std::string& id) {
    auto txn = store_.read();
    auto t = txn->get_task(id);
    if (!t || t->kind != kTransferAccept || !can_see(c, t->project_id)) throw accept_not_found();
    return *t;
}

std::vector<store::ZoneTask> ZoneService::list_transfer_accepts(const Caller& c) {
    auto txn = store_.read();
    std::vector<store::ZoneTask> out;
    for (auto& t : txn->list_tasks(kTransferAccept, std::nullopt))
        if (can_see(c, t.project_id)) out.push_back(std::move(t));
    return out;
}

}  // namespace dnsplane::service
