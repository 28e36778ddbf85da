"""The dnsplane Lexicon provider (contrib/lexicon/dnsplane.py) driven through
Lexicon's Provider API (Debian's lexicon 3.11) against the running binary.

Lexicon's upstream IntegrationTestsV2 is not shipped by Debian's
python3-lexicon (dpkg -L lists only lexicon/tests/test_{client,config,
library,output,parser}.py), so its cases are re-stated here, one test each
(test names follow the upstream ones), followed by the rules that suite never
checks, and the stock `lexicon` command and the wrapper with --output JSON.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from lexicon.exceptions import AuthenticationError

from dnsplane_harness import create_zone
from lexicon_support import CONTRIB, authenticated, lexicon_domain, provider


@pytest.fixture(scope="module")
def srv(dnsplane_module):
    return dnsplane_module


@pytest.fixture
def domain(srv):
    name = lexicon_domain()
    create_zone(srv.session(), name + ".")
    return name


@pytest.fixture
def p(srv, domain):
    return authenticated(srv, domain)


def names(records):
    return sorted(r["name"] for r in records)


def contents(records):
    return sorted(r["content"] for r in records)


# --- IntegrationTestsV2, re-stated -------------------------------------------
def test_provider_module_shape():
    import importlib
    module = importlib.import_module("lexicon.providers.dnsplane")
    assert callable(module.provider_parser) and callable(module.Provider)
    assert isinstance(module.NAMESERVER_DOMAINS, list)


def test_provider_authenticate(srv, domain):
    p = provider(srv, domain)
    p.authenticate()
    assert p.domain_id
    zone = srv.session().get("/v2/zones", params={"name": domain + "."}).json()["zones"][0]
    assert p.domain_id == zone["id"]


def test_provider_authenticate_with_unmanaged_domain_should_fail(srv):
    with pytest.raises(AuthenticationError):
        provider(srv, "thisisadomainidonotown.com").authenticate()


def test_provider_when_calling_create_record_for_A_with_valid_name_and_content(p, domain):
    assert p.create_record("A", "localhost", "127.0.0.1")
    recs = p.list_records("A", "localhost")
    assert [(r["name"], r["content"]) for r in recs] == [(f"localhost.{domain}", "127.0.0.1")]


def test_provider_when_calling_create_record_for_CNAME_with_valid_name_and_content(p, domain):
    assert p.create_record("CNAME", "docs", "docs.example.com")
    recs = p.list_records("CNAME", "docs")
    assert [(r["name"], r["content"]) for r in recs] == [(f"docs.{domain}", "docs.example.com")]


def test_provider_when_calling_create_record_for_TXT_with_valid_name_and_content(p, domain):
    assert p.create_record("TXT", "_acme-challenge.test", "challengetoken")
    recs = p.list_records("TXT", "_acme-challenge.test")
    assert [r["content"] for r in recs] == ["challengetoken"]


def test_provider_when_calling_create_record_for_TXT_with_full_name_and_content(p, domain):
    assert p.create_record("TXT", f"_acme-challenge.full.{domain}", "challengetoken")
    assert contents(p.list_records("TXT", "_acme-challenge.full")) == ["challengetoken"]


def test_provider_when_calling_create_record_for_TXT_with_fqdn_name_and_content(p, domain):
    assert p.create_record("TXT", f"_acme-challenge.fqdn.{domain}.", "challengetoken")
    assert contents(p.list_records("TXT", "_acme-challenge.fqdn")) == ["challengetoken"]


def test_provider_when_calling_list_records_with_no_arguments_should_list_all(p, domain):
    p.create_record("TXT", "lall", "x")
    recs = p.list_records()
    assert isinstance(recs, list) and len(recs) >= 3  # SOA, NS, TXT
    assert {"SOA", "NS", "TXT"} <= {r["type"] for r in recs}
    assert f"lall.{domain}" in names(recs)


def test_provider_when_calling_list_records_with_name_filter_should_return_record(p, domain):
    p.create_record("TXT", "random.test", "challengetoken")
    recs = p.list_records("TXT", "random.test")
    assert len(recs) == 1
    assert recs[0]["content"] == "challengetoken"
    assert recs[0]["type"] == "TXT"
    assert recs[0]["name"] == f"random.test.{domain}"


def test_provider_when_calling_list_records_with_full_name_filter_should_return_record(p, domain):
    p.create_record("TXT", f"random.fulltest.{domain}", "challengetoken")
    recs = p.list_records("TXT", f"random.fulltest.{domain}")
    assert [r["name"] for r in recs] == [f"random.fulltest.{domain}"]


def test_provider_when_calling_list_records_with_fqdn_name_filter_should_return_record(p, domain):
    p.create_record("TXT", f"random.fqdntest.{domain}.", "challengetoken")
    recs = p.list_records("TXT", f"random.fqdntest.{domain}.")
    assert [r["name"] for r in recs] == [f"random.fqdntest.{domain}"]


def test_provider_when_calling_list_records_after_setting_ttl(p, domain, srv):
    p3600 = authenticated(srv, domain, ttl=3600)
    p3600.create_record("TXT", "ttl.fqdn", "ttlshouldbe3600")
    recs = p3600.list_records("TXT", "ttl.fqdn")
    assert [r["ttl"] for r in recs] == [3600]


def test_provider_when_calling_list_records_with_invalid_filter_should_be_empty_list(p):
    assert p.list_records("TXT", "filter.thisdoesnotexist") == []


def test_provider_when_calling_update_record_should_modify_record(p):
    p.create_record("TXT", "orig.test", "challengetoken")
    rid = p.list_records("TXT", "orig.test")[0]["id"]
    assert p.update_record(rid, "TXT", "updated.test", "challengetoken")
    assert p.list_records("TXT", "orig.test") == []
    assert contents(p.list_records("TXT", "updated.test")) == ["challengetoken"]


def test_provider_when_calling_update_record_should_modify_record_name_specified(p):
    p.create_record("TXT", "orig.nameonly.test", "challengetoken")
    assert p.update_record(None, "TXT", "orig.nameonly.test", "updated")
    assert contents(p.list_records("TXT", "orig.nameonly.test")) == ["updated"]


def test_provider_when_calling_update_record_with_full_name_should_modify_record(p, domain):
    p.create_record("TXT", f"orig.testfull.{domain}", "challengetoken")
    rid = p.list_records("TXT", f"orig.testfull.{domain}")[0]["id"]
    assert p.update_record(rid, "TXT", f"updated.testfull.{domain}", "challengetoken")
    assert names(p.list_records("TXT", "updated.testfull")) == [f"updated.testfull.{domain}"]


def test_provider_when_calling_update_record_with_fqdn_name_should_modify_record(p, domain):
    p.create_record("TXT", f"orig.testfqdn.{domain}.", "challengetoken")
    rid = p.list_records("TXT", f"orig.testfqdn.{domain}.")[0]["id"]
    assert p.update_record(rid, "TXT", f"updated.testfqdn.{domain}.", "challengetoken")
    assert names(p.list_records("TXT", "updated.testfqdn")) == [f"updated.testfqdn.{domain}"]


def test_provider_when_calling_delete_record_by_identifier_should_remove_record(p):
    p.create_record("TXT", "delete.testid", "challengetoken")
    rid = p.list_records("TXT", "delete.testid")[0]["id"]
    assert p.delete_record(rid)
    assert p.list_records("TXT", "delete.testid") == []


def test_provider_when_calling_delete_record_by_filter_should_remove_record(p):
    p.create_record("TXT", "delete.testfilt", "challengetoken")
    assert p.delete_record(None, "TXT", "delete.testfilt", "challengetoken")
    assert p.list_records("TXT", "delete.testfilt") == []


def test_provider_when_calling_delete_record_by_filter_with_full_name_should_remove_record(p, domain):
    p.create_record("TXT", f"delete.testfull.{domain}", "challengetoken")
    assert p.delete_record(None, "TXT", f"delete.testfull.{domain}", "challengetoken")
    assert p.list_records("TXT", f"delete.testfull.{domain}") == []


def test_provider_when_calling_delete_record_by_filter_with_fqdn_name_should_remove_record(p, domain):
    p.create_record("TXT", f"delete.testfqdn.{domain}.", "challengetoken")
    assert p.delete_record(None, "TXT", f"delete.testfqdn.{domain}.", "challengetoken")
    assert p.list_records("TXT", f"delete.testfqdn.{domain}.") == []


def test_provider_when_calling_create_record_with_duplicate_records_should_be_noop(p):
    p.create_record("TXT", "_acme-challenge.noop", "challengetoken")
    rid = p.list_records("TXT", "_acme-challenge.noop")[0]["id"]
    assert p.create_record("TXT", "_acme-challenge.noop", "challengetoken")
    recs = p.list_records("TXT", "_acme-challenge.noop")
    assert [r["id"] for r in recs] == [rid]


def test_provider_when_calling_create_record_multiple_times_should_create_record_set(p):
    assert p.create_record("TXT", "_acme-challenge.createrecordset", "challengetoken1")
    assert p.create_record("TXT", "_acme-challenge.createrecordset", "challengetoken2")
    recs = p.list_records("TXT", "_acme-challenge.createrecordset")
    assert contents(recs) == ["challengetoken1", "challengetoken2"]


def test_provider_when_calling_list_records_with_invalid_filter_should_be_empty_list_content(p):
    p.create_record("TXT", "cfilter", "a")
    assert p.list_records("TXT", "cfilter", "not-there") == []


def test_provider_when_calling_list_records_should_handle_record_sets(p):
    p.create_record("TXT", "_acme-challenge.listrecordset", "challengetoken1")
    p.create_record("TXT", "_acme-challenge.listrecordset", "challengetoken2")
    recs = p.list_records("TXT", "_acme-challenge.listrecordset")
    assert len(recs) == 2 and len({r["id"] for r in recs}) == 2


def test_provider_when_calling_list_records_with_name_and_content_filter(p):
    p.create_record("TXT", "_acme-challenge.lnc", "one")
    p.create_record("TXT", "_acme-challenge.lnc", "two")
    recs = p.list_records("TXT", "_acme-challenge.lnc", "two")
    assert contents(recs) == ["two"]


def test_provider_when_calling_delete_record_with_record_set_name_remove_all(p):
    p.create_record("TXT", "_acme-challenge.deleterecordset", "challengetoken1")
    p.create_record("TXT", "_acme-challenge.deleterecordset", "challengetoken2")
    assert p.delete_record(None, "TXT", "_acme-challenge.deleterecordset")
    assert p.list_records("TXT", "_acme-challenge.deleterecordset") == []


def test_provider_when_calling_delete_record_with_record_set_by_content_should_leave_others(p):
    p.create_record("TXT", "_acme-challenge.deleterecordinset", "challengetoken1")
    p.create_record("TXT", "_acme-challenge.deleterecordinset", "challengetoken2")
    assert p.delete_record(None, "TXT", "_acme-challenge.deleterecordinset", "challengetoken1")
    recs = p.list_records("TXT", "_acme-challenge.deleterecordinset")
    assert contents(recs) == ["challengetoken2"]


# --- rules that suite never checks -------------------------------------------
def test_update_of_one_member_inside_a_set_leaves_the_others(p):
    p.create_record("A", "member", "192.0.2.1")
    p.create_record("A", "member", "192.0.2.2")
    target = [r for r in p.list_records("A", "member") if r["content"] == "192.0.2.2"][0]
    other = [r for r in p.list_records("A", "member") if r["content"] == "192.0.2.1"][0]
    assert p.update_record(target["id"], "A", "member", "198.51.100.2")
    recs = {r["id"]: r["content"] for r in p.list_records("A", "member")}
    assert recs == {other["id"]: "192.0.2.1", target["id"]: "198.51.100.2"}


def test_delete_of_an_absent_record_is_a_success(p):
    assert p.delete_record(None, "TXT", "never-there", "x")
    assert p.delete_record(None, "TXT", "never-there")
    assert p.delete_record("00000000-0000-0000-0000-000000000000")


def test_mx_priority_in_options(srv, domain):
    p = authenticated(srv, domain, priority=20)
    assert p.create_record("MX", "@", "mail.example.net")
    recs = p.list_records("MX")
    assert [(r["content"], r["options"]) for r in recs] == [
        ("mail.example.net", {"mx": {"priority": 20}})]
    answer = srv.query(domain + ".", "MX")
    assert [rr.to_text() for rrset in answer.answer for rr in rrset] == ["20 mail.example.net."]


def test_update_that_matches_nothing_raises(p):
    with pytest.raises(requests.exceptions.HTTPError) as exc:
        p.update_record(None, "TXT", "nothing.here", "x")
    assert exc.value.response.status_code == 404


def test_ttl_given_to_lexicon_is_applied(srv, domain):
    p = authenticated(srv, domain, ttl=120)
    p.create_record("A", "ttl120", "192.0.2.5")
    assert [r["ttl"] for r in p.list_records("A", "ttl120")] == [120]


def test_authentication_errors(srv, dnsplane_factory, domain):
    # another project's domain
    other = lexicon_domain()
    create_zone(srv.session(project="someone-else"), other + ".")
    with pytest.raises(AuthenticationError):
        provider(srv, other).authenticate()
    # an invalid token
    tsrv = dnsplane_factory(auth="token")
    with pytest.raises(AuthenticationError):
        provider(tsrv, domain, token="not-a-valid-token").authenticate()
    token = tsrv.create_token("tokproj", "member")
    tdomain = lexicon_domain()
    create_zone(tsrv.session(token=token), tdomain + ".")
    p = authenticated(tsrv, tdomain, token=token)
    assert p.create_record("TXT", "_acme-challenge", "tok")
    assert contents(p.list_records("TXT", "_acme-challenge")) == ["tok"]


# --- one semantics, several doors: after each Lexicon operation -------------------
def test_three_views_agree_after_each_lexicon_operation(srv, domain):
    # The record API's list (through Lexicon), the DNS answer and the
    # Designate record sets show the same values after every operation.
    from test_record_api import dns_values, designate_values

    p = authenticated(srv, domain)
    s = srv.session()
    zone = s.get("/v2/zones", params={"name": domain + "."}).json()["zones"][0]
    fqdn = f"_acme-challenge.{domain}."

    def agree(expected):
        lex = sorted(f'"{r["content"]}"' for r in p.list_records("TXT", "_acme-challenge"))
        assert lex == dns_values(srv, fqdn, "TXT") == designate_values(s, zone, fqdn, "TXT") \
            == sorted(f'"{v}"' for v in expected)

    assert p.create_record("TXT", "_acme-challenge", "one")
    agree(["one"])
    assert p.create_record("TXT", f"_acme-challenge.{domain}.", "two")
    agree(["one", "two"])
    rid = [r["id"] for r in p.list_records("TXT", "_acme-challenge", "one")][0]
    assert p.update_record(rid, "TXT", "_acme-challenge", "uno")
    agree(["uno", "two"])
    assert p.delete_record(None, "TXT", "_acme-challenge", "two")
    agree(["uno"])
    # ids survive a restart (same id, same value, Lexicon sees it)
    srv.restart()
    assert [(r["id"], r["content"]) for r in p.list_records("TXT", "_acme-challenge")] == [
        (rid, "uno")]
    assert p.delete_record(rid)
    agree([])


# --- the stock lexicon command and the wrapper --------------------------------
def run_lexicon(cmd, srv, tmp_path, args, env_extra=None):
    env = dict(os.environ)
    env["LEXICON_DNSPLANE_ENDPOINT"] = srv.api
    env["TLDEXTRACT_CACHE_PATH"] = str(tmp_path / "tld")
    env.update(env_extra or {})
    return subprocess.run(cmd + ["dnsplane"] + args + ["--output", "JSON"], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def stock_lexicon(tmp_path):
    """/usr/bin/lexicon with contrib/lexicon on lexicon.providers.__path__
    (through a sitecustomize module on PYTHONPATH)."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(
        "import lexicon.providers\n"
        f"lexicon.providers.__path__.append({str(CONTRIB)!r})\n")
    return ["/usr/bin/lexicon"], {"PYTHONPATH": str(site)}


