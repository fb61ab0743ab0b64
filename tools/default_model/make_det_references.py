"""Det references with exact boxes: Debian's tuxpaint-stamps-default photo cut-outs (alpha
masks), composited onto background photographs. Which stamps are which COCO class is the
reviewed table tools/default_model/tuxpaint_coco.csv (photographic cut-outs only; drawings,
toys and ambiguous animals left out).

    python3 tools/default_model/make_det_references.py --backgrounds DIR --out DIR [--count 150] [--cache DIR]

Per composite (seeded by its index): a background (cycled through --backgrounds' PNG/JPEG files,
sorted), 1 to 3 objects; each object draws a class uniformly (so 35 bird stamps do not swamp
the one giraffe), then a stamp of that class, scaled to 35-75% of the image height (at most 85%
of its width) with Pillow's Lanczos filter, at a random position inside the image overlapping
earlier objects by IoU < 0.2. Its box is the bounding box of the scaled stamp's alpha >= 128.
Writes DIR/references/det_NNNN.png, DIR/boxes.json (COCO style: images, annotations with
[left, top, width, height] boxes, categories named as Darknet's coco.names) and
DIR/composites.csv (file, class, stamp, box).
"""
import argparse
import csv
import glob
import json
import os
import random
import subprocess

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
STAMPS = "usr/share/tuxpaint/stamps"


def stamps_root(cache):
    root = os.path.join(cache, "tuxpaint")
    if not os.path.isdir(os.path.join(root, STAMPS)):
        os.makedirs(cache, exist_ok=True)
        debs = glob.glob(os.path.join(cache, "tuxpaint-stamps-default_*.deb"))
        if not debs:
            subprocess.run(["apt-get", "download", "tuxpaint-stamps-default"], cwd=cache, check=True)
            debs = glob.glob(os.path.join(cache, "tuxpaint-stamps-default_*.deb"))
        subprocess.run(["dpkg-deb", "-x", debs[0], root], check=True)
    return os.path.join(root, STAMPS)


def iou(a, b):
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / (a[2] * a[3] + b[2] * b[3] - w * h)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backgrounds", required=True, help="folder of background photos")
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/miqa-references"))
    ap.add_argument("--names", required=True, help="the detector's class names, one per line (COCO's 80, Darknet spelling)")
    args = ap.parse_args()
    root = stamps_root(args.cache)
    names = [l.strip() for l in open(args.names) if l.strip()]
    table = list(csv.DictReader(open(os.path.join(HERE, "tuxpaint_coco.csv"))))
    by_class = {}
    for row in table:
        if row["coco_class"] not in names:
            raise SystemExit(f"tuxpaint_coco.csv: '{row['coco_class']}' is not one of the detector's classes")
        by_class.setdefault(row["coco_class"], []).append(row["stamp"])
    classes = sorted(by_class)
    backgrounds = sorted(p for p in glob.glob(os.path.join(args.backgrounds, "*")) if p.lower().endswith((".png", ".jpg", ".jpeg")))
    if not backgrounds:
        raise SystemExit(f"no background photos in {args.backgrounds}")
    os.makedirs(os.path.join(args.out, "references"), exist_ok=True)
    images, annotations, listing = [], [], []
    for i in range(args.count):
        rng = random.Random(1000 + i)
        canvas = Image.open(backgrounds[i % len(backgrounds)]).convert("RGB")
        W, H = canvas.size
        name = "det_%04d.png" % i
        boxes = []
        for _ in range(rng.randint(1, 3)):
            cls = rng.choice(classes)
            stamp_path = rng.choice(by_class[cls])
            stamp = Image.open(os.path.join(root, stamp_path)).convert("RGBA")
            for _attempt in range(20):
                scale = min(rng.uniform(0.35, 0.75) * H / stamp.height, 0.85 * W / stamp.width)
                size = (max(8, round(stamp.width * scale)), max(8, round(stamp.height * scale)))
                x, y = rng.randint(0, W - size[0]), rng.randint(0, H - size[1])
                if all(iou((x, y, size[0], size[1]), b[1]) < 0.2 for b in boxes):
                    break
            else:
                continue
            scaled = stamp.resize(size, Image.LANCZOS)
            alpha = scaled.getchannel("A").point(lambda v: 255 if v >= 128 else 0)
            bbox = alpha.getbbox()
            if bbox is None:
                continue
            canvas.paste(scaled, (x, y), scaled)
            box = (x + bbox[0], y + bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1])
            boxes.append((cls, box, stamp_path))
        if not boxes:
            continue
        canvas.save(os.path.join(args.out, "references", name))
        images.append({"id": i + 1, "file_name": name, "width": W, "height": H})
        for cls, box, stamp_path in boxes:
            annotations.append({"id": len(annotations) + 1, "image_id": i + 1, "category_id": names.index(cls) + 1,
                                "bbox": list(box), "area": box[2] * box[3], "iscrowd": 0})
            listing.append((name, cls, stamp_path, *box))
    with open(os.path.join(args.out, "boxes.json"), "w") as f:
        json.dump({"images": images, "annotations": annotations,
                   "categories": [{"id": k + 1, "name": n} for k, n in enumerate(names)]}, f)
    with open(os.path.join(args.out, "composites.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "class", "stamp", "left", "top", "width", "height"])
        w.writerows(listing)
    print(f"wrote {len(images)} composites with {len(annotations)} objects of {len(set(l[1] for l in listing))} classes to {args.out}")


if __name__ == "__main__":
    main()
