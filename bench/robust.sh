#!/usr/bin/env bash
# Byzantine robustness, figure (a) of issue 7: final test accuracy of fl and sflv1 with 10 clients
# on full Fashion-MNIST, for each aggregator (fedavg, median, trimmed-mean:0.2, krum,
# multi-krum:5, bulyan) against 0, 1, 2 and 3 malicious clients running ATTACK. Krum, Multi-Krum
# and Bulyan assume the most Byzantine clients 10 updates tolerate (Krum f = 3, Bulyan f = 1).
# The malicious clients are drawn from the seed, so every row faces the same ones; the table names
# them. A run that diverges (NaN weights; FedAvg under a strong attack) shows as "div@R", R the round.
#
#   bench/robust.sh [ROUNDS] [ATTACK]            e.g. bench/robust.sh 10 sign-flip:10
#   EXTRA="--limit 3000" bench/robust.sh 2       a quick end-to-end check
#
# ROUNDS defaults to 10, ATTACK to sign-flip:10 (each attacker hands in start - 10 (trained - start),
# and in sflv1 also sends -10 times its smashed data). EXTRA is added to every simulate command.
# Every run uses --threads 1. Results: runs/bench/robust/<scheme>-<aggregator>-<F>/.
# SPLITFED_JAVA_OPTS sets the JVM options (default -Xmx4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-10}"
attack="${2:-sign-flip:10}"
read -r -a extra <<< "${EXTRA:-}"
out="$root/runs/bench/robust"
schemes=(fl sflv1)
aggregators=(fedavg median trimmed-mean:0.2 krum multi-krum:5 bulyan)
attackers=(0 1 2 3)
mkdir -p "$out"
"$root/splitfed" --version >/dev/null # builds once, here

for scheme in "${schemes[@]}"; do
  for aggregator in "${aggregators[@]}"; do
    for f in "${attackers[@]}"; do
      name="$scheme-${aggregator//[:,=]/_}-$f"
      flags=(--aggregator "$aggregator")
      [ "$f" -gt 0 ] && flags+=(--malicious "$f" --attack "$attack")
      echo "== $scheme, $aggregator, $f malicious" >&2
      # simulate refuses an out directory that already holds a run; these are this script's own.
      rm -rf "${out:?}/$name"
      # A diverged run exits with status 2; its metrics so far stay, and the table says where it stopped.
      if ! "$root/splitfed" simulate --scheme "$scheme" --clients 10 --rounds "$rounds" --threads 1 --quiet \
          "${flags[@]}" "${extra[@]}" --out "$out/$name" 2> "$out/$name.err" >&2; then
        cat "$out/$name.err" >&2
        grep -qE "diverged|NaN or infinite" "$out/$name.err" || { echo "robust.sh: $name failed" >&2; exit 1; }
      fi
    done
  done
done

/usr/bin/python3 - "$out" "$rounds" "$attack" "${schemes[*]}" "${aggregators[*]}" "${attackers[*]}" <<'PY'
import json, os, sys
out, rounds, attack = sys.argv[1], int(sys.argv[2]), sys.argv[3]
schemes, aggregators, attackers = (a.split() for a in sys.argv[4:7])

def cell(name):
    metrics = os.path.join(out, name, "metrics.jsonl")
    rows = [json.loads(l) for l in open(metrics)] if os.path.exists(metrics) else []
    if len(rows) < rounds:
        return f"div@{len(rows) + 1}", None
    return f"{rows[-1]['test_accuracy']:.4f}", rows[-1]["test_accuracy"]

def dirname(scheme, aggregator, f):
    return f"{scheme}-{aggregator.replace(':', '_').replace(',', '_').replace('=', '_')}-{f}"

print(f"final test accuracy after {rounds} round(s), 10 clients, attack {attack}")
header = f"{'aggregator':18} {'scheme':6} | " + " ".join(f"{f + ' mal.':>8}" for f in attackers) + " | clean - 2 mal."
print(header)
print("-" * len(header))
for aggregator in aggregators:
    for scheme in schemes:
        cells = [cell(dirname(scheme, aggregator, f)) for f in attackers]
        gap = ""
        if "2" in attackers and cells[0][1] is not None:
            two = cells[attackers.index("2")][1]
            gap = f"{cells[0][1] - two:+.4f}" if two is not None else "div"
        print(f"{aggregator:18} {scheme:6} | " + " ".join(f"{c[0]:>8}" for c in cells) + f" | {gap}")
for f in attackers[1:]:
    summary = os.path.join(out, dirname(schemes[0], aggregators[0], f), "summary.json")
    if os.path.exists(summary):
        print(f"{f} malicious: clients {json.load(open(summary)).get('malicious')}")
PY
