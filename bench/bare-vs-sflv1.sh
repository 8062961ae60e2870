#!/usr/bin/env bash
# How much splitfed's SFLV1 costs over a bare DJL loop: trains LeNet-5 on full Fashion-MNIST with
# dev.splitfed.bench.BareLoop (one model, no roles, no cut, no byte counting) for ROUNDS epochs, then
# `splitfed simulate --scheme sflv1` (5 IID clients) for ROUNDS rounds, one after the other with the
# same thread count, and prints seconds per epoch / round of both and their ratio (splitfed / bare).
# Both see every training sample once per epoch / round, batch 64, SGD lr 0.01 momentum 0.9.
#
#   bench/bare-vs-sflv1.sh [ROUNDS] [THREADS]       e.g. bench/bare-vs-sflv1.sh 10 2
#
# Needs dataset-fashion-mnist (or SPLITFED_DATA). Results: runs/bench/bare.jsonl, runs/bench/sflv1/.
# SPLITFED_JAVA_OPTS sets the JVM options of both (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
threads="${2:-2}"
out="$root/runs/bench"
mkdir -p "$out"
# Both build once, here, outside the timings.
"$root/bench/jmh.sh" -l >/dev/null
"$root/splitfed" --version >/dev/null

echo "== bare DJL loop: $rounds epoch(s), $threads thread(s)" >&2
. "$root/tools/engine-env.sh"
java ${SPLITFED_JAVA_OPTS:--Xmx4g} -cp "$root/splitfed-bench/target/benchmarks.jar" dev.splitfed.bench.BareLoop \
  --epochs "$rounds" --threads "$threads" > "$out/bare.jsonl"
echo "== splitfed sflv1: $rounds round(s), $threads thread(s)" >&2
# simulate refuses an out directory that already holds a run; this one is this script's own.
rm -rf "$out/sflv1"
"$root/splitfed" simulate --scheme sflv1 --rounds "$rounds" --threads "$threads" --quiet --out "$out/sflv1" >&2

/usr/bin/python3 - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
bare = [json.loads(l) for l in open(os.path.join(out, "bare.jsonl"))]
sflv1 = json.load(open(os.path.join(out, "sflv1", "summary.json")))
bare_s = sum(e["seconds"] for e in bare) / len(bare)
ours_s = sflv1["seconds_per_round"]
print(f"{'run':14} {'test acc':>8} {'s/epoch or round':>17}")
print(f"{'bare DJL':14} {bare[-1]['test_accuracy']:8.4f} {bare_s:17.2f}")
print(f"{'splitfed sflv1':14} {sflv1['final_test_accuracy']:8.4f} {ours_s:17.2f}")
print(f"ratio splitfed / bare: {ours_s / bare_s:.2f}")
PY
