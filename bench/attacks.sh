#!/usr/bin/env bash
# What each defence buys against both attacks: short sflv1 runs of full Fashion-MNIST (--limit 6000,
# 3 rounds, Adam lr 0.001, LeNet-5 cut 1) with and without the noise layer and the U-shaped split,
# each attacked by model inversion and by label inference. One table row per run. About 15 minutes.
# Usage: bench/attacks.sh [OUT_DIR]   (default runs/attacks)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-runs/attacks}
mkdir -p "$out"
echo "| --smashed-noise | --labels | test accuracy | inversion PSNR (dB) | inversion SSIM | labels from middle-output gradients | labels from cut gradients |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for noise in none laplace:0.001 gaussian:0.03; do
  for labels in shared private; do
    dir="$out/$(echo "$noise" | tr ':' '-')-$labels"
    rm -rf "$dir"
    ./splitfed simulate --limit 6000 --rounds 3 --threads 1 --optimizer adam --lr 0.001 --smashed-noise "$noise" \
        --labels "$labels" --quiet --out "$dir" >/dev/null
    ./splitfed attack inversion --run "$dir" --threads 1 >/dev/null
    ./splitfed attack labels --run "$dir" --samples 1000 --threads 1 > "$dir/label-attack.txt"
    python3 - "$dir" "$noise" "$labels" <<'PY'
import json, re, sys
d, noise, labels = sys.argv[1:4]
acc = [json.loads(l)["test_accuracy"] for l in open(d + "/metrics.jsonl")][-1]
dec = json.load(open(d + "/inversion.json"))["decoder"]
text = open(d + "/label-attack.txt").read()
def grab(prefix):
    m = re.search(r"^" + re.escape(prefix) + r".*?(\d\.\d{4})\s*$", text, re.M)
    return m.group(1) if m else "sent (1.0000)" if labels == "shared" else "-"
middle = grab("gradients at the middle") if labels == "private" else "labels sent (1.0000)"
cut = grab("gradients at the cut")
print(f"| {noise} | {labels} | {acc:.4f} | {dec['psnr']:.2f} | {dec['ssim']:.3f} | {middle} | {cut} |", flush=True)
PY
  done
done
