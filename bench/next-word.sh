#!/usr/bin/env bash
# Next-word prediction on Debian's fortune files (--dataset fortunes, one client per topic file):
# top-3 accuracy, perplexity and bytes per round after ROUNDS rounds for every scheme against a
# model trained centrally on the pooled text, with `splitfed compare` (identical data, seed and
# hyper-parameters), then the same table from each run's metrics.jsonl.
#
#   bench/next-word.sh [ROUNDS] [CLIENTS] [LR] [CUT]
#   e.g. bench/next-word.sh 10 43 0.5 1     (the README's figure: every topic its own client; about 70 min)
#        bench/next-word.sh 1 43 0.5 2      (a check in a few minutes)
#
# Needs `apt-get install fortunes`. Every run uses --threads 1. Results: runs/bench/next-word-cutCUT/.
# SPLITFED_JAVA_OPTS sets the JVM options (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
clients="${2:-43}"
lr="${3:-0.5}"
cut="${4:-1}"
out="$root/runs/bench/next-word-cut$cut"
# compare refuses an out directory that already holds runs; this one is the script's own.
rm -rf "$out"
"$root/splitfed" compare --dataset fortunes --schemes central,fl,sl,sflv1,sflv2 --clients "$clients" \
  --rounds "$rounds" --lr "$lr" --cut "$cut" --threads 1 --quiet --out "$out" >&2

/usr/bin/env python3 - "$out" <<'PY'
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
print("| scheme | top-1 | top-3 | perplexity | best perplexity (round) | MB per round | predicted MB per round | s/round |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for scheme in ["central", "fl", "sl", "sflv1", "sflv2"]:
    rows = [json.loads(l) for l in (out / scheme / "metrics.jsonl").read_text().splitlines() if l.strip()]
    last = rows[-1]
    best = min(rows, key=lambda r: r["perplexity"])
    mb = sum(r["bytes_up"] + r["bytes_down"] for r in rows) / len(rows) / 1e6
    predicted = sum(r["predicted_bytes"] for r in rows) / len(rows) / 1e6
    seconds = sum(r["seconds"] for r in rows) / len(rows)
    print(f"| {scheme} | {last['test_accuracy']:.4f} | {last['top3_accuracy']:.4f} | {last['perplexity']:.1f} | "
          f"{best['perplexity']:.1f} ({best['round']}) | {mb:.1f} | {predicted:.1f} | {seconds:.1f} |")
PY
