#!/usr/bin/env bash
# Runs designate-tempest-plugin (Debian's `designate-tempest-plugin` 0.14.0 on
# `tempest`) against a fresh dnsplane in one tempest pass:
#   api.v2 + scenario.v2, less the exclusions below (each with its reason).
# dnsplane runs with --auth token; tempest authenticates against dnsplane's
# built-in identity endpoint (/identity/v3) with pre-provisioned accounts
# (tempest's test_accounts_file), created here with `dnsplane user create`.
# As in a Designate deployment, the pool has a real secondary: a stock Knot
# DNS that learns every zone from dnsplane's catalog zone (NOTIFY + IXFR) and
# is polled for each change's serial, so a change shows PENDING until Knot
# serves it, then ACTIVE (the suite checks both).
#
# Prints, last:  tempest: N passed, N failed, N skipped (S s)
# and writes JUnit XML to $TEMPEST_JUNIT (default $BUILD_DIR/tempest-junit.xml)
# so scripts/test counts the cases. Exit status: 0 when nothing failed.
# Environment: BUILD_DIR, DNSPLANE_BIN, TEMPEST_CONCURRENCY (default 2),
# TEMPEST_REGEX (default: the suite above), TEMPEST_KEEP=1 (keep the workspace).
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${BUILD_DIR:-$repo/build}"
bin="${DNSPLANE_BIN:-$build_dir/dnsplane}"
junit="${TEMPEST_JUNIT:-$build_dir/tempest-junit.xml}"
concurrency="${TEMPEST_CONCURRENCY:-2}"
regex="${TEMPEST_REGEX:-^designate_tempest_plugin\.tests\.(api|scenario)\.v2\.}"
# Excluded, for a reason dnsplane cannot meet:
# - test_ptrs: needs Neutron floating IPs.
# Run last, in a pass of its own (the same server and accounts):
# - BlacklistE2E.test_admin_creates_zone_matches_blacklist_name_or_regex has
#   an admin create two zones in the primary project (sudo header) and delete
#   them without it: that delete is a 404 in Designate as here, so the zones
#   stay. Upstream CI gives every class fresh projects (dynamic credentials);
#   with pre-provisioned accounts the next class holding that account would
#   find them (ZonesAdminTest.test_show_zone_impersonate_another_project
#   takes the project's first zone for its own).
exclude='designate_tempest_plugin\.tests\.api\.v2\.test_ptrs'
last_id=designate_tempest_plugin.tests.scenario.v2.test_blacklists.BlacklistE2E.test_admin_creates_zone_matches_blacklist_name_or_regex
last="${last_id//./\\.}\\b"

if ! command -v tempest >/dev/null || ! /usr/bin/python3 -c 'import designate_tempest_plugin' 2>/dev/null; then
    echo "tempest: tempest or designate-tempest-plugin not installed (scripts/install-deps)"
    echo "tempest: 0 passed, 1 failed, 0 skipped (0 s)"
    exit 1
fi
[ -x "$bin" ] || { echo "tempest: no dnsplane binary at $bin"; exit 1; }

work="$(mktemp -d /tmp/dnsplane-tempest.XXXXXX)"
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    if [ -n "${proxy_pid:-}" ]; then kill "$proxy_pid" 2>/dev/null; fi
    if [ -n "${knot_pid:-}" ]; then kill "$knot_pid" 2>/dev/null; wait "$knot_pid" 2>/dev/null; fi
    if [ "${TEMPEST_KEEP:-0}" = 1 ]; then echo "tempest: workspace kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() {
    /usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
p = s.getsockname()[1]; t.bind(("127.0.0.1", p)); print(p)'
}
api_port="$(free_port)"
dns_port="$(free_port)"
knot_port="$(free_port)"
db="sqlite://$work/dnsplane.db"
api="http://127.0.0.1:$api_port"

