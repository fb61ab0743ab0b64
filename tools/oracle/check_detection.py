"""End-to-end checks of the detector and the det labels through the `miqa` binary, against
Debian's darknet (its recorded answers, tools/oracle/make_yolo_photos.py) and pycocotools:

- detect: `miqa detect --json` on darknet's own photos gives darknet's detections (same classes,
  IoU >= 0.99, probabilities within 1e-3);
- det labels: a det database of those photos (`dataset generate --task det`, 3 types x 2
  configurations) labelled with yolov3_tiny; every AP_yolov3_tiny in labels/<id>_consistency.csv
  equals COCOeval's AP of `miqa detect` (threshold 0.005) on the distorted image against
  `miqa detect` (threshold 0.5) on the reference (1e-9), and the accuracy file, made with a
  COCO JSON of ground truth, equals COCOeval against those boxes;
- training and evaluation on it: `miqa train --task det` runs, and `miqa evaluate` of its
  checkpoint reports one prediction per labelled image, equal to `miqa score --weights` on it;
- the face detector: a det database of two photos with faces labelled with mtcnn and yolov3_tiny,
  every AP_mtcnn equal to COCOeval's on `miqa detect --model mtcnn`'s boxes, trained and evaluated.

Called by check_end_to_end.py; returns a list of booleans (empty, with a SKIP line, when
yolov3_tiny is not installed).
"""
import contextlib
import csv
import io
import json
import os
import shutil
import subprocess

from check_training_run import check_train_evaluate

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "Tests/MIQATests/Fixtures")
PHOTOS = ["dog", "person", "horses"]


def run(miqa, args):
    return subprocess.run([miqa] + args, check=True, capture_output=True, text=True).stdout


def detect(miqa, paths, threshold):
    return json.loads(run(miqa, ["detect", *paths, "--json", "--threshold", str(threshold)]))


def iou(a, b):
    ax0, ay0, ax1, ay1 = a[0] - a[2] / 2, a[1] - a[3] / 2, a[0] + a[2] / 2, a[1] + a[3] / 2
    bx0, by0, bx1, by1 = b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2
    w, h = min(ax1, bx1) - max(ax0, bx0), min(ay1, by1) - max(ay0, by0)
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / (a[2] * a[3] + b[2] * b[3] - w * h)


def check_detect(miqa):
    expected = json.load(open(os.path.join(FIXTURES, "yolov3_tiny_photos/expected.json")))
    paths = [os.path.join(FIXTURES, "yolov3_tiny_photos/%s.jpg" % n) for n in PHOTOS]
    results = []
    for path, got in zip(paths, detect(miqa, paths, 0.5)):
        want = expected["photos"]["yolov3_tiny_photos/" + os.path.basename(path)]["detections"]
        found = [(d["class"], d["probability"], [d["box"][k] for k in "xywh"]) for d in got["detections"]]
        ok = len(found) == len(want)
        worst = 1.0
        for w in want:
            match = [f for f in found if f[0] == int(w[0]) and iou(f[2], w[2:]) >= 0.99 and abs(f[1] - w[1]) <= 1e-3]
            ok = ok and len(match) == 1
            if match:
                worst = min(worst, iou(match[0][2], w[2:]))
        print(f"{'PASS' if ok else 'FAIL'} miqa detect {os.path.basename(path)}: {len(found)} objects, darknet {len(want)}, worst IoU {worst:.6f}")
        results.append(ok)
    return results


def pixel_boxes(result):
    w, h = result["width"], result["height"]
    out = []
    for d in result["detections"]:
        b = d["box"]
        x0, y0 = min(max((b["x"] - b["w"] / 2) * w, 0), w), min(max((b["y"] - b["h"] / 2) * h, 0), h)
        x1, y1 = min(max((b["x"] + b["w"] / 2) * w, 0), w), min(max((b["y"] + b["h"] / 2) * h, 0), h)
        out.append({"category_id": d["class"] + 1, "bbox": [x0, y0, x1 - x0, y1 - y0], "score": d["probability"]})
    return out


