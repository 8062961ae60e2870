#!/usr/bin/env bash
# Many clients on one deployment server: a `splitfed server` process (fl, LeNet-5 on the full
# Fashion-MNIST, mutual TLS, --threads 1) and LoadClients — N protocol clients with their own
# certificates in one JVM, each echoing the weights it downloads — sampled SAMPLED a round.
# Prints one row: clients, the server's peak resident memory and threads, and its median seconds
# per round (the clients train nothing, so that is the protocol's own cost).
#
#   bench/load.sh CLIENTS [SAMPLED] [ROUNDS]      e.g. bench/load.sh 10000 100 5
#
# Needs dataset-fashion-mnist and splitfed-bench/target/benchmarks.jar (bench/jmh.sh builds it, or
# mvn -q -pl splitfed-bench -am package -DskipTests). Results: runs/load/<CLIENTS>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="${1:?usage: bench/load.sh CLIENTS [SAMPLED] [ROUNDS]}"
sampled="${2:-100}"
rounds="${3:-5}"
port="${SPLITFED_LOAD_PORT:-17443}"
out="$root/runs/load/$clients"
certs="$root/runs/load/certs-$clients"
rm -rf "$out" && mkdir -p "$root/runs/load"
"$root/splitfed" --version >/dev/null   # builds once
[ -f "$certs/client-$((clients - 1)).crt" ] || "$root/splitfed" certs --out "$certs" --clients "$clients" \
    --hosts localhost,127.0.0.1 >/dev/null
fraction="$(python3 -c "print(min(1.0, $sampled / $clients))")"

"$root/splitfed" server --port "$port" --certs "$certs" --scheme fl --dataset fashion-mnist --model lenet5 \
    --clients "$clients" --fraction "$fraction" --min-clients "$clients" --rounds "$rounds" --round-timeout 5m \
    --threads 1 --quiet --out "$out" > "$out.server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until grep -q "^serving" "$out.server.log" 2>/dev/null; do
  kill -0 $server 2>/dev/null || { cat "$out.server.log" >&2; exit 1; }
  sleep 0.5
done
# The launcher execs java, so $server is the server's JVM.
peak_rss=0; peak_threads=0
sample() {
  local rss threads
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$server/status 2>/dev/null || echo 0)
  threads=$(awk '/^Threads/ {print $2}' /proc/$server/status 2>/dev/null || echo 0)
  [ "${rss:-0}" -gt "$peak_rss" ] && peak_rss=$rss
  [ "${threads:-0}" -gt "$peak_threads" ] && peak_threads=$threads
  return 0
}
. "$root/tools/engine-env.sh"
java -Xmx6g -cp "$root/splitfed-bench/target/benchmarks.jar" dev.splitfed.bench.LoadClients \
    --server "localhost:$port" --certs "$certs" --clients "$clients" > "$out.clients.log" 2>&1 &
load=$!
while kill -0 $server 2>/dev/null; do
  sample
  sleep 1
done
wait $load || true
python3 - "$out" "$clients" "$peak_rss" "$peak_threads" <<'PY'
import json, os, statistics, sys
out, clients, rss, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rounds = [json.loads(l) for l in open(os.path.join(out, "metrics.jsonl"))]
seconds = [r["seconds"] for r in rounds]
print(f"{'clients':>8} {'sampled/round':>13} {'peak RSS MB':>11} {'peak threads':>12} {'median s/round':>14} {'rounds':>6}")
print(f"{clients:>8} {rounds[0]['clients']:>13} {rss / 1024:>11.0f} {threads:>12} {statistics.median(seconds):>14.3f} {len(rounds):>6}")
PY
