#!/usr/bin/env python3
"""Chooses the det default's training references and its held-out pairs: only images in which
the detector (yolov3_tiny) finds at least one object at probability > 0.5, since a det label
measures how the machine's own detections on the reference survive the distortion.

    python3 tools/default_model/select_det_references.py --miqa MIQA --work WORK [--limit N]

Candidates: the cls default's training references (WORK/train_refs: GCompris categorization and
monuments, wallpaper crops; no ground-truth boxes) and the tuxpaint composites
(WORK/det/composites, make_det_references.py; boxes in boxes.json). Held out: the cls held-out
set (WORK/heldout/pairs.csv: foolbox and GCompris erase/explore_*_animals, distorted by
imagecorruptions), restricted to references with a detection.

Writes WORK/det/train_refs/<id>.png (symbolic links), WORK/det/boxes.json (the composites'
boxes, for those kept), WORK/det/splits/{train_fit,val}.csv (validation: the cls validation
references and the composites whose background is every 6th) and WORK/heldout/det_pairs.csv.
"""
import argparse
import csv
import json
import os
import subprocess


def detected(miqa, paths, batch=64):
    """The paths in which the detector finds something at its default threshold."""
    found = set()
    for i in range(0, len(paths), batch):
        out = subprocess.run([miqa, "detect", *paths[i:i + batch], "--json"], check=True, capture_output=True, text=True).stdout
        for r in json.loads(out):
            if r.get("detections"):
                found.add(r["image"])
    return found


def ids(path):
    return [l.strip() for l in open(path).read().splitlines()[1:] if l.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--miqa", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--val-every", type=int, default=6)
    ap.add_argument("--limit", type=int, default=0, help="keep only N of the selected training references, spread over all (a quick trial run)")
    a = ap.parse_args()
    work, det = a.work, os.path.join(a.work, "det")
    cls_refs = os.path.join(work, "train_refs")
    boxes = json.load(open(os.path.join(det, "composites", "boxes.json")))
    candidates = [(os.path.splitext(n)[0], os.path.realpath(os.path.join(cls_refs, n)), "cls") for n in sorted(os.listdir(cls_refs))]
    comp = os.path.join(det, "composites", "references")
    candidates += [(os.path.splitext(n)[0], os.path.join(comp, n), "composite") for n in sorted(os.listdir(comp))]
    found = detected(a.miqa, [p for _, p, _ in candidates])
    kept = [c for c in candidates if c[1] in found]
    with_objects = len(kept)
    if a.limit and a.limit < len(kept):
        # Spread over photos and composites alike, so a trial run sees both.
        kept = [kept[i * len(kept) // a.limit] for i in range(a.limit)]
    if not kept:
        raise SystemExit(f"det: the detector finds no object in any of the {len(candidates)} training candidates")
    out_refs = os.path.join(det, "train_refs")
    os.makedirs(out_refs, exist_ok=True)
    for rid, path, _ in kept:
        link = os.path.join(out_refs, rid + ".png")
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(path), link)
    names = {rid + ".png" for rid, _, s in kept if s == "composite"}
    images = [im for im in boxes["images"] if im["file_name"] in names]
    keep_ids = {im["id"] for im in images}
    json.dump({"images": images, "annotations": [x for x in boxes["annotations"] if x["image_id"] in keep_ids],
               "categories": boxes["categories"]}, open(os.path.join(det, "boxes.json"), "w"))
    cls_val = set(ids(os.path.join(work, "splits", "val.csv")))
    # Composites sharing a background stay on one side: det_NNNN uses background NNNN % backgrounds.
    n_backgrounds = len([n for n in os.listdir(os.path.join(det, "backgrounds")) if n.endswith(".png")])
    def is_val(rid, source):
        if source == "cls":
            return rid in cls_val
        return (int(rid.split("_")[1]) % n_backgrounds) % a.val_every == a.val_every - 1
    os.makedirs(os.path.join(det, "splits"), exist_ok=True)
    for name, rows in (("train_fit", [r for r, _, s in kept if not is_val(r, s)]), ("val", [r for r, _, s in kept if is_val(r, s)])):
        with open(os.path.join(det, "splits", f"{name}.csv"), "w") as f:
            f.write("Image Name\n" + "".join(r + "\n" for r in rows))
    # Held-out pairs: the cls held-out set where the detector sees something in the reference.
    heldout = os.path.join(work, "heldout")
    rows = list(csv.DictReader(open(os.path.join(heldout, "pairs.csv"))))
    refs = sorted({r["reference"] for r in rows})
    seen = detected(a.miqa, [os.path.join(heldout, r) for r in refs])
    kept_refs = {r for r in refs if os.path.join(heldout, r) in seen}
    if not kept_refs:
        raise SystemExit(f"det: the detector finds no object in any of the {len(refs)} held-out references")
    with open(os.path.join(heldout, "det_pairs.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(r for r in rows if r["reference"] in kept_refs)
    by = {}
    for _, _, s in kept:
        by[s] = by.get(s, 0) + 1
    print(f"det: {with_objects} of {len(candidates)} training candidates have a detection; kept {len(kept)} "
          f"({by.get('composite', 0)} composites with "
          f"{sum(1 for x in boxes['annotations'] if x['image_id'] in keep_ids)} boxes, {by.get('cls', 0)} photos); "
          f"held out: {len(kept_refs)} of {len(refs)} references ({sum(1 for r in rows if r['reference'] in kept_refs)} images)")


if __name__ == "__main__":
    main()
