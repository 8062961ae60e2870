#!/usr/bin/env python3
"""Copies a flat float32 weight vector into TorchScript stages exported with
tools/export_torchscript.py, in splitfed's layout (per stage: named_parameters() in order, then the
running statistics splitfed_buffers() returns), and saves the stages to OUT_DIR.

    python3 bench/copy_weights.py STAGES_DIR WEIGHTS.f32 OUT_DIR
"""
import os, sys
import numpy as np
import torch

src, weights, out = sys.argv[1:4]
flat = torch.from_numpy(np.fromfile(weights, dtype="<f4"))
os.makedirs(out, exist_ok=True)
at, i = 0, 0
with torch.no_grad():
    while os.path.exists(os.path.join(src, f"stage{i}.pt")):
        stage = torch.jit.load(os.path.join(src, f"stage{i}.pt"))
        for t in list(stage.parameters()) + list(stage.splitfed_buffers()):
            n = t.numel()
            t.copy_(flat[at:at + n].view_as(t))
            at += n
        stage.save(os.path.join(out, f"stage{i}.pt"))
        i += 1
if at != flat.numel():
    sys.exit(f"{weights} holds {flat.numel()} values, the stages {at}")
print(f"copied {at} weights into {i} stages in {out}")
