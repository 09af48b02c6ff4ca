#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarize a provisioning profile (bench/guest-profile.bash's files).

    bench/profile-report.py DIR [--json FILE]

DIR holds V.cpu, V.summary, V.strace for each contender V and
sriovctl.callgrind.  Prints, per contender: the medians of wall, user and
system time, and the rest (wall - user - system: time asleep in the
kernel, waiting); then the system calls of one strace'd run summed per
call and sysfs attribute (write to driver_override, to drivers_probe...),
side by side; then the top of callgrind's profile of sriovctl.  With
--json, the same figures as JSON.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

CONTENDERS = ("sriovctl", "bash", "floor")

# "PID SECONDS name(args) = ret <duration>", PID only with -f and more than
# one process; also the two halves of a call strace had to split.
CALL = re.compile(r'^(?:\d+\s+)?(\d+\.\d+)\s+(\w+)\((.*)\)\s+=\s+.*<([\d.]+)>$')
UNFINISHED = re.compile(r'^(?:(\d+)\s+)?(\d+\.\d+)\s+(\w+)\((.*) <unfinished \.\.\.>$')
RESUMED = re.compile(r'^(?:(\d+)\s+)?(\d+\.\d+)\s+<\.\.\. (\w+) resumed>.*<([\d.]+)>$')
# the file a call works on: an fd strace -y annotated, or a path argument
FD_PATH = re.compile(r'<(/[^>]*)>')
STR_PATH = re.compile(r'"(/[^"]*)"')
# calls whose file says what they are for (the sysfs attribute)
BY_FILE = {"write", "read", "openat", "close", "readlink", "readlinkat",
           "newfstatat", "access", "faccessat", "faccessat2", "stat", "lstat",
           "getdents64", "fstat", "statx", "fstatfs"}
# those of them that take a path
BY_PATH = {"openat", "readlink", "readlinkat", "newfstatat", "access",
           "faccessat", "faccessat2", "stat", "lstat", "statx"}


def cpu_times(path):
    rows = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) == 3:
                rows.append(tuple(float(x) for x in p))
    if not rows:
        return None
    wall, user, sys_ = (statistics.median(c) for c in zip(*rows))
    return {"runs": len(rows), "wall": wall, "user": user, "system": sys_,
            "waiting": max(0.0, wall - user - sys_)}


def call_class(name, args):
    if name not in BY_FILE:
        return name
    # a path argument first: openat(AT_FDCWD</>, "/sys/...") names both
    if name in BY_PATH:
        m = STR_PATH.search(args) or FD_PATH.search(args)
    else:
        m = FD_PATH.search(args) or STR_PATH.search(args)
    if not m:
        return name
    path = m.group(1)
    base = path.rstrip("/").rsplit("/", 1)[-1]
    if path.startswith("/sys/") and name in ("write", "openat", "close", "read"):
        return "%s %s" % (name, base)
    if path.startswith("/sys/"):
        return "%s (sysfs)" % name
    return "%s (other files)" % name


def strace_sums(path):
    sums = {}
    first = last = None
    pending = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = CALL.match(line)
            if m:
                ts, name, args, dur = m.groups()
            else:
                u = UNFINISHED.match(line)
                if u:
                    pending[(u.group(1), u.group(3))] = u.group(4)
                    continue
                r = RESUMED.match(line)
                if not r:
                    continue
                pid, ts, name, dur = r.groups()
                args = pending.pop((pid, name), "")
            ts, dur = float(ts), float(dur)
            first = ts if first is None else min(first, ts)
            last = max(last or 0.0, ts + dur)
            c = sums.setdefault(call_class(name, args), [0, 0.0])
            c[0] += 1
            c[1] += dur
    if first is None:
        return None
    in_calls = sum(v[1] for v in sums.values())
    return {"span": last - first, "in_calls": in_calls,
            "calls": sum(v[0] for v in sums.values()),
            "by_call": {k: {"count": v[0], "seconds": round(v[1], 6)}
                        for k, v in sums.items()}}


def callgrind_top(path, lines=14):
    if not os.path.exists(path) or not shutil.which("callgrind_annotate"):
        return None
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", path],
                         capture_output=True, text=True, check=False).stdout
    total = re.search(r'^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS', out, re.M)
    top = [ln.rstrip() for ln in out.splitlines()
           if re.match(r'^\s*[\d,]+ \(\s*[\d.]+%\)\s+\S', ln)
           and "PROGRAM TOTALS" not in ln][:lines]
    return {"instructions": int(total.group(1).replace(",", "")) if total else None,
            "top_inclusive": top}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--json")
    a = ap.parse_args()

    prof = {"cpu": {}, "strace": {}}
    for v in CONTENDERS:
        p = os.path.join(a.dir, v + ".cpu")
        if os.path.exists(p):
            prof["cpu"][v] = cpu_times(p)
        p = os.path.join(a.dir, v + ".strace")
        if os.path.exists(p):
            prof["strace"][v] = strace_sums(p)
    prof["callgrind"] = callgrind_top(os.path.join(a.dir, "sriovctl.callgrind"))
    if not any(prof["cpu"].values()) or not any(prof["strace"].values()):
        sys.exit("profile-report: no profile in %s" % a.dir)

    have = [v for v in CONTENDERS if prof["cpu"].get(v)]
    print("CPU, medians of %d runs (s):" % prof["cpu"][have[0]]["runs"])
    print("  %-10s %8s %8s %8s %8s" % ("", "wall", "user", "system", "waiting"))
    for v in have:
        c = prof["cpu"][v]
        print("  %-10s %8.3f %8.3f %8.3f %8.3f" %
              (v, c["wall"], c["user"], c["system"], c["waiting"]))

    have = [v for v in CONTENDERS if prof["strace"].get(v)]
    st = prof["strace"]
    print("\nSystem calls of one run under strace -f -T (ms, count):")
    print("  %-36s" % "" + "".join("%18s" % v for v in have))
    for key in ("span", "in_calls"):
        label = {"span": "first call to last (under strace)",
                 "in_calls": "inside system calls"}[key]
        print("  %-36s" % label +
              "".join("%18.0f" % (st[v][key] * 1000) for v in have))
    print("  %-36s" % "outside (user space, strace)" +
          "".join("%18.0f" % ((st[v]["span"] - st[v]["in_calls"]) * 1000) for v in have))
    keys = set()
    for v in have:
        keys.update(st[v]["by_call"])
    worst = sorted(keys, key=lambda k: -max(st[v]["by_call"].get(k, {"seconds": 0})["seconds"]
                                            for v in have))
    for k in worst[:16]:
        cells = ""
        for v in have:
            e = st[v]["by_call"].get(k)
            cells += "%18s" % ("%.0f (%d)" % (e["seconds"] * 1000, e["count"]) if e else "-")
        print("  %-36s%s" % (k[:36], cells))

    cg = prof["callgrind"]
    if cg:
        print("\ncallgrind, sriovctl: %s instructions in user space; inclusive:" %
              ("{:,}".format(cg["instructions"]) if cg["instructions"] else "?"))
        for ln in cg["top_inclusive"]:
            print("  " + ln)

    if a.json:
        with open(a.json, "w") as f:
            json.dump(prof, f, indent=1, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
