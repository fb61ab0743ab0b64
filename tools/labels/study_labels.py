#!/usr/bin/env python3
"""Which classification label should a quality predictor learn? Compares candidate label
definitions by how well a predictor trained on each finds the images on which real machines
fail, on held-out photos (docs/labels.md, "Choosing the label").

For every distorted image d of a reference r and each machine m (EfficientNet-Lite0/1/2,
PyTorch, the weights `miqa weights fetch` installed, each with its own preprocessing from its
model.json), with c = argmax p_m(r):
  raw       p_m(d)[c]                          (today's consistency label)
  ratio     min(1, p_m(d)[c] / p_m(r)[c])      (relative to the machine's own confidence on r)
  overlap   sum_k min(p_m(d)_k, p_m(r)_k)      (distribution overlap; 1 when d = r)
  agree     1[argmax p_m(d) = c]               (top-1 agreement)
  top5      1[c in top-5 of p_m(d)]
averaged over machines. Predictor: a ridge regression on frozen ImageNet EfficientNet-Lite0
features (the 1280-d pooled output; the default model's backbone), its strength chosen by
5-fold cross-validation grouped by reference on the training set only. A linear probe, not a
fine-tuned network: it ranks the definitions at a fraction of the cost, and the winner is then
used for the real training (tools/default_model/build.sh).

Judged on the held-out pairs by what a user sees, the same for every definition:
  gain70    top-1 agreement (mean over machines) on the 30% kept after dropping the 70%
            lowest-predicted, minus on all (the paper's filtering test at p = 0.7)
  srcc_raw  SRCC of the prediction with the mean raw consistency (the issue's yardstick)
  srcc_agr  SRCC with the mean top-1 agreement
  clean_pct median over references of the clean photo's percentile among its own distortions

    python3 tools/labels/study_labels.py --train-miqd ROOT --test-pairs PAIRS.csv --home MIQA_HOME \
        --cache DIR --out results.json
"""
import argparse
import csv
import hashlib
import json
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from common import center_crop, resize_shorter  # noqa: E402
from models import FULL_CONFIGS, build_model  # noqa: E402

MACHINES = ["efficientnet_lite0", "efficientnet_lite1", "efficientnet_lite2"]
DEFINITIONS = ["raw", "ratio", "overlap", "agree", "top5"]


def load_machine(home, name):
    from safetensors.torch import load_file
    folder = os.path.join(home, "models", name)
    card = json.load(open(os.path.join(folder, "model.json")))
    model = build_model(FULL_CONFIGS[name])
    model.load_state_dict(load_file(os.path.join(folder, "model.safetensors")), strict=True)
    return model.eval(), card["views"][0]


def prepare(img, view):
    crop = center_crop(resize_shorter(img, view["resize"]), view["crop"])
    a = np.asarray(crop, dtype=np.float32) / 255.0
    a = (a - np.array(view["mean"], np.float32)) / np.array(view["std"], np.float32)
    return torch.from_numpy(a).permute(2, 0, 1)