def coco_ap(truth, detections, size):
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    gt = COCO()
    gt.dataset = {"images": [{"id": 1, "width": size[0], "height": size[1]}], "categories": [{"id": k + 1} for k in range(80)],
                  "annotations": [{"id": i + 1, "image_id": 1, "category_id": t["category_id"], "bbox": t["bbox"],
                                   "area": t["bbox"][2] * t["bbox"][3], "iscrowd": 0} for i, t in enumerate(truth)]}
    with contextlib.redirect_stdout(io.StringIO()):
        gt.createIndex()
        dt = gt.loadRes([dict(d, image_id=1) for d in detections]) if detections else None
        if dt is None:
            return 0.0
        ev = COCOeval(gt, dt, "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return float(ev.stats[0])


def check_labels(miqa, tmp):
    refs = os.path.join(tmp, "det_refs")
    os.makedirs(refs, exist_ok=True)
    for n in PHOTOS:
        shutil.copyfile(os.path.join(FIXTURES, "yolov3_tiny_photos/%s.jpg" % n), os.path.join(refs, n + ".jpg"))
    db = os.path.join(tmp, "det_db")
    run(miqa, ["dataset", "generate", "--references", refs, "--out", db, "--task", "det", "--types", "fog,contrast,gaussian_noise",
               "--configurations", "2", "--no-progress"])
    # Ground truth for accuracy: darknet's own detections of the dog photo, as a COCO file.
    card = json.load(open(os.path.join(os.environ.get("MIQA_HOME", os.path.expanduser("~/.miqa")), "models/yolov3_tiny/model.json")))
    names = card["notes"]["class_names"].split("\n")
    dog = detect(miqa, [os.path.join(refs, "dog.jpg")], 0.5)[0]
    truth = pixel_boxes(dog)
    coco = {"images": [{"id": 7, "file_name": "dog.jpg"}], "categories": [{"id": k + 1, "name": n} for k, n in enumerate(names)],
            "annotations": [{"image_id": 7, "category_id": t["category_id"], "bbox": t["bbox"]} for t in truth[:3]]}
    gt_file = os.path.join(tmp, "det_truth.json")
    json.dump(coco, open(gt_file, "w"))
    run(miqa, ["dataset", "label", db, "--machines", "yolov3_tiny", "--ground-truth", gt_file, "--no-progress"])
    results = []
    worst, compared = 0.0, 0
    for n in PHOTOS:
        ref = detect(miqa, [os.path.join(db, "src_images", n + ".jpg")], 0.5)[0]
        own = pixel_boxes(ref)
        for kind, reference_boxes in (("consistency", own), ("accuracy", truth[:3] if n == "dog" else None)):
            path = os.path.join(db, "labels", f"{n}_{kind}.csv")
            if reference_boxes is None:
                ok = not os.path.exists(path)
                print(f"{'PASS' if ok else 'FAIL'} det labels {n}: no ground truth, no accuracy file")
                results.append(ok)
                continue
            rows = list(csv.DictReader(open(path)))
            images = [os.path.join(db, "images", n, r["filename"]) for r in rows]
            dets = detect(miqa, images, 0.005)
            for r, d in zip(rows, dets):
                want = coco_ap(reference_boxes, pixel_boxes(d), (d["width"], d["height"]))
                worst = max(worst, abs(float(r["AP_yolov3_tiny"]) - want), abs(float(r["AP_weighted_avg"]) - want))
                compared += 1
    ok = compared == 3 * 6 + 6 and worst <= 1e-9
    print(f"{'PASS' if ok else 'FAIL'} det labels: {compared} AP values equal COCOeval's on miqa detect's boxes (worst {worst:.1e})")
    results.append(ok)
    return results, db


def check_training(miqa, tmp, db):
    ok, weights, split = check_train_evaluate(miqa, tmp, db, "det", PHOTOS)
    results = [ok]
    # The filtering test with the detector: its per-image AP is the label's, and its curves follow from samples.csv.
    fo = os.path.join(tmp, "det_filtering")
    run(miqa, ["filtering", "--data", db, "--split", split, "--model", "resnet18", "--weights", weights, "--out", fo, "--no-progress"])
    samples = list(csv.DictReader(open(os.path.join(fo, "samples.csv"))))
    labels = {}
    for n in PHOTOS:
        for r in csv.DictReader(open(os.path.join(db, "labels", f"{n}_consistency.csv"))):
            labels[f"{n}/{r['filename']}"] = (float(r["AP_yolov3_tiny"]), float(r["AP75_weighted_avg"]))
    diff = max(max(abs(float(s["ap_yolov3_tiny"]) - labels[s["image"]][0]), abs(float(s["ap75_yolov3_tiny"]) - labels[s["image"]][1]))
               for s in samples)
    curves = {(r["method"], r["metric"], r["machine"], float(r["fraction"])): r["value"] for r in csv.DictReader(open(os.path.join(fo, "filtering.csv")))}
    import numpy as np
    scores = np.array([float(s["score"]) for s in samples])
    ap75 = np.array([float(s["ap75_yolov3_tiny"]) for s in samples])
    order = np.argsort(scores, kind="stable")
    curve_diff = 0.0
    for p in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]:
        k = int(np.floor(p * len(scores) + 1e-9))
        curve_diff = max(curve_diff, abs(float(curves[("predictor", "ap75", "yolov3_tiny", p)]) - ap75[order[k:]].mean()))
    ok = len(samples) == len(labels) and diff <= 1e-12 and curve_diff <= 1e-12
    print(f"{'PASS' if ok else 'FAIL'} det filtering: {len(samples)} images, AP equal to the labels' (worst {diff:.1e}), "
          f"AP@0.75 curve equal to NumPy's from samples.csv (worst {curve_diff:.1e})")
    results.append(ok)
    return results


