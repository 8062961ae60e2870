#!/usr/bin/env bash
# Long runs flat in memory: one JVM runs ROUNDS rounds (sflv1 next-word on Debian's fortunes, 10
# IID clients, the first LIMIT samples) and, separately, a five-scheme `compare` on words; the JVM's resident memory
# is read from /proc every second and noted at the end of each round. Prints the resident memory
# after round 5, at the end, and the growth between them.
#
#   bench/soak.sh [ROUNDS] [LIMIT]      e.g. bench/soak.sh 50 30000
#
# Needs Debian's fortunes package. Results: runs/soak/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-50}"
limit="${2:-30000}"
out="$root/runs/soak"
rm -rf "$out" && mkdir -p "$out"
"$root/splitfed" --version >/dev/null   # builds once

# Runs a splitfed command in the background and writes "rounds_done rss_kb" each second to $2,
# counting the rounds recorded under the directory $3.
watch_run() {
  local log="$1" trace="$2" dir="$3"; shift 3
  "$root/splitfed" "$@" > "$log" 2>&1 &
  local pid=$!
  while kill -0 $pid 2>/dev/null; do
    local rss done
    rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    done=$( (cat "$dir"/metrics.jsonl "$dir"/*/metrics.jsonl 2>/dev/null || true) | wc -l)
    echo "$done $rss" >> "$trace"
    sleep 1
  done
  wait $pid
}

watch_run "$out/sflv1.log" "$out/sflv1.trace" "$out/sflv1" simulate --dataset fortunes --partition iid --clients 10 --scheme sflv1 --rounds "$rounds" \
    --limit "$limit" --threads 2 --quiet --out "$out/sflv1"
watch_run "$out/compare.log" "$out/compare.trace" "$out/compare" compare --dataset fortunes --partition iid --clients 10 --schemes central,fl,sl,sflv1,sflv2 \
    --rounds "$((rounds / 5))" --limit "$limit" --threads 2 --quiet --out "$out/compare"

python3 - "$out" <<'PY'
import sys, os
out = sys.argv[1]
for name in ("sflv1", "compare"):
    trace = [tuple(map(int, l.split())) for l in open(os.path.join(out, name + ".trace")) if len(l.split()) == 2]
    trace = [(done, rss) for done, rss in trace if rss > 0]
    if not trace or trace[-1][0] < 6:
        print(f"{name}: fewer than 6 rounds recorded"); continue
    final = trace[-1][0]
    # "The end" is the last reading before the final round was recorded: after it the JVM writes
    # its report and exits, and its resident memory falls.
    training = [(done, rss) for done, rss in trace if done < final]
    first = next(rss for done, rss in training if done >= 5)
    after6 = next(rss for done, rss in training if done >= 6)
    last = training[-1][1]
    peak = max(rss for done, rss in training if done >= 5)
    print(f"{name:8} rounds {final:3d}  RSS after round 5 {first / 1024:5.0f} MB, after round 6 {after6 / 1024:5.0f} MB,"
          f" at the end {last / 1024:5.0f} MB, peak {peak / 1024:5.0f} MB;"
          f" growth {100 * (last - first) / first:+.1f}% from round 5, {100 * (last - after6) / after6:+.1f}% from round 6")
PY
