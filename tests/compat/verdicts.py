#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""verdicts.py - a test suite's results as "VERDICT<TAB>TEST" lines

Usage:
    verdicts.py junit FILE.xml      CPython's regrtest --junit-xml
    verdicts.py busybox FILE.log    BusyBox's testsuite/runtest output
    verdicts.py count FILE          "N passed, N failed, N skipped"
    verdicts.py diff NATIVE OTHER   tests whose verdict differs

VERDICT is pass, fail or skip.  A test module that died without results
(a crash, a timeout) counts as one failure named after the module, as
regrtest reports it.
"""
import re
import sys
import xml.etree.ElementTree as ET


def junit(path):
    out = {}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        sys.stderr.write("verdicts.py: %s: %s\n" % (path, e))
        return out
    for case in root.iter("testcase"):
        name = ".".join(x for x in (case.get("classname"), case.get("name")) if x)
        if not name:
            continue    # regrtest's record of a subtest
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            out[name] = "fail"
        elif "skipped" in kinds:
            out[name] = "skip"
        else:
            out[name] = "pass"
    return out


def regrtest_log(path, out):
    """Modules regrtest reports as failed with no case of theirs failed
    (a crash, a timeout, a failure in set-up) count as a failure each."""
    try:
        text = open(path, errors="replace").read()
    except OSError:
        return
    for m in re.finditer(r"^test (test_\w+) (?:failed|crashed)\b", text, re.M):
        mod = m.group(1)
        if not any(k.startswith(mod + ".") and v == "fail" for k, v in out.items()):
            out["%s (module)" % mod] = "fail"


def busybox(path):
    out = {}
    seen = {}
    for line in open(path, errors="replace"):
        m = re.match(r"^(PASS|FAIL|SKIPPED|UNTESTED): (.*)$", line.rstrip("\n"))
        if not m:
            continue
        verdict = {"PASS": "pass", "FAIL": "fail"}.get(m.group(1), "skip")
        name = m.group(2)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:  # a few cases share a name
            name = "%s #%d" % (name, seen[name])
        out[name] = verdict
    return out


def load(path):
    out = {}
    for line in open(path):
        verdict, _, name = line.rstrip("\n").partition("\t")
        out[name] = verdict
    return out


def main(argv):
    if len(argv) == 3 and argv[1] == "junit":
        out = junit(argv[2])
        regrtest_log(argv[2][:-4] + ".log", out)
    elif len(argv) == 3 and argv[1] == "busybox":
        out = busybox(argv[2])
    elif len(argv) == 3 and argv[1] == "count":
        v = list(load(argv[2]).values())
        print("%d passed, %d failed, %d skipped"
              % (v.count("pass"), v.count("fail"), v.count("skip")))
        return 0
    elif len(argv) == 4 and argv[1] == "diff":
        a, b = load(argv[2]), load(argv[3])
        if a and not b:
            print("  no results: the run died (see its .log)")
            return 0
        diff = [n for n in sorted(set(a) | set(b)) if a.get(n) != b.get(n)]
        for name in diff[:40]:
            print("  %s: native %s, here %s"
                  % (name, a.get(name, "absent"), b.get(name, "absent")))
        if len(diff) > 40:
            print("  ... and %d more" % (len(diff) - 40))
        return 0
    else:
        sys.stderr.write(__doc__)
        return 2
    for name in sorted(out):
        print("%s\t%s" % (out[name], name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
