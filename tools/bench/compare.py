"""Side-by-side forward-pass benchmark: `miqa bench` against PyTorch CPU (eager, inference_mode)
on the same architecture, batch and thread count, in one run. The two are alternated and
repeated (the 2-core machine is noisy); medians of the per-run medians and their ratio are
reported as a Markdown table for docs/benchmarks.md.

    python3 tools/bench/compare.py --miqa .build/release/miqa --models resnet50,vit_small_patch16_224,ra_miqa \
        --batches 1,16 --threads 2 --repeats 3 --iters 10
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_BENCH = os.path.join(HERE, "..", "oracle", "bench_torch.py")


def run_json(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {out.stderr.strip()[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--miqa", default=".build/release/miqa")
    ap.add_argument("--models", default="resnet50,vit_small_patch16_224,ra_miqa")
    ap.add_argument("--batches", default="1,16")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    a = ap.parse_args()
    rows = []
    for model in a.models.split(","):
        for batch in map(int, a.batches.split(",")):
            ours, theirs, mem_ours, mem_theirs = [], [], [], []
            iters = max(3, a.iters // batch) if batch > 1 else a.iters
            for _ in range(a.repeats):
                m = run_json([a.miqa, "bench", "--model", model, "--batch", str(batch), "--threads", str(a.threads),
                              "--iters", str(iters), "--json"])
                t = run_json([sys.executable, TORCH_BENCH, "--model", model, "--batch", str(batch), "--threads",
                              str(a.threads), "--iters", str(iters)])
                ours.append(m["images_per_s"]); theirs.append(t["images_per_s"])
                mem_ours.append(m["peak_rss_mb"]); mem_theirs.append(t.get("peak_rss_mb", 0))
            o, p = statistics.median(ours), statistics.median(theirs)
            rows.append((model, batch, o, p, o / p, max(mem_ours), max(mem_theirs)))
            print(f"{model} batch {batch}: miqa {o:.2f} img/s, torch {p:.2f} img/s, ratio {o / p:.2f} "
                  f"(runs: miqa {ours}, torch {theirs})", file=sys.stderr, flush=True)
    print(f"| model | batch | threads | miqa img/s | PyTorch img/s | ratio | miqa peak RSS MB | PyTorch peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for model, batch, o, p, r, mo, mp in rows:
        print(f"| {model} | {batch} | {a.threads} | {o:.2f} | {p:.2f} | {r:.2f}x | {mo:.0f} | {mp:.0f} |")


if __name__ == "__main__":
    main()
