"""MTCNN parity: facenet-pytorch 2.6.0 (`MTCNN(keep_all=True, device='cpu').detect`, its defaults) against
`miqa detect --model mtcnn --json` on real photos with faces, with the same weights (the three .pt
files `miqa weights fetch mtcnn` installs, from the same wheel).

    pip download facenet-pytorch==2.6.0 --no-deps -d /tmp/fp && unzip -q /tmp/fp/facenet_pytorch-2.6.0-py3-none-any.whl -d /tmp/fp/unz
    swift build -c release --product miqa && .build/release/miqa weights fetch mtcnn
    python3 tools/oracle/check_mtcnn.py --facenet /tmp/fp/unz [--write-fixture]

Photos: Tests/MIQATests/Fixtures/mtcnn_photos/ (skimage's `camera`, a 4x3 mosaic of the first twelve
faces of skimage's `lfw_subset` upscaled to 80x80 each, and the astronaut JPEG of the MobileNetV2
fixture) and skimage's original `astronaut.png`. Both sides read the same files; each photo is
decoded by Pillow here and by the toolkit's decoder there (they agree on these files: the YOLOv3 and
MobileNetV2 fixtures rely on it too).

Checks: the same number of faces; faces matched greedily by IoU; every match IoU >= 0.99 and
probabilities within 1e-3. Prints the worst IoU and probability difference per photo. Photos given
as arguments are compared too (e.g. the distorted images of a generated database).
With --write-fixture, (re)creates the fixture photos and writes facenet-pytorch's answers to
mtcnn_photos/expected.json for MTCNNTests' real-weight test.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

import numpy as np
from PIL import Image

from facenet_reference import REPO, import_facenet

FIXTURE = os.path.join(REPO, "Tests/MIQATests/Fixtures/mtcnn_photos")
SKIMAGE = os.path.join(os.path.dirname(np.__file__), "..", "skimage", "data")
FIXTURE_PHOTOS = ["mtcnn_photos/camera.png", "mtcnn_photos/lfw_mosaic.png", "mobilenet_v2_photos/astronaut.jpg"]
PINNED = {"pnet": "a2a71925e0b9996a42f63e47efc1ca19043e69558b5c523b978d611dfae49c8f",
          "rnet": "bbb937de72efc9ef83b186c49f5f558467a1d7e3453a8ece0d71a886633f6a86",
          "onet": "165bfbe42940416ccfb977545cf0e976d5bf321f67083ae2aaaa5c764280118d"}


def make_photos():
    os.makedirs(FIXTURE, exist_ok=True)
    shutil.copyfile(os.path.join(SKIMAGE, "camera.png"), os.path.join(FIXTURE, "camera.png"))
    faces = np.load(os.path.join(SKIMAGE, "lfw_subset.npy"))
    mosaic = Image.new("L", (320, 240))
    for k in range(12):
        tile = Image.fromarray((faces[k] * 255).round().astype(np.uint8)).resize((80, 80), Image.BICUBIC)
        mosaic.paste(tile, ((k % 4) * 80, (k // 4) * 80))
    mosaic.convert("RGB").save(os.path.join(FIXTURE, "lfw_mosaic.png"))


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def reference(model, path):
    boxes, probs = model.detect(Image.open(path).convert("RGB"))
    if boxes is None:
        return []
    return [[float(v) for v in b] + [float(p)] for b, p in zip(boxes, probs)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--facenet", required=True, help="the unpacked facenet_pytorch-2.6.0 wheel")
    ap.add_argument("--miqa", default=os.path.join(REPO, ".build/release/miqa"))
    ap.add_argument("--write-fixture", action="store_true")
    ap.add_argument("extra", nargs="*", help="more photos to compare (not written to the fixture)")
    args = ap.parse_args()
    for name, digest in PINNED.items():
        with open(os.path.join(args.facenet, "facenet_pytorch/data/%s.pt" % name), "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != digest:
                sys.exit("%s.pt in %s is not facenet-pytorch 2.6.0's" % (name, args.facenet))
    mtcnn = import_facenet(args.facenet)
    model = mtcnn.MTCNN(keep_all=True, device="cpu")
    if args.write_fixture:
        make_photos()
    fixtures = os.path.join(REPO, "Tests/MIQATests/Fixtures")
    photos = [os.path.join(fixtures, p) for p in FIXTURE_PHOTOS] + [os.path.normpath(os.path.join(SKIMAGE, "astronaut.png"))] + [os.path.abspath(p) for p in args.extra]
    want = {p: reference(model, p) for p in photos}
    if args.write_fixture:
        out = {"package": "facenet-pytorch==2.6.0", "weights_sha256": PINNED,
               "photos": {os.path.relpath(p, fixtures): {"width": Image.open(p).width, "height": Image.open(p).height,
                                                         "faces": want[p]} for p in photos if p.startswith(fixtures)}}
        with open(os.path.join(FIXTURE, "expected.json"), "w") as f:
            json.dump(out, f, indent=1)
        print("wrote", os.path.join(FIXTURE, "expected.json"))
    run = subprocess.run([args.miqa, "detect", "--model", "mtcnn", "--json"] + photos, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("miqa detect failed (%d): %s" % (run.returncode, run.stderr))
    failed = False
    worst_all = (1.0, 0.0)
    for entry in json.loads(run.stdout):
        path, (W, H) = entry["image"], (entry["width"], entry["height"])
        got = []
        for d in entry["detections"]:
            b = d["box"]
            got.append([(b["x"] - b["w"] / 2) * W, (b["y"] - b["h"] / 2) * H, (b["x"] + b["w"] / 2) * W, (b["y"] + b["h"] / 2) * H, d["probability"]])
        ref = want[path]
        worst_iou, worst_p, left = 1.0, 0.0, list(got)
        for r in ref:
            if not left:
                break
            best = max(left, key=lambda g: iou(g, r))
            left.remove(best)
            worst_iou, worst_p = min(worst_iou, iou(best, r)), max(worst_p, abs(best[4] - r[4]))
        ok = len(got) == len(ref) and worst_iou >= 0.99 and worst_p <= 1e-3
        failed |= not ok
        worst_all = (min(worst_all[0], worst_iou), max(worst_all[1], worst_p))
        print("%-40s %dx%d faces miqa %d facenet %d  worst IoU %.6f  worst |dp| %.2e  %s"
              % (os.path.relpath(path, REPO) if path.startswith(REPO) else "skimage/" + os.path.basename(path), W, H,
                 len(got), len(ref), worst_iou, worst_p, "ok" if ok else "MISMATCH"))
    print("all photos: worst IoU %.6f, worst probability difference %.2e" % worst_all)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
