"""Full-size MIQA models with random weights, and an end-to-end PyTorch oracle.

Write a checkpoint in the original layout (miqa_<model>_<task>_<label>_metric.pth.tar):
    python3 tools/oracle/full_models.py make --model resnet18 --seed 0 --out /tmp/ckpts \
        [--task cls] [--label composite]
Print a model's config JSON:
    python3 tools/oracle/full_models.py config --model ra_miqa
Score images the way the original evaluation does:
    python3 tools/oracle/full_models.py run --model resnet18 --weights FILE IMAGE...
  -> prints {"<image path>": score, ...}

Model names: resnet18 resnet50 efficientnet_b1 efficientnet_b5 vit_small_patch16_224 (alias
vit_small) ra_miqa efficientnet_lite0 efficientnet_lite1 efficientnet_lite2. For the lite models
`run` prints the 1000 logits' argmax and softmax max instead of a score (they are classifiers);
their preprocessing is the TF-Lite one (see README).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import (IMAGENET_MEAN, IMAGENET_STD, calibrate_bn, center_crop, load_checkpoint,  # noqa: E402
                    resize_shorter, save_checkpoint, to_tensor)
from models import FULL_CONFIGS, build_model, randomize  # noqa: E402

CNN = {"resnet18", "resnet50", "efficientnet_b1", "efficientnet_b5"}


def canonical(name):
    return "vit_small_patch16_224" if name == "vit_small" else name


def natural_like_batch(n, size, g):
    """Seeded random images with a roughly 1/f spectrum (sum of upsampled noise octaves), in
    normalised units (about zero mean, unit std) -- closer to real photos than white noise."""
    import torch.nn.functional as F
    x = torch.zeros((n, 3, size, size))
    k = 4
    while k <= size:
        octave = torch.randn((n, 3, k, k), generator=g)
        x += F.interpolate(octave, size=(size, size), mode="bilinear", align_corners=False) * (size / k) ** 0.5
        k *= 2
    x += torch.randn((n, 3, size, size), generator=g) * 0.3
    return (x - x.mean()) / x.std()


def calibration_batch(name, size, g):
    """Real photos from scikit-image's bundled data (astronaut, chelsea, rocket,
    immunohistochemistry; NOT coffee, which is kept for checks), preprocessed like the model's
    input, plus two random 1/f images. Falls back to 1/f images only if skimage is missing."""
    views = []
    try:
        import skimage.data as skd
        from PIL import Image
        for fn in ("astronaut", "chelsea", "rocket", "immunohistochemistry"):
            img = Image.fromarray(getattr(skd, fn)()).convert("RGB")
            v = preprocess(img, name)[0]
            if v.shape[-1] != size:
                v = torch.nn.functional.interpolate(v[None], size=(size, size), mode="bilinear",
                                                    align_corners=False)[0]
            views.append(v)
    except ImportError:
        pass
    x = natural_like_batch(2 if views else 4, size, g)
    return torch.cat([torch.stack(views), x]) if views else x


def build_random(name, seed):
    """Full-size model with seeded random weights. CNNs get their BN running statistics set from
    the real activation statistics on a calibration batch of real photos + random 1/f images (plus seeded jitter), so the deep random
    networks keep O(1) activations and scores."""
    name = canonical(name)
    cfg = FULL_CONFIGS[name]
    model = randomize(build_model(cfg), seed)
    if cfg["architecture"] in ("resnet", "efficientnet", "efficientnet_lite"):
        g = torch.Generator().manual_seed(seed + 7)
        s = cfg.get("image_size") or 224
        x = calibration_batch(name, s, g)
        calibrate_bn(model, x, jitter_seed=seed + 8)
    return model.eval()


def checkpoint_name(model, task, label):
    return f"miqa_{model}_{task}_{label}_metric.pth.tar"


def make(name, seed, out, task="cls", label="composite"):
    os.makedirs(out, exist_ok=True)
    with torch.no_grad():
        model = build_random(name, seed)
    path = os.path.join(out, checkpoint_name(name, task, label))
    save_checkpoint(model, path)
    return path


def preprocess(img, name):
    """Original eval transforms: RGB -> Resize(288) -> CenterCrop(224) -> ToTensor -> Normalize.
    Returns the main view, and for ra_miqa also the region view (Resize(288) -> CenterCrop(288),
    ImageNet mean/std)."""
    name = canonical(name)
    img = img.convert("RGB")
    r = resize_shorter(img, 288)
    main = center_crop(r, 224)
    if name.startswith("efficientnet_lite"):
        # not an MIQA predictor: TF-Lite convention, shorter side 256 -> crop 224 -> (p-127)/128
        c = center_crop(resize_shorter(img, 256), 224)
        a = np.asarray(c, dtype=np.float32)
        return [torch.from_numpy((a - 127.0) / 128.0).permute(2, 0, 1).contiguous()]
    if name in CNN:
        return [to_tensor(main, IMAGENET_MEAN, IMAGENET_STD)]
    x = to_tensor(main, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
    if name == "ra_miqa":
        return [x, to_tensor(center_crop(r, 288), IMAGENET_MEAN, IMAGENET_STD)]
    return [x]


@torch.no_grad()
def run(name, weights, images):
    from PIL import Image
    model = build_model(FULL_CONFIGS[canonical(name)])
    load_checkpoint(model, weights)
    model.eval()
    out = {}
    for p in images:
        with Image.open(p) as im:
            views = [v[None] for v in preprocess(im, name)]
        y = model(*views)
        if canonical(name).startswith("efficientnet_lite"):
            pr = y.softmax(-1)[0]
            out[p] = {"class": int(pr.argmax()), "prob": float(pr.max())}
        else:
            out[p] = float(y.reshape(-1)[0])
    return out


def main():
    torch.set_num_threads(2)
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("make")
    a.add_argument("--model", required=True)
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--out", required=True)
    a.add_argument("--task", default="cls")
    a.add_argument("--label", default="composite")
    c = sub.add_parser("config")
    c.add_argument("--model", required=True)
    r = sub.add_parser("run")
    r.add_argument("--model", required=True)
    r.add_argument("--weights", required=True)
    r.add_argument("images", nargs="+")
    args = ap.parse_args()
    if args.cmd == "make":
        print(make(args.model, args.seed, args.out, args.task, args.label))
    elif args.cmd == "config":
        print(json.dumps(FULL_CONFIGS[canonical(args.model)]))
    else:
        print(json.dumps(run(args.model, args.weights, args.images)))


if __name__ == "__main__":
    main()
