#!/usr/bin/env bash
# Trains every scheme with the plain-PyTorch reference (../shared/bench/reference_pytorch.py) and
# with splitfed, one after the other on this machine, and prints accuracy and seconds per round
# side by side. Same data (full Fashion-MNIST), model (LeNet-5 cut 1), 5 IID clients, batch 64,
# SGD lr 0.01 momentum 0.9, and the same thread count on both sides.
#
#   bench/side-by-side.sh [ROUNDS] [THREADS] [SCHEMES...]     e.g. bench/side-by-side.sh 10 2 fl sflv1
#
# Needs Debian's python3-torch and dataset-fashion-mnist. Results: runs/side-by-side/<scheme>/.
# SPLITFED_REFERENCE=FILE points at another copy of reference_pytorch.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
threads="${2:-2}"
shift 2 2>/dev/null || shift $#
schemes=("$@")
[ ${#schemes[@]} -gt 0 ] || schemes=(central fl sl sflv1 sflv2)
reference="${SPLITFED_REFERENCE:-$root/../shared/bench/reference_pytorch.py}"
out="$root/runs/side-by-side"
mkdir -p "$out"
"$root/splitfed" --version >/dev/null   # builds once, outside the timings

for s in "${schemes[@]}"; do
  echo "== $s: reference" >&2
  /usr/bin/python3 "$reference" --scheme "$s" --rounds "$rounds" --threads "$threads" > "$out/$s.reference.jsonl"
  echo "== $s: splitfed" >&2
  # simulate refuses an out directory that already holds a run; these are this script's own.
  rm -rf "$out/$s"
  "$root/splitfed" simulate --scheme "$s" --rounds "$rounds" --threads "$threads" --quiet --out "$out/$s" >&2
done

/usr/bin/python3 - "$out" "${schemes[@]}" <<'PY'
import json, sys, os
out, schemes = sys.argv[1], sys.argv[2:]
print(f"{'scheme':8} {'ref acc':>8} {'splitfed acc':>12} {'ref s/round':>12} {'splitfed s/round':>17} {'ratio':>6}")
for s in schemes:
    ref = [json.loads(l) for l in open(os.path.join(out, s + ".reference.jsonl"))]
    summary = ref[-1]
    ours = json.load(open(os.path.join(out, s, "summary.json")))
    ratio = ours["seconds_per_round"] / summary["seconds_per_round"]
    print(f"{s:8} {summary['final_test_accuracy']:8.4f} {ours['final_test_accuracy']:12.4f} "
          f"{summary['seconds_per_round']:12.2f} {ours['seconds_per_round']:17.2f} {ratio:6.2f}")
PY
