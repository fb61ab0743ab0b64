"""End-to-end checks of the ins labels from a salient-object segmenter (u2netp) through the
`miqa` binary, with NumPy as the reference for the IoU:

- an ins database (`dataset generate --task ins --mask-method u2netp`, 2 photos x 1 type x 3
  configurations) labelled with u2netp and a ground-truth folder of masks; every IoU_u2netp in
  labels/<id>_consistency.csv equals NumPy's IoU of `miqa segment --binary`'s mask of the
  distorted image with its mask of the reference, and every one in _accuracy.csv its IoU with
  the ground-truth mask (here the spectral-residual masks of the references, any masks do);
- training and evaluation on it: `miqa train --task ins` runs, and `miqa evaluate` of its
  checkpoint reports one prediction per labelled image, equal to `miqa score --weights` on it.

Called by check_end_to_end.py; returns a list of booleans (empty, with a SKIP line, when u2netp
is not installed).
"""
import csv
import json
import os
import shutil
import subprocess

import numpy as np
from PIL import Image

from check_training_run import check_train_evaluate

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "Tests/MIQATests/Fixtures")
PHOTOS = {"coffee": "mobilenet_v2_photos/coffee.jpg", "person": "yolov3_tiny_photos/person.jpg"}


def run(miqa, args):
    return subprocess.run([miqa] + args, check=True, capture_output=True, text=True).stdout


def masks(miqa, paths, out, model="u2netp"):
    """Binary masks (bool arrays) of `paths` from `miqa segment --binary`, by path."""
    found = json.loads(run(miqa, ["segment", *paths, "--model", model, "--binary", "--out", out, "--json"]))
    return {e["image"]: np.asarray(Image.open(e["mask"])) >= 128 for e in found}


def iou(truth, found):
    union = np.logical_or(truth, found).sum()
    return np.logical_and(truth, found).sum() / union


def check_labels(miqa, tmp):
    refs, db, gt = (os.path.join(tmp, n) for n in ("ins_refs", "ins_db", "ins_truth"))
    os.makedirs(refs)
    for name, photo in PHOTOS.items():
        shutil.copyfile(os.path.join(FIXTURES, photo), os.path.join(refs, name + ".jpg"))
    ref_paths = [os.path.join(refs, n + ".jpg") for n in PHOTOS]
    os.makedirs(gt)
    for path, mask in masks(miqa, ref_paths, os.path.join(tmp, "ins_sr"), model="spectral-residual").items():
        name = os.path.splitext(os.path.basename(path))[0]
        Image.fromarray(mask.astype(np.uint8) * 255).save(os.path.join(gt, name + "_binary_mask.png"))
    run(miqa, ["dataset", "generate", "--references", refs, "--out", db, "--task", "ins", "--types", "gaussian_noise",
               "--configurations", "3", "--mask-method", "u2netp", "--no-progress"])
    run(miqa, ["dataset", "label", db, "--machines", "u2netp", "--ground-truth", gt, "--no-progress"])
    reference_masks = masks(miqa, ref_paths, os.path.join(tmp, "ins_ref_masks"))
    worst, count = 0.0, 0
    for name in PHOTOS:
        consistency = list(csv.DictReader(open(os.path.join(db, "labels", f"{name}_consistency.csv"))))
        accuracy = list(csv.DictReader(open(os.path.join(db, "labels", f"{name}_accuracy.csv"))))
        paths = [os.path.join(db, "images", name, r["filename"]) for r in consistency]
        found = masks(miqa, paths, os.path.join(tmp, "ins_masks_" + name))
        truth = np.asarray(Image.open(os.path.join(gt, name + "_binary_mask.png"))) >= 128
        for c, a, path in zip(consistency, accuracy, paths):
            want_c = iou(reference_masks[os.path.join(refs, name + ".jpg")], found[path])
            want_a = iou(truth, found[path])
            worst = max(worst, abs(float(c["IoU_u2netp"]) - want_c), abs(float(c["AP_weighted_avg"]) - want_c),
                        abs(float(a["IoU_u2netp"]) - want_a), abs(float(a["AP_weighted_avg"]) - want_a))
            count += 1
    ok = count == 6 and worst <= 1e-12
    print(f"{'PASS' if ok else 'FAIL'} ins labels: {count} images, consistency and accuracy IoU equal to NumPy's on "
          f"miqa segment's masks (worst {worst:.1e})")
    return [ok], db


def check_segmentation(miqa, tmp):
    home = os.environ.get("MIQA_HOME", os.path.expanduser("~/.miqa"))
    if not os.path.exists(os.path.join(home, "models/u2netp/model.onnx")):
        print("SKIP segmentation: u2netp not installed (miqa weights fetch u2netp)")
        return []
    results, db = check_labels(miqa, tmp)
    ok, _, _ = check_train_evaluate(miqa, tmp, db, "ins", list(PHOTOS))
    return results + [ok]


if __name__ == "__main__":
    import sys
    import tempfile
    with tempfile.TemporaryDirectory() as t:
        r = check_segmentation(os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/miqa"), t)
    sys.exit(0 if all(r) else 1)
