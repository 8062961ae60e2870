#!/usr/bin/env bash
# Figure (c) of issue 7: synchronous rounds against FedBuff (asynchronous buffered aggregation,
# Nguyen et al. 2022) under heterogeneous device speeds. fl and sflv1, 10 IID clients, full
# Fashion-MNIST, LeNet-5 cut 1, batch 64, SGD lr 0.01 momentum 0.9; every client's slowdown drawn
# from LogNormal(0, SIGMA) (the same draw for every run: same seed); a 100 Mbit/s link.
# Prints, per scheme and mode, the simulated seconds (and the real seconds of this serial
# simulation) until the test accuracy first reaches TARGET, and the final accuracy.
#
#   bench/async.sh [ROUNDS] [BUFFER]        e.g. bench/async.sh 20 3
#
# ROUNDS synchronous rounds (default 20); FedBuff takes ROUNDS * 10 / BUFFER server steps of
# BUFFER updates each (default BUFFER 3), i.e. as many client updates as the synchronous runs.
# Environment: TARGET (default 0.85), SIGMA (default 1), LINK (default 100Mbit/s), SCHEMES
# (default "fl sflv1"), EXTRA (more simulate options, e.g. "--limit 3000").
# Results: runs/async/<scheme>-<mode>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-20}"
buffer="${2:-3}"
target="${TARGET:-0.85}"
sigma="${SIGMA:-1}"
link="${LINK:-100Mbit/s}"
read -r -a schemes <<< "${SCHEMES:-fl sflv1}"
read -r -a extra <<< "${EXTRA:-}"
clients=10
steps=$(( (rounds * clients + buffer - 1) / buffer ))
out="$root/runs/async"
mkdir -p "$out"
"$root/splitfed" --version >/dev/null   # builds once, outside the timings

common=(--clients "$clients" --threads 1 --quiet --speeds "lognormal:$sigma" --link "$link" "${extra[@]}")
for s in "${schemes[@]}"; do
  echo "== $s: synchronous, $rounds rounds" >&2
  rm -rf "$out/$s-sync"   # simulate refuses an out directory that already holds a run; these are this script's own
  "$root/splitfed" simulate --scheme "$s" --rounds "$rounds" "${common[@]}" --out "$out/$s-sync" >&2
  echo "== $s: FedBuff buffer=$buffer, $steps steps" >&2
  rm -rf "$out/$s-fedbuff"
  "$root/splitfed" simulate --scheme "$s" --rounds "$steps" --async "buffer=$buffer" "${common[@]}" \
      --out "$out/$s-fedbuff" >&2
done

python3 - "$out" "$target" "$buffer" "${schemes[@]}" <<'PY'
import json, os, sys
out, target, buffer, schemes = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4:]
print(f"time to {target:.0%} test accuracy; sim = simulated seconds (device speeds, link), "
      "real = this process's training seconds, clients one after another")
print(f"{'scheme':7} {'mode':16} {'rounds':>7} {'sim s':>10} {'real s':>9} {'final acc':>10} {'sim s total':>12}")
for s in schemes:
    for mode, label in (("sync", "synchronous"), ("fedbuff", f"FedBuff K={buffer}")):
        rows = [json.loads(l) for l in open(os.path.join(out, f"{s}-{mode}", "metrics.jsonl"))]
        real = 0.0
        hit = None
        for m in rows:
            real += m["seconds"]
            if m["test_accuracy"] >= target:
                hit = (m["round"], m["sim_seconds"], real)
                break
        reached = f"{hit[0]:7d} {hit[1]:10.1f} {hit[2]:9.1f}" if hit else f"{'-':>7} {'not reached':>10} {'-':>9}"
        print(f"{s:7} {label:16} {reached} {rows[-1]['test_accuracy']:10.4f} {rows[-1]['sim_seconds']:12.1f}")
PY
