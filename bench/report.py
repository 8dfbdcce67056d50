#!/usr/bin/env python3
"""Prints every figure of `make bench` beside its baseline, the ratio and the
target of issue 6, from the files bench/run.sh leaves in OUT_DIR:

  micro.json                    trainyard_bench --benchmark_out (Google Benchmark JSON)
  wrk-<op>-<server>.txt         wrk --latency output (op: describe, create)
  simulate.txt                  "seconds=<s> jobs=<n> rc=<rc> maxrss_kb=<kb>" (optional)

Also writes OUT_DIR/summary.md (the table of bench/README.md) and
OUT_DIR/summary.json.

  bench/report.py build/bench
"""
import json
import os
import re
import sys

UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
TIME_UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def load_micro(path):
    # Empty when trainyard_bench ran no benchmark (BENCH_FILTER matched none,
    # as for an HTTP-only run).
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return {}
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        # Drop the /min_time:..., /real_time and /iterations:... decorations.
        parts = [p for p in b["name"].split("/")
                 if not p.startswith(("min_time", "real_time", "iterations"))]
        out["/".join(parts)] = b
    return out


def seconds_per_iteration(b):
    t = b["real_time"] if b.get("name", "").endswith("real_time") else b["cpu_time"]
    return t * TIME_UNIT[b.get("time_unit", "ns")]


def load_wrk(path):
    if not os.path.exists(path):
        return None
    text = open(path).read()
    rps = re.search(r"Requests/sec:\s*([\d.]+)", text)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    p50 = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
    total = re.search(r"(\d+) requests in", text)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)
    errors = re.search(r"Socket errors:.*", text)
    if not rps:
        return None
    return {
        "rps": float(rps.group(1)),
        "p50_ms": float(p50.group(1)) * UNIT[p50.group(2)] * 1e3 if p50 else None,
        "p99_ms": float(p99.group(1)) * UNIT[p99.group(2)] * 1e3 if p99 else None,
        "requests": int(total.group(1)) if total else None,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(0).strip() if errors else "",
    }


def load_simulate(path):
    if not os.path.exists(path):
        return None
    fields = dict(kv.split("=", 1) for kv in open(path).read().split() if "=" in kv)
    return fields


def fmt(v, unit=""):
    if v is None:
        return "n/a"
    if isinstance(v, str):
        return v
    if abs(v) >= 100:
        s = f"{v:,.0f}"
    elif abs(v) >= 10:
        s = f"{v:.1f}"
    else:
        s = f"{v:.2f}"
    return s + (f" {unit}" if unit else "")