def outputs(paths, home, cache, batch=32):
    """Per image: softmax of each machine (float32 [n, 3, 1000]) and Lite0 features [n, 1280]."""
    key = os.path.join(cache, "outputs_" + hashlib.sha1("\n".join(paths).encode()).hexdigest()[:16] + ".npz")
    if os.path.exists(key):
        z = np.load(key)
        return z["probs"], z["features"]
    torch.set_num_threads(2)
    probs = np.zeros((len(paths), len(MACHINES), 1000), np.float32)
    features = np.zeros((len(paths), 1280), np.float32)
    for m, name in enumerate(MACHINES):
        model, view = load_machine(home, name)
        pooled = {}
        if m == 0:
            model._fc.register_forward_hook(lambda mod, inp, out: pooled.__setitem__("x", inp[0]))
        for s in range(0, len(paths), batch):
            x = torch.stack([prepare(Image.open(p).convert("RGB"), view) for p in paths[s:s + batch]])
            with torch.no_grad():
                logits = model(x).double()
            probs[s:s + batch, m] = torch.softmax(logits, -1).numpy()
            if m == 0:
                features[s:s + batch] = pooled["x"].numpy()
            print(f"\r{name}: {min(len(paths), s + batch)}/{len(paths)}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    os.makedirs(cache, exist_ok=True)
    np.savez(key, probs=probs, features=features)
    return probs, features


def labels(p_d, p_r):
    """p_d, p_r: [n, machines, classes] -> {definition: [n]} averaged over machines."""
    c = p_r.argmax(-1)                                   # [n, M]
    pick = np.take_along_axis(p_d, c[..., None], -1)[..., 0]
    own = np.take_along_axis(p_r, c[..., None], -1)[..., 0]
    top5 = np.argsort(-p_d, -1)[..., :5]
    out = {
        "raw": pick,
        "ratio": np.minimum(1.0, pick / own),
        "overlap": np.minimum(p_d, p_r).sum(-1),
        "agree": (p_d.argmax(-1) == c).astype(np.float64),
        "top5": (top5 == c[..., None]).any(-1).astype(np.float64),
    }
    return {k: v.mean(-1) for k, v in out.items()}, (p_d.argmax(-1) == c).astype(np.float64)


def ridge_fit(x, y, alpha):
    mu, sd = x.mean(0), x.std(0) + 1e-6
    z = (x - mu) / sd
    ym = y.mean()
    w = np.linalg.solve(z.T @ z + alpha * np.eye(z.shape[1]), z.T @ (y - ym))
    return lambda q: ((q - mu) / sd) @ w + ym


def spearman(a, b):
    from scipy.stats import spearmanr
    return float(spearmanr(a, b).statistic)


def choose_alpha(x, y, groups, alphas=(1, 10, 100, 1000, 10000)):
    ids = np.unique(groups)
    rng = np.random.default_rng(0)
    folds = np.array_split(rng.permutation(ids), 5)
    best = None
    for a in alphas:
        score = np.mean([spearman(ridge_fit(x[~np.isin(groups, f)], y[~np.isin(groups, f)], a)(x[np.isin(groups, f)]),
                                  y[np.isin(groups, f)]) for f in folds])
        if best is None or score > best[1]:
            best = (a, score)
    return best


def kept_mean(key, outcome, p):
    order = np.argsort(key, kind="stable")
    k = int(np.floor(p * len(key) + 1e-9))
    return float(outcome[order[k:]].mean())


def bootstrap(predictions, te, n, seed=0):
    """95% intervals of gain70 and srcc_raw per definition, and of each definition's difference to
    the best one, resampling whole test references with replacement (the unit that varies)."""
    rng = np.random.default_rng(seed)
    groups = np.unique(te["groups"])
    members = [np.flatnonzero(te["groups"] == g) for g in groups]
    draws = {d: {"gain70": [], "srcc_raw": []} for d in predictions}
    for _ in range(n):
        idx = np.concatenate([members[i] for i in rng.integers(0, len(groups), len(groups))])
        agree, raw = te["agree"][idx], te["labels"]["raw"][idx]
        for d, pred in predictions.items():
            draws[d]["gain70"].append(kept_mean(pred[idx], agree, 0.7) - agree.mean())
            draws[d]["srcc_raw"].append(spearman(pred[idx], raw))
    out = {}
    best = max(predictions, key=lambda d: np.mean(draws[d]["gain70"]))
    for d in predictions:
        out[d] = {}
        for m in ("gain70", "srcc_raw"):
            v = np.array(draws[d][m])
            diff = v - np.array(draws[best][m])
            out[d][m] = [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
            out[d][m + "_minus_" + best] = [float(np.percentile(diff, 2.5)), float(np.percentile(diff, 97.5))]
    return out


def read_miqd(root):
    pairs = []
    for ref in sorted(os.listdir(os.path.join(root, "images"))):
        folder = os.path.join(root, "images", ref)
        if not os.path.exists(os.path.join(folder, ".complete")):
            continue
        src = [f for f in os.listdir(os.path.join(root, "src_images")) if os.path.splitext(f)[0] == ref][0]
        with open(os.path.join(folder, f"{ref}_iqa_scores.csv"), newline="") as f:
            for row in csv.DictReader(f):
                pairs.append((os.path.join(root, "images", row["dist_images"]), os.path.join(root, "src_images", src), ref,
                              (int(row["fg_level"]) + int(row["bg_level"])) / 2))
    return pairs


def read_pairs(path):
    base = os.path.dirname(os.path.abspath(path))
    with open(path, newline="") as f:
        return [(os.path.join(base, r["image"]), os.path.join(base, r["reference"]), r["reference"], float(r["severity"]))
                for r in csv.DictReader(f)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-miqd", required=True, action="append", help="MIQD root (repeat for several)")
    ap.add_argument("--test-pairs", required=True)
    ap.add_argument("--home", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--train-every", type=int, default=1, help="use every k-th training image (compute budget)")
    ap.add_argument("--test-every", type=int, default=1, help="use every k-th test image")
    ap.add_argument("--bootstrap", type=int, default=1000, help="resamples of the test references for intervals")
    args = ap.parse_args()
    # Machine outputs are cached per database (and per reference list), so adding a database
    # to the training side does not recompute the others.
    train_parts = [read_miqd(root)[::args.train_every] for root in args.train_miqd]
    train = [p for part in train_parts for p in part]
    test = read_pairs(args.test_pairs)[::args.test_every]
    sets = {}
    for name, parts in [("train", train_parts), ("test", [test])]:
        pairs = [p for part in parts for p in part]
        refs = sorted({p[1] for p in pairs})
        chunks = [outputs([p[0] for p in part], args.home, args.cache) for part in parts]
        chunks.append(outputs(refs, args.home, args.cache))
        probs = np.concatenate([c[0] for c in chunks])
        feats = np.concatenate([c[1] for c in chunks])
        ref_index = {r: len(pairs) + i for i, r in enumerate(refs)}
        ri = np.array([ref_index[p[1]] for p in pairs])
        lab, agree = labels(probs[:len(pairs)].astype(np.float64), probs[ri].astype(np.float64))
        sets[name] = dict(x=feats[:len(pairs)], xr=feats[ri], labels=lab, agree=agree.mean(-1), groups=np.array([p[2] for p in pairs]),
                          severity=np.array([p[3] for p in pairs]))
    tr, te = sets["train"], sets["test"]
    results = {"train_images": len(train), "train_references": len(set(tr["groups"])), "test_images": len(test),
               "test_references": len(set(te["groups"])), "definitions": {}}
    base = te["agree"].mean()
    results["baselines"] = {"gain70_severity": kept_mean(-te["severity"], te["agree"], 0.7) - base,
                            "srcc_raw_severity": spearman(-te["severity"], te["labels"]["raw"]),
                            "test_agreement_all": float(base)}
    predictions = {}
    for d in DEFINITIONS:
        alpha, cv = choose_alpha(tr["x"], tr["labels"][d], tr["groups"])
        f = ridge_fit(tr["x"], tr["labels"][d], alpha)
        pred, clean = f(te["x"]), f(te["xr"])
        predictions[d] = pred
        pct = []
        for g in np.unique(te["groups"]):
            m = te["groups"] == g
            pct.append(((pred[m] < clean[m][0]).sum() + 0.5 * (pred[m] == clean[m][0]).sum()) / m.sum())
        results["definitions"][d] = {
            "alpha": alpha, "cv_srcc": cv,
            "train_label_mean": float(tr["labels"][d].mean()),
            "gain70": kept_mean(pred, te["agree"], 0.7) - base,
            "gain50": kept_mean(pred, te["agree"], 0.5) - base,
            "srcc_raw": spearman(pred, te["labels"]["raw"]),
            "srcc_agr": spearman(pred, te["agree"]),
            "clean_pct": float(np.median(pct)),
        }
        print(d, json.dumps(results["definitions"][d]), file=sys.stderr)
    results["bootstrap"] = bootstrap(predictions, te, args.bootstrap)
    json.dump(results, open(args.out, "w"), indent=1)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
