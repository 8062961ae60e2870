#!/usr/bin/env bash
# ResNet-18 side by side with the plain-PyTorch reference (../shared/bench/reference_pytorch.py
# --model resnet18, the same network stage for stage): Fashion-MNIST, the first 6000 training
# images, 5 IID clients, cut 2 (client: stem and layer1), batch 64, SGD lr 0.01 momentum 0.9, the
# same thread count on both sides; accuracy after the last round and seconds per round.
#
#   bench/resnet18.sh [ROUNDS] [THREADS] [SCHEMES...]     e.g. bench/resnet18.sh 3 2 fl sflv1
#
# Needs Debian's python3-torch and dataset-fashion-mnist. Results: runs/resnet18/<scheme>/.
# SPLITFED_REFERENCE=FILE points at another copy of reference_pytorch.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
threads="${2:-2}"
shift 2 2>/dev/null || shift $#
schemes=("$@")
[ ${#schemes[@]} -gt 0 ] || schemes=(central fl sflv1 sflv2)
reference="${SPLITFED_REFERENCE:-$root/../shared/bench/reference_pytorch.py}"
common=(--clients 5 --limit 6000 --cut 2)
out="$root/runs/resnet18"
mkdir -p "$out"
"$root/splitfed" --version >/dev/null   # builds once, outside the timings

for s in "${schemes[@]}"; do
  echo "== $s: reference" >&2
  /usr/bin/python3 "$reference" --model resnet18 --scheme "$s" --batch 64 --rounds "$rounds" --threads "$threads" \
      "${common[@]}" > "$out/$s.reference.jsonl"
  echo "== $s: splitfed" >&2
  # simulate refuses an out directory that already holds a run; these are this script's own.
  rm -rf "$out/$s"
  "$root/splitfed" simulate --dataset fashion-mnist --model resnet18 --scheme "$s" --batch-size 64 \
      --rounds "$rounds" --threads "$threads" "${common[@]}" --quiet --out "$out/$s" >&2
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