# --- accounts ----------------------------------------------------------------
# Enough for $concurrency workers: a class takes at most primary, alt and
# project_member (members), project_reader, admin, system_admin and
# system_reader. Project admins carry the
# tempest-only role `tempest_admin` (tempest's admin_role below) so that
# tempest never hands a system-scoped account out as `admin`; members come
# first in the file because tempest gives primary/alt the first free accounts.
password="tempest-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
accounts="$work/accounts.yaml"
: >"$accounts"
add_user() {  # name project role yaml-roles scope
    "$bin" user create --database "$db" --name "$1" --password "$password" \
        --project "$2" --role "$3" >/dev/null 2>>"$work/users.log" || { cat "$work/users.log"; exit 1; }
    {
        echo "- username: '$1'"
        echo "  password: '$password'"
        echo "  user_domain_name: Default"
        if [ "$5" = system ]; then
            echo "  system: all"
        else
            echo "  project_name: '$2'"
            echo "  project_domain_name: Default"
        fi
        echo "  roles: [$4]"
    } >>"$accounts"
}
workers=$((concurrency < 1 ? 1 : concurrency))
for i in $(seq 1 $((3 * workers + 1))); do add_user "member$i" "project$i" member member project; done
for i in $(seq 1 $((workers + 1))); do add_user "reader$i" "reader-project$i" reader reader project; done
for i in $(seq 1 "$workers"); do add_user "admin$i" "admin-project$i" admin tempest_admin project; done
for i in $(seq 1 "$workers"); do add_user "sysadmin$i" "sys-project$i" admin admin system; done
for i in $(seq 1 "$workers"); do add_user "sysreader$i" "sysr-project$i" reader reader system; done

# --- dnsplane and its Knot secondary --------------------------------------------
# The poll delay (Designate's poll_delay, shortened) lets Knot transfer first.
"$bin" serve --database "$db" --auth token --api-listen "127.0.0.1:$api_port" \
    --dns-listen "127.0.0.1:$dns_port" --webhook-listen "" --health-listen "" \
    --catalog-zone catalog.invalid --also-notify "127.0.0.1:$knot_port" \
    --poll-nameserver "127.0.0.1:$knot_port" --pool-poll-delay 200ms \
    --pool-poll-retry-interval 200ms --pool-poll-max-retries 100 \
    --log-level warn >"$work/dnsplane.log" 2>&1 &
pid=$!
knotd="$(command -v knotd || echo /usr/sbin/knotd)"
[ -x "$knotd" ] || { echo "tempest: knotd not installed (scripts/install-deps)"; exit 1; }
mkdir -p "$work/knot"
cat >"$work/knot/knot.conf" <<KNOT
server:
    listen: 127.0.0.1@$knot_port
    rundir: $work/knot
database:
    storage: $work/knot
log:
  - target: stderr
    any: info
remote:
  - id: dnsplane
    address: 127.0.0.1@$dns_port
acl:
  - id: from_dnsplane
    address: 127.0.0.0/8
    action: notify
template:
  - id: default
    storage: $work/knot
    zonefile-sync: -1
    zonefile-load: none
    journal-content: all
  - id: member
    master: dnsplane
    acl: from_dnsplane
    storage: $work/knot
    zonefile-sync: -1
    zonefile-load: none
    journal-content: all
zone:
  - domain: catalog.invalid.
    master: dnsplane
    acl: from_dnsplane
    catalog-role: interpret
    catalog-template: member
KNOT
for _ in $(seq 100); do
    curl -sf "$api/" >/dev/null && break
    sleep 0.1
done
curl -sf "$api/identity/v3" >/dev/null || { echo "tempest: dnsplane did not start"; cat "$work/dnsplane.log"; exit 1; }
"$knotd" -c "$work/knot/knot.conf" >>"$work/knot/knotd.log" 2>&1 &
knot_pid=$!
for _ in $(seq 100); do
    grep -q "zone updated" "$work/knot/knotd.log" 2>/dev/null && break
    sleep 0.1
done
grep -q "zone updated" "$work/knot/knotd.log" ||
    { echo "tempest: knotd did not transfer the catalog"; cat "$work/knot/knotd.log"; exit 1; }

# --- tempest workspace -----------------------------------------------------------
# A private workspace registry: nothing is added to ~/.tempest.
(cd "$work" && tempest init --name dnsplane --workspace-path "$work/workspaces.yaml" ws \
    >"$work/init.log" 2>&1) || { echo "tempest: tempest init failed"; cat "$work/init.log"; exit 1; }
cat >"$work/ws/etc/tempest.conf" <<CONF
[DEFAULT]
log_file = tempest.log
debug = true