def check_face_labels(miqa, tmp):
    """A det database of two photos with faces labelled with both detectors (mtcnn and
    yolov3_tiny): every AP_mtcnn equals COCOeval's on `miqa detect --model mtcnn`'s boxes; then
    train + evaluate on it."""
    tmp = os.path.join(tmp, "faces")
    refs, db = os.path.join(tmp, "refs"), os.path.join(tmp, "db")
    os.makedirs(refs)
    photos = ["lfw_mosaic", "camera"]
    for n in photos:
        shutil.copyfile(os.path.join(FIXTURES, "mtcnn_photos/%s.png" % n), os.path.join(refs, n + ".png"))
    run(miqa, ["dataset", "generate", "--references", refs, "--out", db, "--task", "det", "--types", "gaussian_noise,contrast",
               "--configurations", "2", "--no-progress"])
    run(miqa, ["dataset", "label", db, "--machines", "mtcnn,yolov3_tiny", "--no-progress"])

    def faces(paths, threshold):
        return json.loads(run(miqa, ["detect", *paths, "--model", "mtcnn", "--json", "--threshold", str(threshold)]))

    worst, compared, found = 0.0, 0, 0
    for n in photos:
        own = pixel_boxes(faces([os.path.join(db, "src_images", n + ".png")], 0.5)[0])
        found += len(own)
        rows = list(csv.DictReader(open(os.path.join(db, "labels", f"{n}_consistency.csv"))))
        dets = faces([os.path.join(db, "images", n, r["filename"]) for r in rows], 0.005)
        for r, d in zip(rows, dets):
            want = coco_ap(own, pixel_boxes(d), (d["width"], d["height"]))
            worst = max(worst, abs(float(r["AP_mtcnn"]) - want))
            compared += 1
    ok = compared == 2 * 4 and found >= 2 and worst <= 1e-9
    print(f"{'PASS' if ok else 'FAIL'} face det labels: {compared} AP_mtcnn values ({found} reference faces) equal COCOeval's "
          f"on miqa detect --model mtcnn's boxes (worst {worst:.1e})")
    trained, _, _ = check_train_evaluate(miqa, tmp, db, "det", photos)
    return [ok, trained]


def check_detection(miqa, tmp):
    home = os.environ.get("MIQA_HOME", os.path.expanduser("~/.miqa"))
    if not os.path.exists(os.path.join(home, "models/yolov3_tiny/model.safetensors")):
        print("SKIP detection: yolov3_tiny not installed (miqa weights fetch yolov3_tiny)")
        return []
    results = check_detect(miqa)
    labels, db = check_labels(miqa, tmp)
    results += labels
    results += check_training(miqa, tmp, db)
    if os.path.exists(os.path.join(home, "models/mtcnn/model.safetensors")):
        results += check_face_labels(miqa, tmp)
    else:
        print("SKIP face detection: mtcnn not installed (miqa weights fetch mtcnn)")
    return results
