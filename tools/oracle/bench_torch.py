"""Time full-size forward passes in PyTorch (CPU) for comparison with the Swift engine.

    python3 tools/oracle/bench_torch.py --model resnet50 --batch 8 --threads 2 --iters 10
prints one JSON line {model, batch, threads, images_per_s, ms_per_image, median_ms}
(median_ms = median wall time of one batch forward).
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from full_models import build_random, canonical  # noqa: E402
from models import FULL_CONFIGS  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    name = canonical(a.model)
    cfg = FULL_CONFIGS[name]
    with torch.no_grad():
        model = build_random(name, 0)
    g = torch.Generator().manual_seed(1)
    s = cfg.get("image_size") or 224
    x = torch.randn((a.batch, 3, s, s), generator=g)
    args = [x]
    if cfg["architecture"] == "ra_miqa":
        r = cfg["region"]["image_size"]
        args.append(torch.randn((a.batch, 3, r, r), generator=g))
    times = []
    with torch.inference_mode():
        for _ in range(a.warmup):
            model(*args)
        for _ in range(a.iters):
            t0 = time.perf_counter()
            model(*args)
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(json.dumps({"model": a.model, "batch": a.batch, "threads": a.threads,
                      "images_per_s": round(a.batch / med, 3), "ms_per_image": round(1000 * med / a.batch, 3),
                      "median_ms": round(1000 * med, 3),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))


if __name__ == "__main__":
    main()
