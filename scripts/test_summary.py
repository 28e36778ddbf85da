#!/usr/bin/python3
"""Adds up the unit (ctest/GoogleTest), end-to-end (pytest JUnit XML) and
designate-tempest-plugin (JUnit XML from subunit) results of scripts/test and
prints them, closing with one line

    summary: N passed, N failed, N skipped

Counts are individual test cases: GoogleTest's own counts inside each ctest
test, and pytest's per test. A ctest test that failed without GoogleTest
counts (a crash, a timeout) counts as one failure. Exits 1 when anything failed.
"""

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

GTEST_PASSED = re.compile(r"^\[  PASSED  \] (\d+) tests?\.", re.M)
GTEST_FAILED = re.compile(r"^\[  FAILED  \] (\d+) tests?, listed below", re.M)
GTEST_SKIPPED = re.compile(r"^\[  SKIPPED \] (\d+) tests?, listed below", re.M)
CTEST_BLOCK = re.compile(
    r'^\d+/\d+ Test: (?P<name>\S+)\n.*?^Output:\n-+\n(?P<output>.*?)^<end of output>\n'
    r".*?^Test (?P<result>Passed|Failed)",
    re.M | re.S,
)


def count_ctest(log: Path):
    """Returns (passed, failed, skipped, binaries) from ctest's LastTest.log."""
    if not log.exists():
        return 0, 0, 0, 0
    passed = failed = skipped = binaries = 0
    for block in CTEST_BLOCK.finditer(log.read_text(errors="replace")):
        binaries += 1
        out = block["output"]
        p = sum(int(n) for n in GTEST_PASSED.findall(out))
        f = sum(int(n) for n in GTEST_FAILED.findall(out))
        s = sum(int(n) for n in GTEST_SKIPPED.findall(out))
        if block["result"] == "Failed" and f == 0:
            f = 1  # crashed or timed out before GoogleTest could report
        passed, failed, skipped = passed + p, failed + f, skipped + s
    return passed, failed, skipped, binaries


def count_junit(path: Path):
    """Returns (passed, failed, skipped) from a pytest JUnit XML file."""
    if not path.exists():
        return 0, 0, 0
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    passed = failed = skipped = 0
    for s in suites:
        tests = int(s.get("tests", 0))
        fail = int(s.get("failures", 0)) + int(s.get("errors", 0))
        skip = int(s.get("skipped", 0))
        passed += tests - fail - skip
        failed += fail
        skipped += skip
    return passed, failed, skipped


def extra_pass(label: str, junit, rc: int, reported: bool):
    """Prints the line of an optional pass (JUnit XML at `junit`, None when it
    did not run) and returns the counts it adds to the verdict: none when it
    is only reported."""
    if junit is None:
        return 0, 0, 0
    p, f, s = count_junit(junit)
    if rc != 0 and f == 0:
        f = 1  # the runner stopped early (timeout, internal error, usage error)
    suffix = ", reported, not gating" if reported else ""
    print(f"{label}{suffix}): {p} passed, {f} failed, {s} skipped")
    return (0, 0, 0) if reported else (p, f, s)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ctest-log", type=Path, required=True)
    ap.add_argument("--ctest-rc", type=int, required=True)
    ap.add_argument("--junit", type=Path, required=True)
    ap.add_argument("--pytest-rc", type=int, required=True)
    # The second end-to-end pass on the PostgreSQL store (optional).
    ap.add_argument("--junit-pg", type=Path)
    ap.add_argument("--pytest-pg-rc", type=int, default=0)
    # Shown but left out of the verdict (a pass not yet seen green in full).
    ap.add_argument("--pg-reported", action="store_true")
    ap.add_argument("--tempest-reported", action="store_true")
    # designate-tempest-plugin (tests/tempest/run.sh), JUnit XML from subunit.
    ap.add_argument("--tempest-junit", type=Path)
    ap.add_argument("--tempest-rc", type=int, default=0)
    a = ap.parse_args()

    up, uf, us, binaries = count_ctest(a.ctest_log)
    if a.ctest_rc != 0 and uf == 0:
        uf = 1  # ctest itself failed (e.g. a test could not be started)
    ep, ef, es = count_junit(a.junit)
    if a.pytest_rc != 0 and ef == 0:
        ef = 1  # pytest stopped early (timeout, internal error, usage error)

    print(f"unit (ctest, {binaries} binaries): {up} passed, {uf} failed, {us} skipped")
    print(f"e2e (pytest): {ep} passed, {ef} failed, {es} skipped")
    pp, pf, ps = extra_pass("e2e on PostgreSQL (pytest", a.junit_pg, a.pytest_pg_rc,
                            a.pg_reported)
    tp, tf, ts = extra_pass("tempest (designate-tempest-plugin", a.tempest_junit,
                            a.tempest_rc, a.tempest_reported)
    ep, ef, es = ep + pp, ef + pf, es + ps
    print(f"summary: {up + ep + tp} passed, {uf + ef + tf} failed, {us + es + ts} skipped")
    return 1 if uf + ef + tf else 0


if __name__ == "__main__":
    sys.exit(main())