@pytest.mark.parametrize("which", ["stock", "wrapper"])
def test_cli_create_list_update_delete(srv, domain, tmp_path, which):
    if which == "stock":
        cmd, extra = stock_lexicon(tmp_path)
    else:
        cmd, extra = [sys.executable, str(CONTRIB / "lexicon-dnsplane")], {}

    def lex(*args):
        r = run_lexicon(cmd, srv, tmp_path, list(args), extra)
        assert r.returncode == 0, r.stderr + r.stdout
        return json.loads(r.stdout)

    assert lex("create", domain, "TXT", "--name", "_acme-challenge", "--content", "token") is True
    recs = lex("list", domain, "TXT", "--name", "_acme-challenge")
    assert [(r["name"], r["content"], r["ttl"]) for r in recs] == [
        (f"_acme-challenge.{domain}", "token", 3600)]
    rid = recs[0]["id"]
    assert lex("update", domain, "TXT", "--identifier", rid, "--name", "_acme-challenge",
               "--content", "token2") is True
    recs = lex("list", domain, "TXT", "--name", "_acme-challenge")
    assert [(r["id"], r["content"]) for r in recs] == [(rid, "token2")]
    assert lex("delete", domain, "TXT", "--name", "_acme-challenge", "--content", "token2") is True
    assert lex("list", domain, "TXT", "--name", "_acme-challenge") == []


def test_cli_unknown_domain_is_an_authentication_error(srv, tmp_path):
    cmd = [sys.executable, str(CONTRIB / "lexicon-dnsplane")]
    r = run_lexicon(cmd, srv, tmp_path, ["list", "not-mine-at-all.org", "TXT"])
    assert r.returncode != 0
    assert "AuthenticationError" in r.stderr
