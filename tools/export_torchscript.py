#!/usr/bin/env python3
"""Export a PyTorch model as the TorchScript stages `splitfed --model torchscript:DIR` trains.

    python3 tools/export_torchscript.py my_model.py make_model OUT_DIR [--input-shape 1,28,28] [--trace]

MODEL_FILE is a Python file; FUNCTION is the name of a function in it that takes no arguments and
returns the model as an `nn.Sequential` (each child is one stage) or as a list of stage modules.
Consecutive stages feed each other; the last gives the logits. splitfed cuts between stages at run
time (`--cut N`: the client holds stages 0 .. N-1), so make a stage of every group of layers you may
want to cut after. The weights in the files are where training starts: your initialisation, or
pretrained weights for transfer learning.

Each stage is written to OUT_DIR/stageK.pt, compiled with torch.jit.script (or, with --trace or when
scripting fails, torch.jit.trace on an input of --input-shape) and wrapped in a module that also
answers three methods splitfed calls:

  splitfed_buffers()       the stage's running statistics (BatchNorm's running mean and variance),
                           which travel and are averaged with the weights; the tensors themselves,
                           so that splitfed reads and writes them in place
  splitfed_buffer_names()  their names, in the same order
  splitfed_norm_names()    the names of the batch-normalisation layers' scale and shift parameters,
                           which `--local-bn` keeps on each client

Stages are exported in eval mode, so tracing does not move the running statistics. With
--input-shape (one sample, without the batch dimension) the script also runs every stage once and
prints each stage's output shape and parameter count.

Needs only PyTorch (any version splitfed's engine reads: the files written by torch 1.13 load in
splitfed's PyTorch 2.7). Runs with the user's own Python.
"""
import argparse
import importlib.util
import os
import sys
import tempfile

import torch
from torch import nn

WRAPPER = '''import torch
from torch import nn
from typing import List


class SplitfedStage(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x)

    @torch.jit.export
    def splitfed_buffers(self) -> List[torch.Tensor]:
        return torch.jit.annotate(List[torch.Tensor], [{buffers}])

    @torch.jit.export
    def splitfed_buffer_names(self) -> List[str]:
        return torch.jit.annotate(List[str], [{buffer_names}])

    @torch.jit.export
    def splitfed_norm_names(self) -> List[str]:
        return torch.jit.annotate(List[str], [{norm_names}])
'''

NORMS = (nn.modules.batchnorm._BatchNorm,)


def load_function(path, name):
    spec = importlib.util.spec_from_file_location("splitfed_user_model", path)
    if spec is None:
        sys.exit(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules["splitfed_user_model"] = module
    spec.loader.exec_module(module)
    if not hasattr(module, name):
        sys.exit(f"{path} has no function {name}")
    return getattr(module, name)


def stages_of(model):
    if isinstance(model, nn.Sequential):
        return list(model.children())
    if isinstance(model, (list, tuple)) and all(isinstance(m, nn.Module) for m in model):
        return list(model)
    sys.exit("the function must return an nn.Sequential or a list of nn.Module stages, not "
             + type(model).__name__)


def attribute_path(name):
    """`layer1.0.bn1.running_mean` as a TorchScript expression on the wrapper."""
    expr = "self.inner"
    for part in name.split("."):
        expr = f'getattr({expr}, "{part}")'
    return expr


def wrapper_class(stage, workdir, index):
    """Writes a wrapper whose methods name this stage's buffers and normalisation parameters."""
    buffers = [n for n, _ in stage.named_buffers() if not n.endswith("num_batches_tracked")]
    norms = []
    for prefix, module in stage.named_modules():
        if isinstance(module, NORMS):
            for pname, _ in module.named_parameters(recurse=False):
                norms.append("inner." + (prefix + "." if prefix else "") + pname)
    source = WRAPPER.format(
        buffers=", ".join(attribute_path(n) for n in buffers),
        buffer_names=", ".join(repr("inner." + n) for n in buffers),
        norm_names=", ".join(repr(n) for n in norms))
    path = os.path.join(workdir, f"splitfed_stage_{index}.py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location(f"splitfed_stage_{index}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SplitfedStage


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_file", help="a Python file defining the model")
    ap.add_argument("function", help="a function in it returning an nn.Sequential or a list of stages")
    ap.add_argument("out_dir", help="where stage0.pt, stage1.pt, ... are written")
    ap.add_argument("--input-shape", help="one sample's shape, e.g. 1,28,28; needed by --trace")
    ap.add_argument("--trace", action="store_true", help="trace every stage instead of scripting it")
    args = ap.parse_args()

    stages = stages_of(load_function(args.model_file, args.function)())
    if len(stages) < 2:
        sys.exit(f"the model has {len(stages)} stage; splitfed needs at least 2 to cut between")
    example = None
    if args.input_shape:
        example = torch.zeros((2,) + tuple(int(d) for d in args.input_shape.split(",")))
    elif args.trace:
        sys.exit("--trace needs --input-shape")

    os.makedirs(args.out_dir, exist_ok=True)
    for old in os.listdir(args.out_dir):
        if old.startswith("stage") and old.endswith(".pt"):
            os.remove(os.path.join(args.out_dir, old))
    workdir = tempfile.mkdtemp(prefix="splitfed-export-")
    for i, stage in enumerate(stages):
        stage.eval()
        compiled = None
        if not args.trace:
            try:
                compiled = torch.jit.script(stage)
            except Exception as e:  # noqa: BLE001 -- any scripting failure falls back to tracing
                if example is None:
                    sys.exit(f"stage {i} cannot be scripted ({str(e).splitlines()[0]}); "
                             "pass --input-shape to trace it instead")
                print(f"stage {i}: scripting failed, tracing instead", file=sys.stderr)
        if compiled is None:
            with torch.no_grad():
                compiled = torch.jit.trace(stage, example)
        wrapped = torch.jit.script(wrapper_class(stage, workdir, i)(compiled))
        path = os.path.join(args.out_dir, f"stage{i}.pt")
        wrapped.save(path)
        params = sum(p.numel() for p in stage.parameters())
        line = f"{path}: {params} parameters"
        if example is not None:
            with torch.no_grad():
                example = stage(example)
            line += f", output {tuple(example.shape[1:])}"
        print(line)


if __name__ == "__main__":
    main()
