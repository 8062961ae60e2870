#!/usr/bin/env python3
"""Makes the TorchScript fixtures of TorchScriptModelTest (run from this directory with Debian's
python3-torch; the outputs are committed so that the tests need no Python):

  lenet5/stage0..4.pt    lenet5_model.lenet5() exported with tools/export_torchscript.py (scripted)
  small_bn/stage0..2.pt  lenet5_model.small_bn() exported traced: BatchNorm and a residual
  small_bn.json          for small_bn: an input batch, the eval-mode logits, the train-mode logits,
                         the running statistics after that one train-mode forward, and every
                         parameter after one plain SGD step (lr 0.1) on the mean cross-entropy
"""
import json, os, subprocess, sys
import torch
from torch import nn

here = os.path.dirname(os.path.abspath(__file__))
tool = os.path.join(here, "..", "..", "..", "..", "..", "tools", "export_torchscript.py")
torch.manual_seed(16)
subprocess.run([sys.executable, tool, "lenet5_model.py", "lenet5", "lenet5", "--input-shape", "1,28,28"],
               cwd=here, check=True)
subprocess.run([sys.executable, tool, "lenet5_model.py", "small_bn", "small_bn", "--input-shape", "1,8,8",
                "--trace"], cwd=here, check=True)

stages = [torch.jit.load(os.path.join(here, "small_bn", f"stage{i}.pt")) for i in range(3)]
model = nn.Sequential(*stages)
x = torch.randn(4, 1, 8, 8)
y = torch.tensor([0, 1, 2, 0])
model.eval()
with torch.no_grad():
    eval_logits = model(x)
model.train()
train_logits = model(x)
buffers = [b.detach().clone() for s in stages for b in s.splitfed_buffers()]
loss = nn.functional.cross_entropy(train_logits, y)
loss.backward()
with torch.no_grad():
    for p in model.parameters():
        p -= 0.1 * p.grad
after = [p.detach().clone() for s in stages for p in s.parameters()]
flat = lambda ts: [float(v) for t in ts for v in t.flatten()]
json.dump({"input": flat([x]), "labels": y.tolist(), "eval_logits": flat([eval_logits]),
           "train_logits": flat([train_logits.detach()]), "loss": float(loss),
           "buffers_after_train_forward": flat(buffers), "parameters_after_sgd_step": flat(after)},
          open(os.path.join(here, "small_bn.json"), "w"), indent=0)
print("wrote", os.path.join(here, "small_bn.json"))
