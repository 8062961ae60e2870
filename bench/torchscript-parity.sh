#!/usr/bin/env bash
# LeNet-5 exported from PyTorch with tools/export_torchscript.py, with the built-in model's initial
# weights copied in, against the built-in lenet5: the same run twice, --threads 1, and the largest
# difference in any round's metrics plus seconds per round side by side.
#
#   bench/torchscript-parity.sh [ROUNDS] [LIMIT]      e.g. bench/torchscript-parity.sh 3 0
#
# Needs Debian's python3-torch (for the export) and dataset-fashion-mnist. Results: runs/parity/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
limit="${2:-0}"
cut=1
out="$root/runs/parity"
rm -rf "$out" && mkdir -p "$out"
"$root/splitfed" --version >/dev/null   # builds once, outside the timings
(cd "$root" && mvn -q -B -o -DskipTests package -pl splitfed-bench -am) >&2
/usr/bin/python3 "$root/tools/export_torchscript.py" \
  "$root/splitfed-core/src/test/resources/torchscript/lenet5_model.py" lenet5 "$out/exported" --input-shape 1,28,28
. "$root/tools/engine-env.sh"
java -cp "$root/splitfed-bench/target/benchmarks.jar" dev.splitfed.bench.InitialWeights lenet5 1,28,28 10 $cut 1 "$out/lenet5.f32"
/usr/bin/python3 "$root/bench/copy_weights.py" "$out/exported" "$out/lenet5.f32" "$out/lenet5-ts"
common=(simulate --scheme sflv1 --cut $cut --rounds "$rounds" --limit "$limit" --threads 1 --quiet)
"$root/splitfed" "${common[@]}" --model lenet5 --out "$out/builtin" >&2
"$root/splitfed" "${common[@]}" --model "torchscript:$out/lenet5-ts" --out "$out/torchscript" >&2
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
runs = {k: [json.loads(l) for l in open(f"{out}/{k}/metrics.jsonl")] for k in ("builtin", "torchscript")}
worst = 0.0
for a, b in zip(runs["builtin"], runs["torchscript"]):
    for key in ("test_accuracy", "test_loss", "train_loss"):
        if key in a:
            worst = max(worst, abs(a[key] - b[key]))
    print(f"round {a['round']}: builtin acc {a['test_accuracy']:.4f} loss {a['test_loss']:.5f} {a['seconds']:.2f}s | "
          f"torchscript acc {b['test_accuracy']:.4f} loss {b['test_loss']:.5f} {b['seconds']:.2f}s")
sb = statistics.median(r["seconds"] for r in runs["builtin"])
st = statistics.median(r["seconds"] for r in runs["torchscript"])
print(f"largest metric difference {worst:.2e}; median seconds per round builtin {sb:.2f}, torchscript {st:.2f}, "
      f"ratio {st / sb:.3f}")
PY
