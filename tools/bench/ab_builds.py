#!/usr/bin/env python3
"""Two builds of `miqa` side by side in one run: `miqa bench` (forward pass) and `miqa train bench`
(training steps) on each, alternating A and B for every round so that load drifts hit both.

    python3 tools/bench/ab_builds.py --a OLD/miqa --b NEW/miqa [--rounds 3] [--threads 2]
        [--forward resnet50:1,vit_small_patch16_224:16] [--training resnet18:8] [--iters 10]

Prints one markdown table row per benchmark: the median images/s of each build over the rounds,
the B/A ratio, and every round's figure (so the spread is visible). Standard library only.
"""
import argparse
import json
import statistics
import subprocess

FORWARD = [(m, b) for m in ["resnet18", "resnet50", "efficientnet_b1", "efficientnet_b5", "vit_small_patch16_224",
                            "ra_miqa", "efficientnet_lite0", "mobilenet_v2"] for b in (1, 16)]
TRAINING = [("resnet18", 8), ("efficientnet_lite0", 8), ("vit_small_patch16_224", 4), ("ra_miqa", 2)]


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


ITERS = {}


def forward(binary, model, batch, threads):
    iters = ITERS.get(batch) or (10 if batch == 1 else 4)
    r = run([binary, "bench", "--model", model, "--batch", str(batch), "--iters", str(iters), "--warmup", "2",
             "--threads", str(threads), "--json"])
    return r["images_per_s"]


def training(binary, model, batch, threads):
    r = run([binary, "train", "bench", "--model", model, "--batch-size", str(batch), "--steps", "3", "--threads", str(threads)])
    return r["median_images_per_second"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True, help="the reference build's miqa binary")
    ap.add_argument("--b", required=True, help="the build under test")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--forward", help="model:batch,... for `miqa bench` (default: eight models at batch 1 and 16; 'none' for none)")
    ap.add_argument("--training", help="model:batch,... for `miqa train bench` (default: four models; 'none' for none)")
    ap.add_argument("--iters", type=int, help="timed iterations per `miqa bench` run (default: 10 at batch 1, 4 above)")
    args = ap.parse_args()
    if args.iters:
        ITERS.update({b: args.iters for b in range(1, 4097)})

    def pairs(text, default):
        if text is None:
            return default
        if text == "none":
            return []
        return [(m, int(b)) for m, b in (item.split(":") for item in text.split(","))]

    jobs = [("bench", m, b, forward) for m, b in pairs(args.forward, FORWARD)]
    jobs += [("train bench", m, b, training) for m, b in pairs(args.training, TRAINING)]
    print("| command | model | batch | A images/s | B images/s | B/A | rounds A | rounds B |")
    print("|---|---|---|---|---|---|---|---|")
    for name, model, batch, fn in jobs:
        a, b = [], []
        for i in range(args.rounds):
            # Alternate which build goes first, so neither always runs on a warmer cache.
            order = [(args.a, a), (args.b, b)] if i % 2 == 0 else [(args.b, b), (args.a, a)]
            for binary, sink in order:
                sink.append(fn(binary, model, batch, args.threads))
        ma, mb = statistics.median(a), statistics.median(b)
        fmt = lambda xs: " / ".join(f"{x:.3g}" for x in xs)
        print(f"| {name} | {model} | {batch} | {ma:.3g} | {mb:.3g} | {mb / ma:.3f} | {fmt(a)} | {fmt(b)} |", flush=True)


if __name__ == "__main__":
    main()
