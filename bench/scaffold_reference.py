#!/usr/bin/env python3
"""SCAFFOLD against FedAvg in plain PyTorch, an independent check of splitfed's --scaffold.

LeNet-5 (the reference's ClientPart + ServerPart), full Fashion-MNIST, clients from a Dirichlet
label partition (Hsu et al. 2019: each class split over the clients in Dirichlet(alpha)
proportions), one local epoch of plain SGD per round, batch 64. FedAvg averages by sample count;
SCAFFOLD is Karimireddy et al. 2020, Algorithm 1 with option II and global step 1: local steps on
g - c_i + c, c_i+ = c_i - c + (x - y_i) / (K_i lr), x and c moved by the plain mean over the
clients. Both start from the same weights and draw the same batches. Prints one JSON line per
round and algorithm.

    /usr/bin/python3 bench/scaffold_reference.py [--alpha 0.1] [--clients 10] [--rounds 5] [--lr 0.05]

Needs Debian's python3-torch and dataset-fashion-mnist; SPLITFED_REFERENCE points at another copy
of reference_pytorch.py (default ../shared/bench/reference_pytorch.py).
"""
import argparse, copy, importlib.util, json, os, sys
import numpy as np
import torch
import torch.nn as nn

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ref_path = os.environ.get("SPLITFED_REFERENCE", os.path.join(root, "..", "shared", "bench", "reference_pytorch.py"))
spec = importlib.util.spec_from_file_location("reference_pytorch", ref_path)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)


def dirichlet_partition(labels, clients, alpha, rng):
    parts = [[] for _ in range(clients)]
    for cls in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == cls))
        cuts = (np.cumsum(rng.dirichlet([alpha] * clients)) * len(idx)).astype(int)[:-1]
        for k, chunk in enumerate(np.split(idx, cuts)):
            parts[k].extend(chunk.tolist())
    return [np.array(sorted(p)) for p in parts if len(p) > 0]


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        correct = sum((model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item() for i in range(0, len(x), 1000))
    model.train()
    return correct / len(x)


def local_epoch(model, x, y, lr, batch, gen, correction=None):
    """One epoch of plain SGD; with SCAFFOLD each gradient gets correction (c - c_i) added."""
    ce = nn.CrossEntropyLoss()
    steps = 0
    perm = torch.randperm(len(x), generator=gen)
    for i in range(0, len(x), batch):
        j = perm[i:i + batch]
        model.zero_grad()
        ce(model(x[j]), y[j]).backward()
        with torch.no_grad():
            for k, p in enumerate(model.parameters()):
                g = p.grad if correction is None else p.grad + correction[k]
                p -= lr * g
        steps += 1
    return steps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--alpha", type=float, default=0.1)
    ap.add_argument("--clients", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    data_dir = next((d for d in ref.DATA_DIRS if os.path.isdir(d)), None)
    if not data_dir:
        sys.exit("Fashion-MNIST not found: install dataset-fashion-mnist")
    xtr, ytr = ref.load(data_dir, "train")
    xte, yte = ref.load(data_dir, "test")
    shards = dirichlet_partition(ytr.numpy(), args.clients, args.alpha, np.random.default_rng(args.seed))
    sizes = [len(s) for s in shards]
    steps = [-(-n // args.batch) for n in sizes]
    print(json.dumps({"clients": len(shards), "samples": sizes, "local_steps": steps}), flush=True)
    start = nn.Sequential(ref.ClientPart(), ref.ServerPart())

    for algo in ("fedavg", "scaffold"):
        gen = torch.Generator().manual_seed(args.seed)
        x = copy.deepcopy(start)
        c = [torch.zeros_like(p) for p in x.parameters()]
        ci = [[torch.zeros_like(p) for p in x.parameters()] for _ in shards]
        for rnd in range(1, args.rounds + 1):
            trained, deltas_c = [], []
            for k, idx in enumerate(shards):
                y_i = copy.deepcopy(x)
                corr = None if algo == "fedavg" else [cc - cik for cc, cik in zip(c, ci[k])]
                K = local_epoch(y_i, xtr[idx], ytr[idx], args.lr, args.batch, gen, corr)
                trained.append(y_i)
                if algo == "scaffold":
                    new_ci = [cik - cc + (px.detach() - py.detach()) / (K * args.lr)
                              for cik, cc, px, py in zip(ci[k], c, x.parameters(), y_i.parameters())]
                    deltas_c.append([n - o for n, o in zip(new_ci, ci[k])])
                    ci[k] = new_ci
            with torch.no_grad():
                if algo == "fedavg":
                    w = [n / sum(sizes) for n in sizes]
                else:
                    w = [1 / len(shards)] * len(shards)
                for p, column in zip(x.parameters(), zip(*(m.parameters() for m in trained))):
                    p.copy_(sum(wk * q for wk, q in zip(w, column)))
                if algo == "scaffold":
                    # |S| = N: c moves by the plain mean of the clients' changes.
                    c = [cc + sum(d[j] for d in deltas_c) / len(shards) for j, cc in enumerate(c)]
            print(json.dumps({"algorithm": algo, "round": rnd, "test_accuracy": round(accuracy(x, xte, yte), 4)}),
                  flush=True)


if __name__ == "__main__":
    main()
