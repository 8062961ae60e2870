#!/usr/bin/env python3
"""The plain PyTorch loop BareLoop is compared with: the reference's ResNet-18 (or LeNet-5), the
first LIMIT Fashion-MNIST training images, batch 64, SGD lr 0.01 momentum 0.9, one model, no
roles. Prints the seconds of each epoch, one per line. Alternate it with

    java -cp splitfed-bench/target/benchmarks.jar dev.splitfed.bench.BareLoop --model resnet18 \
        --limit 3000 --epochs 3 --threads 2

    /usr/bin/python3 bench/plain_loop.py --model resnet18 --limit 3000 --epochs 3 --threads 2

Needs Debian's python3-torch and dataset-fashion-mnist; SPLITFED_REFERENCE points at another copy
of reference_pytorch.py (default ../shared/bench/reference_pytorch.py).
"""
import argparse
import importlib.util
import os
import time

import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
path = os.environ.get("SPLITFED_REFERENCE", os.path.join(here, "..", "..", "shared", "bench", "reference_pytorch.py"))
spec = importlib.util.spec_from_file_location("reference_pytorch", path)
R = importlib.util.module_from_spec(spec)
spec.loader.exec_module(R)

p = argparse.ArgumentParser()
p.add_argument("--model", default="resnet18", choices=["resnet18", "lenet5"])
p.add_argument("--limit", type=int, default=3000)
p.add_argument("--epochs", type=int, default=3)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
args = p.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(1)
x, y = R.load(args.data, "train")
x, y = x[:args.limit], y[:args.limit]
client, server = R.split_model(args.model, 1)
model = nn.Sequential(client, server)
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(args.epochs):
    start = time.time()
    order = torch.randperm(len(x))
    for i in range(0, len(x), 64):
        idx = order[i:i + 64]
        opt.zero_grad()
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    print(f"{time.time() - start:.3f}")
