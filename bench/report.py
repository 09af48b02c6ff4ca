#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn the samples of one bench/run into JSON and a table.

Called by bench/run; reads WORK/host-samples.tsv (figure "scale") and
WORK/vm/bench/{samples,meta}.tsv (the VM figures, bench/guest.sh), writes
RESULTS/latest.json and RESULTS/<date>.json (layout: bench/README.md) and
prints the table.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess

SCALE_LIMIT_S = 0.200
SCALE_LINEARITY = 1.25

FIGURES = [
    {
        "id": "enable",
        "title": "enable 127 VFs: echo 127 > sriov_numvfs, autoprobe 0, same PF",
        "where": "vm",
        "ratios": [("pci-stub-pf", "pci-pf-stub", 1.05)],
    },
    {
        "id": "provision",
        "title": "provision 127 VFs on vfio-pci from a bound PF with no VFs",
        "where": "vm",
        "ratios": [("sriovctl", "driverctl", 0.33),
                   ("sriovctl", "bash", 1.0),
                   ("sriovctl", "floor", 1.10)],
    },
    {
        "id": "inventory",
        "title": "inventory of 4 PFs x 127 VFs",
        "where": "vm",
        "ratios": [("sriovctl", "lspci", 1.0),
                   ("sriovctl", "driverctl", 0.1)],
    },
    {
        "id": "scale",
        "title": "sriovctl -j list on a fake sysfs, PFs x 256 VFs (host)",
        "where": "host",
        "ratios": [],   # derived, see scale_ratios()
    },
    {
        "id": "udev",
        "title": "udev coldplug, 127 VFs configured and on vfio-pci: with 70-sriovctl.rules against without",
        "where": "vm",
        "ratios": [("with", "without", None)],
    },
]

CONTENDERS = {
    "enable": {
        "pci-stub-pf": "this driver (insmod pci-stub-pf.ko), bound with driver_override",
        "pci-pf-stub": "the kernel's pci-pf-stub (modprobe), bound with driver_override",
    },
    "provision": {
        "sriovctl": "sriovctl enable PF 127 --vf-driver vfio-pci",
        "driverctl": "echo 0 > sriov_drivers_autoprobe; echo 127 > sriov_numvfs; driverctl --nosave set-override VF vfio-pci per VF",
        "bash": "bench/provision.sh: the same writes in bash builtins",
        "floor": "bench/floor.c: the same sysfs writes, nothing else",
    },
    "inventory": {
        "sriovctl": "sriovctl -j list",
        "lspci": "lspci -D",
        "driverctl": "driverctl list-devices",
    },
    "scale": {
        "1x256": "sriovctl --sysfs TREE -j list, 1 PF",
        "8x256": "same, 8 PFs",
        "64x256": "same, 64 PFs",
    },
    "udev": {
        "with": "udevadm trigger --action=add; udevadm settle, with the rules",
        "without": "the same without the rules",
    },
}


