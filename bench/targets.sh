#!/usr/bin/env bash
# Measures every target of the speed issue side by side on this machine and prints one table:
#   1. seconds per round of each scheme against the plain-PyTorch reference    (bench/side-by-side.sh)
#   2. in-process sflv1 against a bare DJL loop                                 (bench/bare-vs-sflv1.sh)
#   3. sflv1 over loopback gRPC with mutual TLS against in-process
#   4. FedAvg of 10 x 11M floats against one memory copy (JMH)                  (bench/jmh.sh)
#   5. 1,000 clients, --fraction 0.05, fl and sflv1, in a 2 GB heap: peak memory
#   6. sflv1 bytes per round and final accuracy with --compress none|fp16|int8|topk:0.1
# Full Fashion-MNIST, LeNet-5 cut 1, 5 IID clients, batch 64, one local epoch, THREADS threads on
# every side. About 40 minutes with the defaults; results and logs go to runs/targets/.
#
#   bench/targets.sh [ROUNDS] [THREADS]          e.g. bench/targets.sh 10 2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
threads="${2:-2}"
out="$root/runs/targets"
rm -rf "$out"
mkdir -p "$out"
"$root/splitfed" --version >/dev/null
"$root/bench/jmh.sh" -l >/dev/null

simulate() {  # NAME ARGS...: one splitfed run into $out/NAME
  local name="$1"; shift
  echo "== $name: splitfed simulate $*" >&2
  "$root/splitfed" simulate --rounds "$rounds" --threads "$threads" --quiet --out "$out/$name" "$@" >&2
}

echo "== 1: reference and splitfed, every scheme" >&2
"$root/bench/side-by-side.sh" "$rounds" "$threads" > "$out/side-by-side.txt"
echo "== 2: bare DJL loop and sflv1" >&2
"$root/bench/bare-vs-sflv1.sh" "$rounds" "$threads" > "$out/bare-vs-sflv1.txt"
echo "== 3: sflv1 in-process and over gRPC, alternately" >&2
simulate inprocess-a --scheme sflv1
simulate grpc-a --scheme sflv1 --transport grpc
simulate inprocess-b --scheme sflv1
simulate grpc-b --scheme sflv1 --transport grpc
echo "== 4: JMH FedAvgBenchmark" >&2
"$root/bench/jmh.sh" FedAvgBenchmark -rf json -rff "$out/fedavg.json" > "$out/fedavg.txt"
echo "== 5: 1,000 clients in a 2 GB heap" >&2
for s in fl sflv1; do
  SPLITFED_JAVA_OPTS="-Xmx2g" "$root/splitfed" simulate --scheme "$s" --clients 1000 --fraction 0.05 \
    --rounds 3 --threads "$threads" --quiet --out "$out/scale-$s" >&2
done
echo "== 6: compression" >&2
for c in fp16 int8 topk:0.1; do
  simulate "compress-${c/:/-}" --scheme sflv1 --compress "$c"
done

/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def summary(name):
    return json.load(open(os.path.join(out, name, "summary.json")))
def steady(name):
    # seconds per round after the first (JIT warm-up), the run's steady state
    rounds = [json.loads(l) for l in open(os.path.join(out, name, "metrics.jsonl"))]
    later = rounds[1:] or rounds
    return sum(r["seconds"] for r in later) / len(later)
print("target 1 (splitfed / reference s per round, <= 0.7):")
print(open(os.path.join(out, "side-by-side.txt")).read().rstrip())
print("\ntarget 2 (in-process sflv1 / bare DJL loop, <= 1.2):")
print(open(os.path.join(out, "bare-vs-sflv1.txt")).read().rstrip())
inproc = [steady("inprocess-a"), steady("inprocess-b")]
grpc = [steady("grpc-a"), steady("grpc-b")]
print("\ntarget 3 (sflv1 over gRPC with TLS / in-process, <= 1.3; s per round after round 1):")
print(f"  in-process {inproc[0]:.2f} {inproc[1]:.2f}   gRPC {grpc[0]:.2f} {grpc[1]:.2f}   ratio {sum(grpc) / sum(inproc):.2f}")
print(f"  accuracy in-process {summary('inprocess-a')['final_test_accuracy']:.4f}  gRPC {summary('grpc-a')['final_test_accuracy']:.4f}")
jmh = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"]["score"] for r in json.load(open(os.path.join(out, "fedavg.json")))}
print(f"\ntarget 4 (FedAvg 10 x 11M / memory copy, <= 3): fedAvg {jmh['fedAvg']:.1f} ms, memoryCopy {jmh['memoryCopy']:.1f} ms, ratio {jmh['fedAvg'] / jmh['memoryCopy']:.2f}")
print("\ntarget 5 (1,000 clients, --fraction 0.05, -Xmx2g):")
for s in ("fl", "sflv1"):
    m = summary("scale-" + s)["memory"]
    print(f"  {s:6} peak heap {m['peak_heap_bytes'] / 1e6:.0f} MB of {m['max_heap_bytes'] / 1e6:.0f} MB, peak resident {m['peak_resident_bytes'] / 1e6:.0f} MB")
print("\ntarget 6 (sflv1 bytes per round and accuracy after the run; int8 >= 3.9x fewer bytes, within 0.005):")
plain = summary("inprocess-a")
base = (plain["bytes_up_total"] + plain["bytes_down_total"]) / plain["rounds_completed"]
print(f"  {'codec':9} {'MB/round':>10} {'fewer bytes':>12} {'accuracy':>9} {'difference':>11}")
print(f"  {'none':9} {base / 1e6:10.1f} {1:11.2f}x {plain['final_test_accuracy']:9.4f} {0:+11.4f}")
for c in ("fp16", "int8", "topk-0.1"):
    s = summary("compress-" + c)
    b = (s["bytes_up_total"] + s["bytes_down_total"]) / s["rounds_completed"]
    print(f"  {c:9} {b / 1e6:10.1f} {base / b:11.2f}x {s['final_test_accuracy']:9.4f} {s['final_test_accuracy'] - plain['final_test_accuracy']:+11.4f}")
PY
