#!/usr/bin/env bash
# The privacy/accuracy trade-off of --smashed-noise and what model inversion recovers, on a short sflv1
# run of full Fashion-MNIST (--limit 6000, 3 rounds, Adam): one table row per noise. About 10 minutes.
# Usage: bench/noise-inversion.sh [OUT_DIR]   (default runs/noise-inversion)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-runs/noise-inversion}
mkdir -p "$out"
echo "| --smashed-noise | test accuracy | decoder MSE | decoder PSNR | decoder SSIM | mean-image MSE | mean-image PSNR | mean-image SSIM |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for noise in none laplace:0.0002 laplace:0.001 laplace:2 gaussian:0.01 gaussian:0.03 gaussian:10; do
  dir="$out/$(echo $noise | tr ':' '-')"
  rm -rf "$dir"
  ./splitfed simulate --limit 6000 --rounds 3 --threads 1 --optimizer adam --lr 0.001 --smashed-noise "$noise" --quiet --out "$dir" >/dev/null
  ./splitfed attack inversion --run "$dir" --threads 1 >/dev/null
  python3 - "$dir" "$noise" <<'PY'
import json, sys
d, noise = sys.argv[1], sys.argv[2]
acc = [json.loads(l)["test_accuracy"] for l in open(d + "/metrics.jsonl")][-1]
inv = json.load(open(d + "/inversion.json"))
dec, base = inv["decoder"], inv["mean_aux_sample"]
print(f"| {noise} | {acc:.4f} | {dec['mse']:.4f} | {dec['psnr']:.2f} | {dec['ssim']:.3f} | {base['mse']:.4f} | {base['psnr']:.2f} | {base['ssim']:.3f} |", flush=True)
PY
done
