"""Runs one ONNX model in ONNX Runtime and in `miqa onnx run` on the same input and reports the
largest difference per output (the parity check of imported machines, e.g. u2netp).

    .build/oracle-venv/bin/python3 tools/onnx/check_model.py MODEL.onnx [--image PHOTO] [--size 320]
        [--mean 0.485,0.456,0.406 --std 0.229,0.224,0.225] [--miqa .build/release/miqa]

With --image the input is that photo resized (Pillow, bilinear) to the model's input size and
normalised as rembg does for u2netp (divided by its maximum, then mean/std); without, a seeded
normal tensor. Exit status 1 when any output differs by more than --tolerance (1e-4).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image
from safetensors.numpy import load_file, save_file


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--image")
    ap.add_argument("--mean", default="0.485,0.456,0.406")
    ap.add_argument("--std", default="0.229,0.224,0.225")
    ap.add_argument("--miqa", default=".build/release/miqa")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ort-optimize", action="store_true", help="let ONNX Runtime fuse the graph (default: run it as written)")
    a = ap.parse_args()
    model = onnx.load(a.model)
    inits = {i.name for i in model.graph.initializer}
    graph_inputs = [i for i in model.graph.input if i.name not in inits]
    feed = {}
    for i in graph_inputs:
        shape = [d.dim_value if d.dim_value > 0 else 1 for d in i.type.tensor_type.shape.dim]
        if a.image and len(shape) == 4 and shape[1] == 3:
            img = Image.open(a.image).convert("RGB").resize((shape[3], shape[2]), Image.BILINEAR)
            x = np.asarray(img).astype(np.float32)
            x = x / max(float(x.max()), 1e-6)
            mean = np.array([float(v) for v in a.mean.split(",")], np.float32)
            std = np.array([float(v) for v in a.std.split(",")], np.float32)
            x = ((x - mean) / std).transpose(2, 0, 1)[None].astype(np.float32)
        else:
            x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
        feed[i.name] = np.ascontiguousarray(x)
    options = ort.SessionOptions()
    options.intra_op_num_threads = a.threads
    if not a.ort_optimize:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(a.model, options, providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    expected = dict(zip(names, session.run(names, feed)))
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = os.path.join(tmp, "in.safetensors"), os.path.join(tmp, "out.safetensors")
        save_file(feed, inp)
        subprocess.run([a.miqa, "onnx", "run", a.model, "--inputs", inp, "--out", out, "--threads", str(a.threads)], check=True)
        got = load_file(out)
    worst = 0.0
    for name in names:
        if got[name].shape != expected[name].shape:
            print(f"{name}: shape {got[name].shape} != onnxruntime {expected[name].shape}")
            worst = float("inf")
            continue
        diff = float(np.abs(got[name] - expected[name]).max())
        worst = max(worst, diff)
        print(f"{name}: shape {list(expected[name].shape)}, max |miqa - onnxruntime| = {diff:.3g} "
              f"(values {float(expected[name].min()):.3g}..{float(expected[name].max()):.3g})")
    print(f"{os.path.basename(a.model)}: worst {worst:.3g} (tolerance {a.tolerance})")
    sys.exit(0 if worst <= a.tolerance else 1)


if __name__ == "__main__":
    main()
