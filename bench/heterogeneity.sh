#!/usr/bin/env bash
# Figure (b) of issue 7: final test accuracy of fl, sflv1 and sflv2 under iid, dirichlet:0.5,
# dirichlet:0.1 and shards:2 partitions, each with FedAvg, FedProx and FedAdam: 36 runs of
# `splitfed simulate`, one after the other, 10 clients, full Fashion-MNIST (where `simulate` finds it),
# LeNet-5 cut 1, batch 64, SGD lr 0.01 momentum 0.9, one local epoch, seed 1, --threads 1.
#
#   FedAvg    --strategy fedavg
#   FedProx   --prox-mu $PROX_MU              (default 0.01; Li et al. 2020 tune mu in {0.001, 0.01, 0.1, 1})
#   FedAdam   --strategy fedadam:lr=$ADAM_LR  (default 0.03; b1 0.9, b2 0.99, tau 1e-3; Reddi et al. 2021)
#
#   bench/heterogeneity.sh [ROUNDS]                          default 10 rounds
#   EXTRA="--limit 3000" bench/heterogeneity.sh 2            a quick end-to-end check
#
# EXTRA is appended to every run's options (e.g. "--limit 3000", "--local-epochs 2", "--seed 2").
# Results: runs/bench/heterogeneity/<scheme>-<partition>-<method>/; the table (final and best test
# accuracy) is printed and written to runs/bench/heterogeneity/table.md.
# SPLITFED_JAVA_OPTS sets the JVM options (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
prox_mu="${PROX_MU:-0.01}"
adam_lr="${ADAM_LR:-0.03}"
read -r -a extra <<< "${EXTRA:-}"
out="$root/runs/bench/heterogeneity"
mkdir -p "$out"
"$root/splitfed" --version >/dev/null # builds once, here

schemes=(fl sflv1 sflv2)
partitions=(iid dirichlet:0.5 dirichlet:0.1 shards:2)
methods=(fedavg fedprox fedadam)

for scheme in "${schemes[@]}"; do
  for partition in "${partitions[@]}"; do
    for method in "${methods[@]}"; do
      case "$method" in
        fedavg) flags=(--strategy fedavg) ;;
        fedprox) flags=(--prox-mu "$prox_mu") ;;
        fedadam) flags=(--strategy "fedadam:lr=$adam_lr") ;;
      esac
      name="$scheme-${partition//:/}-$method"
      echo "== $name" >&2
      # simulate refuses an out directory that already holds a run; these are this script's own.
      rm -rf "${out:?}/$name"
      "$root/splitfed" simulate --scheme "$scheme" --clients 10 --partition "$partition" --rounds "$rounds" \
        --threads 1 --quiet "${flags[@]}" "${extra[@]}" --out "$out/$name" >&2
    done
  done
done

/usr/bin/python3 - "$out" "$rounds" "$prox_mu" "$adam_lr" "${EXTRA:-}" <<'PY'
import json, os, sys
out, rounds, mu, lr, extra = sys.argv[1:6]
schemes = ("fl", "sflv1", "sflv2")
partitions = ("iid", "dirichlet0.5", "dirichlet0.1", "shards2")
methods = ("fedavg", "fedprox", "fedadam")

def accuracy(name):
    rows = [json.loads(l) for l in open(os.path.join(out, name, "metrics.jsonl"))]
    return rows[-1]["test_accuracy"], max(r["test_accuracy"] for r in rows)

lines = [f"Final test accuracy (best in brackets) after {rounds} rounds, 10 clients; FedProx mu {mu}, "
         f"FedAdam lr {lr}" + (f"; extra options: {extra}" if extra else "") + ".", "",
         "| scheme | partition | FedAvg | FedProx | FedAdam |", "| --- | --- | ---: | ---: | ---: |"]
for s in schemes:
    for p in partitions:
        cells = []
        for m in methods:
            final, best = accuracy(f"{s}-{p}-{m}")
            cells.append(f"{final:.4f} ({best:.4f})")
        lines.append(f"| {s} | {p.replace('dirichlet', 'dirichlet:').replace('shards', 'shards:')} | " + " | ".join(cells) + " |")
text = "\n".join(lines) + "\n"
print(text)
open(os.path.join(out, "table.md"), "w").write(text)
PY
