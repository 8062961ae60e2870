#!/usr/bin/env bash
# Cross-silo on a table of one's own: three hospitals, each a `splitfed client` JVM that reads only
# its own site's rows (--data SITE.csv) with the schema the server sends, over mutual TLS; then the
# same run in process with --partition natural --owner site; and the largest difference between
# the two runs' metrics.
#
#   bench/cross-silo.sh [ROUNDS] [ROWS]        e.g. bench/cross-silo.sh 5 30000
#
# The table is generated (seeded): 8 numeric measurements, a sex, a site, an outcome. Results: runs/cross-silo/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-5}"
rows="${2:-30000}"
out="$root/runs/cross-silo"
rm -rf "$out" && mkdir -p "$out"
"$root/splitfed" --version >/dev/null   # builds once
python3 - "$out" "$rows" <<'PY'
import random, sys
out, rows = sys.argv[1], int(sys.argv[2])
rng = random.Random(16)
sites = ["north", "south", "east"]
def table(n):
    lines = ["age,bmi,pressure,glucose,insulin,chol,hdl,smoker,sex,site,outcome"]
    for i in range(n):
        s = i % 3
        age = rng.gauss(50 + 4 * s, 12); glucose = rng.gauss(105 + 5 * s, 25); bmi = rng.gauss(27, 5)
        risk = age / 60 + glucose / 150 + bmi / 60 + rng.gauss(0, 0.15)
        lines.append(f"{age:.1f},{bmi:.1f},{rng.gauss(125, 15):.0f},{glucose:.1f},{rng.gauss(12, 4):.1f},"
                     f"{rng.gauss(200, 35):.0f},{rng.gauss(55, 12):.0f},{rng.choice(['yes', 'no'])},"
                     f"{rng.choice(['F', 'M'])},{sites[s]},{'yes' if risk > 2.0 else 'no'}")
    return lines
train = table(rows)
open(f"{out}/patients.csv", "w").write("\n".join(train) + "\n")
open(f"{out}/test.csv", "w").write("\n".join(table(rows // 5)) + "\n")
for site in sites:
    mine = [train[0]] + [l for l in train[1:] if f",{site}," in l]
    open(f"{out}/{site}.csv", "w").write("\n".join(mine) + "\n")
PY
common=(--scheme sflv1 --dataset "csv:$out/patients.csv" --owner site --test-file "$out/test.csv" --partition natural
        --clients 3 --rounds "$rounds" --batch-size 32 --lr 0.05 --threads 1 --quiet)
"$root/splitfed" certs --out "$out/certs" --clients 3 --hosts localhost,127.0.0.1 >/dev/null
port=$((20000 + RANDOM % 20000))
"$root/splitfed" server "${common[@]}" --port "$port" --certs "$out/certs" --out "$out/deployed" > "$out/server.log" 2>&1 &
server=$!
sleep 2
# Owners are sorted: client 0 is east, 1 north, 2 south; each reads only its own file.
i=0
for site in east north south; do
  "$root/splitfed" client --server "localhost:$port" --certs "$out/certs" --client-id $i --threads 1 \
      --data "$out/$site.csv" > "$out/client-$site.log" 2>&1 &
  i=$((i + 1))
done
wait "$server"
wait
"$root/splitfed" simulate "${common[@]}" --out "$out/in-process" >&2
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
runs = {k: [json.loads(l) for l in open(f"{out}/{k}/metrics.jsonl")] for k in ("deployed", "in-process")}
worst = 0.0
for a, b in zip(runs["deployed"], runs["in-process"]):
    for key in ("test_accuracy", "test_loss", "train_loss"):
        worst = max(worst, abs(a[key] - b[key]))
    print(f"round {a['round']}: deployed acc {a['test_accuracy']:.4f} loss {a['test_loss']:.5f} | "
          f"in-process acc {b['test_accuracy']:.4f} loss {b['test_loss']:.5f}")
print(f"largest metric difference {worst:.2e} over {len(runs['deployed'])} rounds")
PY
grep -h 'schema' "$out/server.log" "$out"/client-*.log | head -4
