#!/usr/bin/env bash
# Personalisation and drift correction on non-IID data, `splitfed simulate` one run after another:
#
#  FedPer (--personal-head; Arivazhagan et al. 2019) against FedAvg, fl and sflv1 (U-shaped,
#  --labels private, in both), shards:2 and dirichlet:0.1: every run holds out 20% of each
#  client's samples (--personal-holdout 0.2), and personal_accuracy is the accuracy on them of the
#  model each client would use (FedAvg: the global model; FedPer: the global base with its own head).
#
#  SCAFFOLD (--scaffold; Karimireddy et al. 2020) against FedAvg, fl and sflv1, shards:2 and
#  dirichlet:0.1, plain SGD (--momentum 0 --lr LR) in both, test accuracy on the global test set.
#
#   bench/personal.sh [ROUNDS] [LIMIT] [DATASET] [CLIENTS] [LR]
#   e.g. bench/personal.sh 10 0 fashion-mnist 10 0.05      (full Fashion-MNIST; LIMIT 0 = all samples)
#        bench/personal.sh 2 3000 fashion-mnist-sample 5   (a check in a few minutes)
#
# Every run uses --threads 1. Results: runs/bench/personal/<scheme>-<partition>-<mode>/.
# SPLITFED_JAVA_OPTS sets the JVM options (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
limit="${2:-0}"
dataset="${3:-fashion-mnist}"
clients="${4:-10}"
lr="${5:-0.05}"
out="$root/runs/bench/personal"
mkdir -p "$out"
"$root/splitfed" --version >/dev/null # builds once, here

run() { # name, flags...
  local name="$1"
  shift
  echo "== $name" >&2
  # simulate refuses an out directory that already holds a run; these are this script's own.
  rm -rf "${out:?}/$name"
  "$root/splitfed" simulate --dataset "$dataset" --limit "$limit" --clients "$clients" --rounds "$rounds" \
    --threads 1 --quiet --out "$out/$name" "$@" >&2
}

for scheme in fl sflv1; do
  labels=()
  [ "$scheme" = sflv1 ] && labels=(--labels private)
  for partition in shards:2 dirichlet:0.1; do
    tag="$scheme-${partition/:/}"
    run "$tag-fedavg-holdout" --scheme "$scheme" --partition "$partition" "${labels[@]}" --personal-holdout 0.2
    run "$tag-fedper" --scheme "$scheme" --partition "$partition" "${labels[@]}" --personal-head
    run "$tag-sgd" --scheme "$scheme" --partition "$partition" --momentum 0 --lr "$lr"
    run "$tag-scaffold" --scheme "$scheme" --partition "$partition" --momentum 0 --lr "$lr" --scaffold
  done
done

/usr/bin/python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]

def rows(name):
    return [json.loads(l) for l in open(os.path.join(out, name, "metrics.jsonl"))]

def mb(rs):
    return sum(r["bytes_up"] + r["bytes_down"] for r in rs) / len(rs) / 1e6

print("FedPer against FedAvg: accuracy on each client's held-out 20% (pooled; min-max over clients), final round")
print(f"{'run':22} | {'FedAvg personal':>15} {'min-max':>13} {'test':>7} | {'FedPer personal':>15} {'min-max':>13} "
      f"{'test*':>7} | {'MB/round':>9} {'FedPer':>9}")
for scheme in ("fl", "sflv1"):
    for partition in ("shards2", "dirichlet0.1"):
        a = rows(f"{scheme}-{partition}-fedavg-holdout")
        b = rows(f"{scheme}-{partition}-fedper")
        la, lb = a[-1], b[-1]
        print(f"{scheme + ' ' + partition:22} | {la['personal_accuracy']:15.4f} "
              f"{la['personal_accuracy_min']:6.3f}-{la['personal_accuracy_max']:.3f} {la['test_accuracy']:7.4f} | "
              f"{lb['personal_accuracy']:15.4f} {lb['personal_accuracy_min']:6.3f}-{lb['personal_accuracy_max']:.3f} "
              f"{lb['test_accuracy']:7.4f} | {mb(a):9.3f} {mb(b):9.3f}")
print("(test*: FedPer's global base with the initial head, what a newcomer starts from)")
print()
print("SCAFFOLD against FedAvg, plain SGD: test accuracy by round")
print(f"{'run':22} | {'FedAvg final':>12} {'best':>7} | {'SCAFFOLD final':>14} {'best':>7} | {'MB/round':>9} {'SCAFFOLD':>9} "
      f"| {'measured = predicted + counts':>29}")
for scheme in ("fl", "sflv1"):
    for partition in ("shards2", "dirichlet0.1"):
        a = rows(f"{scheme}-{partition}-sgd")
        b = rows(f"{scheme}-{partition}-scaffold")
        gap = sum(r["bytes_up"] + r["bytes_down"] - r["predicted_bytes"] for r in b) / len(b)
        print(f"{scheme + ' ' + partition:22} | {a[-1]['test_accuracy']:12.4f} {max(r['test_accuracy'] for r in a):7.4f} | "
              f"{b[-1]['test_accuracy']:14.4f} {max(r['test_accuracy'] for r in b):7.4f} | {mb(a):9.3f} {mb(b):9.3f} "
              f"| {gap:29,.0f}")
    print("   by round, FedAvg / SCAFFOLD (" + scheme + " shards2): " + " ".join(
        f"{x['test_accuracy']:.3f}/{y['test_accuracy']:.3f}"
        for x, y in zip(rows(f"{scheme}-shards2-sgd"), rows(f"{scheme}-shards2-scaffold"))))
PY
