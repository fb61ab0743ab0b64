"""Write the average-precision fixture: pycocotools' COCOeval (bbox) on one-image scenes.

    pip install --no-deps pycocotools==2.0.8
    python3 tools/oracle/make_ap_fixtures.py

Scenes are random but seeded: 1-6 ground-truth boxes in 1-3 classes on an image of random size;
detections are jittered copies of them (some far off, some duplicated, some of the wrong
class), false positives, classes without ground truth, tied scores, and scenes with no
detections or more than 100 of a class. Each scene gets COCOeval's AP@[.5:.95], AP@.5 and
AP@.75 (`stats[0:3]`, area "all", maxDets 100) for the image alone, or null when the image has no
ground truth. Writes Tests/MIQATests/Fixtures/average_precision.json.
"""
import contextlib
import io
import json
import os
import random

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(os.path.dirname(HERE)), "Tests/MIQATests/Fixtures/average_precision.json")
CLASSES = 4


def scene(rng, index):
    w, h = rng.randint(64, 800), rng.randint(64, 800)
    truth = []
    for _ in range(0 if index % 17 == 5 else rng.randint(1, 6)):
        bw, bh = rng.uniform(8, w / 2), rng.uniform(8, h / 2)
        truth.append({"class": rng.randrange(3), "box": [rng.uniform(0, w - bw), rng.uniform(0, h - bh), bw, bh]})
    dets = []
    if index % 13 != 3:
        for t in truth:
            for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
                x, y, bw, bh = t["box"]
                s = rng.choice([0.03, 0.1, 0.25])
                box = [x + rng.gauss(0, s * bw), y + rng.gauss(0, s * bh), bw * rng.uniform(1 - s, 1 + s), bh * rng.uniform(1 - s, 1 + s)]
                cls = t["class"] if rng.random() > 0.1 else rng.randrange(CLASSES)
                dets.append({"class": cls, "score": round(rng.random(), 2 if index % 4 == 0 else 6), "box": box})
        for _ in range(rng.randint(0, 4)):
            bw, bh = rng.uniform(8, w / 2), rng.uniform(8, h / 2)
            dets.append({"class": rng.randrange(CLASSES), "score": rng.random(), "box": [rng.uniform(0, w - bw), rng.uniform(0, h - bh), bw, bh]})
    if index % 29 == 7 and truth:
        x, y, bw, bh = truth[0]["box"]
        dets += [{"class": truth[0]["class"], "score": rng.random(), "box": [x + rng.uniform(-5, 5), y, bw, bh]} for _ in range(130)]
    return {"width": w, "height": h, "truth": truth, "detections": dets}


def coco_ap(s):
    if not s["truth"]:
        return None
    gt = COCO()
    gt.dataset = {"images": [{"id": 1, "width": s["width"], "height": s["height"]}],
                  "categories": [{"id": k + 1, "name": str(k)} for k in range(CLASSES)],
                  "annotations": [{"id": i + 1, "image_id": 1, "category_id": t["class"] + 1, "bbox": t["box"],
                                   "area": t["box"][2] * t["box"][3], "iscrowd": 0} for i, t in enumerate(s["truth"])]}
    with contextlib.redirect_stdout(io.StringIO()):
        gt.createIndex()
        if s["detections"]:
            dt = gt.loadRes([{"image_id": 1, "category_id": d["class"] + 1, "bbox": d["box"], "score": d["score"]} for d in s["detections"]])
        else:
            dt = COCO()
            dt.dataset = {"images": gt.dataset["images"], "categories": gt.dataset["categories"], "annotations": []}
            dt.createIndex()
        ev = COCOeval(gt, dt, "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return [float(v) for v in ev.stats[:3]]


def main():
    rng = random.Random(20261203)
    scenes = []
    for i in range(80):
        s = scene(rng, i)
        s["coco"] = coco_ap(s)
        scenes.append(s)
    with open(OUT, "w") as f:
        json.dump({"source": "pycocotools 2.0.8 COCOeval bbox, stats[0:3]", "scenes": scenes}, f)
    print("wrote %d scenes to %s" % (len(scenes), OUT))


if __name__ == "__main__":
    main()
