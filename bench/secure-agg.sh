#!/usr/bin/env bash
# What secure aggregation (--secure-agg; Bonawitz et al. 2017) costs per round: `splitfed simulate`
# for fl and sflv1 with 5 and 50 clients, each without and with --secure-agg, one after the other,
# on the same data (the first LIMIT samples of the bundled Fashion-MNIST sample, so 5 and 50 clients
# train the same samples in all), and prints seconds and bytes per round side by side with their
# ratios (secure / plain). Seconds are the mean of rounds 2..ROUNDS (round 1 warms the JVM up);
# bytes are every payload byte between clients and servers in a round, secure aggregation's keys,
# sealed shares, masked inputs and unmasking shares included.
#
#   bench/secure-agg.sh [ROUNDS] [LIMIT]         e.g. bench/secure-agg.sh 3 3000
#
# Every run uses --threads 1. Results: runs/bench/secure-agg/<scheme>-<clients>-<plain|secure>/.
# SPLITFED_JAVA_OPTS sets the JVM options (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
limit="${2:-3000}"
out="$root/runs/bench/secure-agg"
mkdir -p "$out"
"$root/splitfed" --version >/dev/null # builds once, here, outside the timings

for scheme in fl sflv1; do
  for clients in 5 50; do
    for mode in plain secure; do
      flag=()
      [ "$mode" = secure ] && flag=(--secure-agg)
      echo "== $scheme, $clients clients, $mode" >&2
      # simulate refuses an out directory that already holds a run; these are this script's own.
      rm -rf "$out/$scheme-$clients-$mode"
      "$root/splitfed" simulate --scheme "$scheme" --clients "$clients" --rounds "$rounds" --limit "$limit" \
        --dataset fashion-mnist-sample --threads 1 --quiet "${flag[@]}" --out "$out/$scheme-$clients-$mode" >&2
    done
  done
done

/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]

def load(name):
    rows = [json.loads(l) for l in open(os.path.join(out, name, "metrics.jsonl"))]
    timed = rows[1:] or rows
    return (sum(r["seconds"] for r in timed) / len(timed),
            sum(r["bytes_up"] + r["bytes_down"] for r in rows) / len(rows),
            rows[-1]["test_accuracy"])

print(f"{'scheme':6} {'clients':>7} | {'s/round plain':>13} {'secure':>8} {'ratio':>6} | "
      f"{'bytes/round plain':>17} {'secure':>12} {'ratio':>6} | {'acc plain':>9} {'secure':>7}")
for scheme in ("fl", "sflv1"):
    for clients in (5, 50):
        sp, bp, ap = load(f"{scheme}-{clients}-plain")
        ss, bs, as_ = load(f"{scheme}-{clients}-secure")
        print(f"{scheme:6} {clients:7d} | {sp:13.2f} {ss:8.2f} {ss / sp:6.2f} | "
              f"{bp:17,.0f} {bs:12,.0f} {bs / bp:6.3f} | {ap:9.4f} {as_:7.4f}")
PY