def read_tsv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def cmd(*argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return None


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or None


def scale_ratios(med):
    """Linearity and the absolute bound, as ratios with targets."""
    out = []
    t1, t8, t64 = (med.get(k) for k in ("1x256", "8x256", "64x256"))
    if None not in (t1, t8, t64):
        pred = t1 + (t8 - t1) * (64 - 1) / (8 - 1)
        out.append(ratio("64x256", "linear extrapolation from 1x256 and 8x256",
                         t64, pred, SCALE_LINEARITY))
    if t64 is not None:
        out.append(ratio("64x256", "200 ms", t64, SCALE_LIMIT_S, 1.0))
    return out


def ratio(num, den, a, b, target):
    r = a / b if b else None
    return {
        "name": "%s / %s" % (num, den),
        "numerator": num,
        "denominator": den,
        "ratio": round(r, 4) if r is not None else None,
        "target": target,
        "met": (r <= target) if (r is not None and target is not None) else None,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--results", required=True)
    ap.add_argument("--vm", type=int, default=1)
    ap.add_argument("--vm-status", type=int, default=0)
    ap.add_argument("--runs", type=int)
    ap.add_argument("--warmup", type=int)
    ap.add_argument("--driverctl-runs", type=int)
    ap.add_argument("--vm-pfs")
    ap.add_argument("--load-start")
    ap.add_argument("--load-end")
    ap.add_argument("--only", default="enable provision inventory scale udev")
    ap.add_argument("--partial", type=int, default=0,
                    help="1: a partial run, written only to the dated file")
    a = ap.parse_args()

    with open(os.path.join(a.work, "date")) as f:
        date = f.read().strip()
    host = read_tsv(os.path.join(a.work, "host-samples.tsv"))
    vmdir = os.path.join(a.work, "vm", "bench")
    vm = read_tsv(os.path.join(vmdir, "samples.tsv"))
    meta = dict(r[:2] for r in read_tsv(os.path.join(vmdir, "meta.tsv")) if len(r) >= 2)
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        with open(os.path.join(a.work, "commit")) as f:
            commit = f.read().strip() or None
    except OSError:
        commit = cmd("git", "-C", repo, "describe", "--always", "--dirty")

    samples = {}
    cpu = {}
    for r in vm + host:
        samples.setdefault(r[0], {}).setdefault(r[1], []).append(float(r[3]))
        if len(r) >= 6:
            cpu.setdefault(r[0], {}).setdefault(r[1], []).append(float(r[4]) + float(r[5]))

    if not a.vm:
        vm_why = "not run (BENCH_VM=0 or BENCH_ONLY)"
    elif a.vm_status:
        vm_why = "the VM run failed (status %d), see %s" % (
            a.vm_status, os.path.join(a.work, "vm", "console.log"))
    else:
        vm_why = "no samples"

    figures = []
    for fig in FIGURES:
        fid = fig["id"]
        got = samples.get(fid, {})
        measured = {}
        for name in CONTENDERS[fid]:
            if name not in got:
                continue
            m = {"median": round(statistics.median(got[name]), 6),
                 "samples": got[name],
                 "what": CONTENDERS[fid][name]}
            if fid in cpu and name in cpu[fid]:
                m["cpu_median"] = round(statistics.median(cpu[fid][name]), 6)
                m["cpu_samples"] = [round(x, 6) for x in cpu[fid][name]]
            measured[name] = m
        med = {k: v["median"] for k, v in measured.items()}
        if fid == "scale":
            ratios = scale_ratios(med)
        else:
            ratios = [ratio(n, d, med[n], med[d], t)
                      for n, d, t in fig["ratios"] if n in med and d in med]
        entry = {"id": fid, "title": fig["title"], "where": fig["where"],
                 "unit": "s", "measured": measured, "ratios": ratios}
        want = len(CONTENDERS[fid])
        if len(measured) == want and ratios:
            entry["status"] = "measured"
        else:
            entry["status"] = "pending"
            why = meta.get("pending." + fid)
            if fid not in a.only.split():
                why = "not selected (BENCH_ONLY)"
            if not why and fig["where"] == "vm":
                why = vm_why
            entry["reason"] = why or "incomplete: %d of %d contenders measured" % (len(measured), want)
        if fid == "udev":
            entry["note"] = "no target set by the issue; the rules' boot-time cost"
        if fid == "scale":
            entry["note"] = ("linearity target %.2f is ours: the 64-PF time over the "
                             "line through the 1- and 8-PF times" % SCALE_LINEARITY)
        figures.append(entry)

    doc = {
        "schema": 1,
        "date": date,
        "commit": commit,
        "runs": a.runs,
        "warmup": a.warmup,
        "driverctl_runs": a.driverctl_runs,
        "machine": {
            "nproc": os.cpu_count(),
            "model_name": cpu_model(),
            "host_kernel": platform.release(),
            "loadavg_start": [float(x) for x in (a.load_start or "").split()],
            "loadavg_end": [float(x) for x in (a.load_end or "").split()],
        },
        "vm": {
            "kernel": meta.get("kernel"),
            "qemu": (cmd("qemu-system-x86_64", "--version") or "").split("\n")[0] or None,
            "accel": "tcg",
            "vcpus": int(meta["vcpus"]) if "vcpus" in meta else None,
            "pfs": a.vm_pfs,
            "vfs_per_pf": int(meta["vfs"]) if "vfs" in meta else None,
            "clocksource": meta.get("clocksource"),
            "clock_ratio": float(meta["clock_ratio"]) if "clock_ratio" in meta else None,
            "status": ("skipped" if not a.vm else
                       "ok" if not a.vm_status else "failed"),
        },
        "figures": figures,
    }

    os.makedirs(a.results, exist_ok=True)
    stamp = date.replace("-", "").replace(":", "")
    names = [stamp + ".json"] if a.partial else ["latest.json", stamp + ".json"]
    doc["partial"] = bool(a.partial)
    for name in names:
        with open(os.path.join(a.results, name), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")

    print_table(doc)
    print("JSON: %s" % ", ".join(os.path.join(a.results, n) for n in names))


def fmt_s(x):
    return "%.3f s" % x if x >= 0.1 else "%.1f ms" % (x * 1000)


def print_table(doc):
    m = doc["machine"]
    print("bench %s, commit %s, %s runs (+%s warm-up), driverctl %s runs" % (
        doc["date"], doc["commit"], doc["runs"], doc["warmup"], doc["driverctl_runs"]))
    print("host: %s x %s, kernel %s; load average %s at start, %s at end" % (
        m["nproc"], m["model_name"], m["host_kernel"],
        " ".join("%.2f" % x for x in m["loadavg_start"]),
        " ".join("%.2f" % x for x in m["loadavg_end"])))
    v = doc["vm"]
    print("VM: %s, kernel %s, %s vCPUs, PFs %s (%s), clock %s, guest/host time %s" % (
        v["qemu"], v["kernel"], v["vcpus"], v["pfs"], v["status"],
        v.get("clocksource"), v.get("clock_ratio")))
    rows = [("figure", "contender", "median", "baseline", "median", "ratio", "target", "met")]
    for f in doc["figures"]:
        if f["status"] != "measured":
            rows.append((f["id"], "pending: " + f["reason"], "", "", "", "", "", ""))
            continue
        for r in f["ratios"]:
            a = f["measured"][r["numerator"]]["median"]
            b = f["measured"].get(r["denominator"], {}).get("median")
            rows.append((
                f["id"], r["numerator"], fmt_s(a), r["denominator"],
                fmt_s(b) if b is not None else "",
                "%.3f" % r["ratio"] if r["ratio"] is not None else "-",
                "<= %.2f" % r["target"] if r["target"] is not None else "-",
                {True: "yes", False: "NO", None: "-"}[r["met"]]))
        if f["id"] == "scale":
            for k, mm in f["measured"].items():
                rows.append(("", k, fmt_s(mm["median"]), "cpu", fmt_s(mm.get("cpu_median", 0)),
                             "", "", ""))
    w = [max(len(r[i]) for r in rows if len(r[i]) < 60) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip())


if __name__ == "__main__":
    main()
