"""Training-step throughput, Swift vs PyTorch CPU, in one run (alternating, repeated, medians).

    python3 tools/training/bench_train.py [--miqa .build/release/miqa] [--models resnet18 vit_small_patch16_224]
                                          [--batch 32] [--threads 2] [--steps 3] [--repeats 3]

A step is forward (train mode: BatchNorm on batch statistics), MSE loss, backward and an AdamW
update, on a fixed random batch at 224x224 (fresh weights; no data loading). The Swift side is
`miqa train bench` (or any command given with --swift-cmd, formatted with {model} {batch}
{steps} {threads}, printing one JSON line with "step_seconds"). PyTorch runs the oracle models
of tools/oracle/models.py (same architectures) in its default NCHW layout with
torch.set_num_threads(threads). Reported: median images/s of each and the ratio Swift / PyTorch.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "oracle"))
from models import FULL_CONFIGS, build_model  # noqa: E402


def torch_steps(name, batch, steps, threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    cfg = dict(FULL_CONFIGS[name], num_outputs=1)
    model = build_model(cfg).train()
    views = [torch.randn(batch, 3, 224, 224)]
    if cfg["architecture"] == "ra_miqa":
        views.append(torch.randn(batch, 3, 288, 288))
        for p in model.mask_encoder.parameters():
            p.requires_grad_(False)
        model.mask_encoder.eval()
    target = torch.arange(batch, dtype=torch.float32).reshape(-1, 1) / batch
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-4)
    times = []
    for i in range(steps + 1):
        t0 = time.perf_counter()
        out = model(*views).reshape(batch, -1)
        loss = torch.nn.functional.mse_loss(out, target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if i > 0:
            times.append(time.perf_counter() - t0)
    return times


def swift_steps(cmd, name, batch, steps, threads):
    text = subprocess.run(cmd.format(model=name, batch=batch, steps=steps, threads=threads), shell=True, check=True,
                          capture_output=True, text=True).stdout
    line = [l for l in text.splitlines() if l.startswith("{")][-1]
    return json.loads(line)["step_seconds"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--miqa", default=os.path.join(REPO, ".build", "release", "miqa"))
    ap.add_argument("--swift-cmd", default=None)
    ap.add_argument("--models", nargs="*", default=["resnet18", "vit_small_patch16_224"])
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    cmd = a.swift_cmd or (a.miqa + " train bench --model {model} --batch-size {batch} --steps {steps} --threads {threads}")
    print(f"torch {torch.__version__}, batch {a.batch}, {a.threads} threads, {a.steps} timed steps x {a.repeats} repeats")
    for name in a.models:
        sw, pt = [], []
        for r in range(a.repeats):
            sw += swift_steps(cmd, name, a.batch, a.steps, a.threads)
            pt += torch_steps(name, a.batch, a.steps, a.threads)
            print(f"  {name} repeat {r + 1}: swift {a.batch / statistics.median(sw):.2f} img/s, "
                  f"torch {a.batch / statistics.median(pt):.2f} img/s (running medians)", flush=True)
        s, p = a.batch / statistics.median(sw), a.batch / statistics.median(pt)
        print(f"{name:24s} swift {s:7.2f} img/s   pytorch {p:7.2f} img/s   ratio {s / p:.2f}")


if __name__ == "__main__":
    main()
