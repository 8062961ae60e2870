#!/usr/bin/env bash
# Accuracy against epsilon on full Fashion-MNIST, sflv1, LeNet-5 cut 1, 10 rounds (issue 6's figure).
#   DP-SGD (sample level): 5 clients of 12,000, batch 64, Poisson sampling: q = 64/12000, 1,880 steps;
#     sigma 0.6 / 0.82 / 1.4 give epsilon about 7.6 / 3.0 / 1.0 at delta 1e-5.
#   DP-FedAvg (user level): 100 clients of 600, each sampled with probability 0.5 a round, 10 rounds;
#     z 1.5 / 3 / 8 give epsilon about 7.2 / 3.0 / 1.0 at delta 1e-5; adaptive clipping to the median.
# Usage: bench/privacy.sh [ROUNDS] [THREADS]; results in runs/privacy/, table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-10}
THREADS=${2:-2}
OUT=runs/privacy
rm -rf "$OUT"
mkdir -p "$OUT"
run() {
    local name=$1
    shift
    ./splitfed simulate --scheme sflv1 --rounds "$ROUNDS" --threads "$THREADS" --quiet --out "$OUT/$name" "$@" >/dev/null
    python3 - "$OUT/$name" "$name" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1] + "/metrics.jsonl")]
last = rows[-1]
eps = last.get("epsilon", last.get("user_epsilon"))
print(f"{sys.argv[2]:<24} accuracy {last['test_accuracy']:.4f}  epsilon {eps if eps is None else round(eps, 2)}  "
      f"{sum(r['seconds'] for r in rows) / len(rows):.1f} s/round")
PY
}
run sgd-none
run sgd-sigma0.6 --dp-sgd noise=0.6,clip=1
run sgd-sigma0.82 --dp-sgd noise=0.82,clip=1
run sgd-sigma1.4 --dp-sgd noise=1.4,clip=1
FED=(--clients 100 --fraction 0.5)
run fedavg-none "${FED[@]}"
run fedavg-z1.5 "${FED[@]}" --dp-fedavg noise=1.5,clip=0.1,quantile=0.5,count-noise=10
run fedavg-z3 "${FED[@]}" --dp-fedavg noise=3,clip=0.1,quantile=0.5,count-noise=10
run fedavg-z8 "${FED[@]}" --dp-fedavg noise=8,clip=0.1,quantile=0.5,count-noise=10