def verdict(value, op, target):
    if value is None:
        return "not measured"
    ok = value >= target if op == ">=" else value <= target if op == "<=" else value < target
    return "MET" if ok else "MISSED"


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    micro = load_micro(os.path.join(out_dir, "micro.json"))
    rows = []  # (figure, trainyard, baseline, ratio, target, verdict)

    def ips(name):
        b = micro.get(name)
        return b.get("items_per_second") if b else None

    # Engine events per second.
    for n, label in ((1000, "1k"), (100000, "100k")):
        sim = ips(f"BM_Events_Simulation/{n}")
        bare = ips(f"BM_Events_BarePriorityQueue/{n}")
        ratio = sim / bare if sim and bare else None
        rows.append((f"engine events/s, {label} pending", fmt(sim, "ev/s"),
                     fmt(bare, "ev/s (bare priority_queue)"), fmt(ratio),
                     ">= 0.25", verdict(ratio, ">=", 0.25)))

    # Placement.
    for n, label in ((1000, "1k"), (100000, "100k")):
        b = micro.get(f"BM_Placement_Simulation/{n}")
        r = micro.get(f"BM_ChooseStarts_FullScan/{n}")
        sim_us = seconds_per_iteration(b) * 1e6 if b else None
        rule_us = seconds_per_iteration(r) * 1e6 if r else None
        ratio = sim_us / rule_us if sim_us and rule_us else None
        rows.append((f"placement round, {label} waiting", fmt(sim_us, "us"),
                     fmt(rule_us, "us (ChooseStarts alone, full scan)"),
                     fmt(ratio) + " x the rule" if ratio else "n/a", "(none)", "-"))

    # Memory.
    m = micro.get("BM_Memory_WaitingJobs")
    per_job = m.get("bytes_per_waiting_job") if m else None
    doc = m.get("request_document_bytes") if m else None
    rows.append(("engine memory per waiting job", fmt(per_job, "B"),
                 f"2 KiB budget (the {fmt(doc)} B request document is in the store, not held)"
                 if doc else "2 KiB budget",
                 fmt(per_job / 2048 if per_job else None) + " of 2 KiB",
                 "<= 2048 B", verdict(per_job, "<=", 2048)))

    # Store.
    one = ips("BM_StoreCreate/jobs_per_commit:1")
    group = ips("BM_StoreCreate/jobs_per_commit:256")
    ratio = group / one if group and one else None
    rows.append(("store durable creates/s, 256 per commit", fmt(group, "/s"),
                 fmt(one, "/s (1 per commit)"), fmt(ratio), ">= 5x and >= 20k/s",
                 "MET" if ratio and ratio >= 5 and group >= 20000 else
                 ("not measured" if ratio is None else "MISSED")))

    # HTTP.
    w = {f"{op}-{srv}": load_wrk(os.path.join(out_dir, f"wrk-{op}-{srv}.txt"))
         for op in ("describe", "create") for srv in ("trainyard", "baseline")}
    for op in ("describe", "create"):
        t, b = w[f"{op}-trainyard"], w[f"{op}-baseline"]
        ratio = t["rps"] / b["rps"] if t and b else None
        p99 = (t["p99_ms"] / b["p99_ms"]) if t and b and t["p99_ms"] and b["p99_ms"] else None
        if op == "describe":
            target, v = ">= 0.5", verdict(ratio, ">=", 0.5)
        else:
            target, v = "(see below)", "-"
        rows.append((f"HTTP {op} req/s (64 conns)", fmt(t["rps"] if t else None, "/s"),
                     fmt(b["rps"] if b else None, "/s (baseline_server)"), fmt(ratio), target, v))
        rows.append((f"HTTP {op} p99", fmt(t["p99_ms"] if t else None, "ms"),
                     fmt(b["p99_ms"] if b else None, "ms (baseline_server)"),
                     fmt(p99) + " x" if p99 else "n/a", "(none)", "-"))
    ct = w["create-trainyard"]
    if ct:
        ratio = ct["rps"] / one if one else None
        rows.append(("HTTP durable create req/s vs one commit per create", fmt(ct["rps"], "/s"),
                     fmt(one, "/s (store, 1 per commit)"), fmt(ratio), ">= 5x and >= 20k/s",
                     "MET" if ratio and ratio >= 5 and ct["rps"] >= 20000 else
                     ("not measured" if ratio is None else "MISSED")))

    # simulate.
    s = load_simulate(os.path.join(out_dir, "simulate.txt"))
    if s and s.get("rc") == "0":
        secs = float(s["seconds"])
        cpu = float(s.get("user", 0)) + float(s.get("sys", 0))
        rows.append((f"simulate {int(s.get('jobs', 0)) // 1000}k-job month trace",
                     f"{fmt(secs, 's')} wall ({fmt(cpu, 's')} CPU)",
                     "5 s budget", fmt(secs / 5), "< 5 s", verdict(secs, "<", 5)))
    else:
        rows.append(("simulate 100k-job month trace", "n/a" if not s else f"failed rc={s.get('rc')}",
                     "5 s budget", "n/a", "< 5 s", "not measured"))

    widths = [max(len(str(r[i])) for r in rows + [HEADER]) for i in range(6)]
    line = "  ".join("-" * x for x in widths)
    print(line)
    print("  ".join(str(h).ljust(x) for h, x in zip(HEADER, widths)))
    print(line)
    for r in rows:
        print("  ".join(str(c).ljust(x) for c, x in zip(r, widths)))
    print(line)
    for key, res in w.items():
        if res and (res["non_2xx"] or res["socket_errors"]):
            print(f"warning: wrk {key}: {res['non_2xx']} non-2xx responses; {res['socket_errors']}")

    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write("| " + " | ".join(HEADER) + " |\n|" + "---|" * 6 + "\n")
        for r in rows:
            f.write("| " + " | ".join(str(c) for c in r) + " |\n")
    with open(os.path.join(out_dir, "summary.json"), "w") as f:
        json.dump({"rows": [dict(zip(HEADER, r)) for r in rows], "wrk": w, "simulate": s}, f,
                  indent=2)


HEADER = ("figure", "trainyard", "baseline", "ratio", "target", "verdict")

if __name__ == "__main__":
    main()