[auth]
use_dynamic_credentials = false
test_accounts_file = $accounts
default_credentials_domain_name = Default
create_isolated_networks = false

[identity]
uri_v3 = $api/identity/v3
auth_version = v3
region = RegionOne
admin_role = tempest_admin
v3_endpoint_type = public

[identity-feature-enabled]
api_v2 = false
api_v3 = true

[service_available]
designate = true
nova = false
neutron = false
glance = false
cinder = false
swift = false

[dns]
endpoint_type = publicURL
catalog_type = dns
nameservers = 127.0.0.1:$dns_port
build_interval = 1
build_timeout = 30
query_timeout = 2
min_ttl = 0

[dns_feature_enabled]
api_v2 = true
api_admin = true
api_v2_root_recordsets = true
api_v2_quotas = true
# Off, as Designate's own default (quotas_verify_project_id = False): dnsplane
# keeps no project registry to check a project id against.
api_v2_quotas_verify_project = false
bug_1573141_fixed = true
bug_1932026_fixed = true
enforce_new_defaults = false

[enforce_scope]
designate = false
CONF

# --- data files ------------------------------------------------------------------
# Debian's package lacks the JSON files its data-driven tests read (ddt.file_data
# looks next to the test module), so without them each such test is one
# `..._00001_error`. Ours (tests/tempest/data, written for dnsplane, same keys)
# go into an overlay of the package: a tree of symlinks to the installed files
# plus our data files, first on PYTHONPATH so tempest loads the plugin from it.
plugin_src="$(/usr/bin/python3 -c 'import designate_tempest_plugin, os; print(os.path.dirname(designate_tempest_plugin.__file__))')"
overlay="$work/overlay/designate_tempest_plugin"
mkdir -p "$overlay"
(cd "$plugin_src" && find . -name __pycache__ -prune -o -type f -name '*.py' -print) | while read -r f; do
    mkdir -p "$overlay/$(dirname "$f")"
    ln -s "$plugin_src/$f" "$overlay/$f"
done
(cd "$repo/tests/tempest/data" && find . -type f -name '*.json') | while read -r f; do
    cp "$repo/tests/tempest/data/$f" "$overlay/tests/$f"
done
export PYTHONPATH="$work/overlay${PYTHONPATH:+:$PYTHONPATH}"

# --- run -------------------------------------------------------------------------
start=$(date +%s)
(cd "$work/ws" && tempest run --regex "$regex" --exclude-regex "$exclude|$last" \
    --concurrency "$concurrency" >"$work/run.log" 2>&1)
rc=$?
(cd "$work/ws" && stestr last --subunit >"$work/pass1.subunit" 2>/dev/null)
: >"$work/pass2.subunit"
# The second pass only when the first one's regex selects that test too.
if /usr/bin/python3 -c 'import re, sys; sys.exit(0 if re.search(sys.argv[1], sys.argv[2]) else 1)' \
    "$regex" "$last_id"; then
    (cd "$work/ws" && tempest run --regex "$last" --concurrency 1 >>"$work/run.log" 2>&1)
    rc2=$?
    [ "$rc" -ne 0 ] || rc=$rc2
    (cd "$work/ws" && stestr last --subunit >"$work/pass2.subunit" 2>/dev/null)
fi
seconds=$(($(date +%s) - start))
mkdir -p "$(dirname "$junit")"
cat "$work/pass1.subunit" "$work/pass2.subunit" | subunit2junitxml >"$junit" 2>/dev/null
# Failing test ids, for the log.
grep -E '^\{[0-9]+\} .* \.\.\. FAILED' "$work/run.log" | sed 's/^{[0-9]*} /FAILED /' | sort -u
counts=$(/usr/bin/python3 - "$junit" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print("0 0 0"); sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = f = s = 0
for x in suites:
    t += int(x.get("tests", 0)); f += int(x.get("failures", 0)) + int(x.get("errors", 0))
    s += int(x.get("skipped", 0))
print(t - f - s, f, s)
PY
)
read -r passed failed skipped <<<"$counts"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1
    tail -40 "$work/run.log"
fi
echo "tempest: $passed passed, $failed failed, $skipped skipped ($seconds s)"
[ "$failed" -eq 0 ]
