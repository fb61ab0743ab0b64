#!/usr/bin/env python3
"""Chooses the training references of the default model and splits them, from what
tools/references/extract_references.py (GCompris, foolbox) and make_references.py (wallpaper and
scikit-image crops) wrote. Whole sources are held out for the test (tools/default_model/make_heldout.py):
foolbox and the GCompris activities erase and explore_*_animals never reach training.

    python3 tools/default_model/select_references.py --refs WORK/refs --wallpapers WORK/wallpapers --out WORK

writes WORK/train_refs/<id>.png (symbolic links), WORK/ground_truth.csv (`image,class_index` where the
reviewed table knows the class) and WORK/splits/{train_fit,val}.csv: every --val-every-th photo
(crops of one wallpaper stay together) is validation, used only to pick the checkpoint.
"""
import argparse
import csv
import os

TRAIN_GCOMPRIS = ("categorization_", "explore_monuments_")
HELD_OUT_GCOMPRIS = ("erase_", "explore_world_animals_", "explore_farm_animals_")


def photo_of(rid, source):
    # Wallpaper crops are <photo>_<k>; every GCompris image is its own photo.
    return rid.rsplit("_", 1)[0] if source == "wallpapers" else rid


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--refs", required=True, help="output folder of extract_references.py (index.csv)")
    ap.add_argument("--wallpapers", help="output folder of make_references.py (references/)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--val-every", type=int, default=6)
    ap.add_argument("--limit", type=int, default=0, help="keep only the first N references (a quick trial run)")
    a = ap.parse_args()
    chosen = []  # (id, path, source, imagenet class or "")
    with open(os.path.join(a.refs, "index.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["source"] == "gcompris" and row["name"].startswith(TRAIN_GCOMPRIS):
                assert not row["name"].startswith(HELD_OUT_GCOMPRIS)
                chosen.append((f"gcompris_{row['name']}", os.path.join(a.refs, row["file"]), "gcompris", row["imagenet_class"]))
    if a.wallpapers:
        folder = os.path.join(a.wallpapers, "references")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".png"):
                chosen.append((os.path.splitext(name)[0], os.path.join(folder, name), "wallpapers", ""))
    chosen.sort()
    if a.limit:
        chosen = chosen[:a.limit]
    out_refs = os.path.join(a.out, "train_refs")
    os.makedirs(out_refs, exist_ok=True)
    os.makedirs(os.path.join(a.out, "splits"), exist_ok=True)
    for rid, path, _, _ in chosen:
        link = os.path.join(out_refs, rid + ".png")
        if not os.path.lexists(link):
            os.symlink(os.path.abspath(path), link)
    with open(os.path.join(a.out, "ground_truth.csv"), "w") as f:
        f.write("image,class_index\n" + "".join(f"{rid},{c}\n" for rid, _, _, c in chosen if c))
    photos = sorted({photo_of(rid, s) for rid, _, s, _ in chosen})
    val_photos = set(photos[a.val_every - 1::a.val_every])
    fit = [rid for rid, _, s, _ in chosen if photo_of(rid, s) not in val_photos]
    val = [rid for rid, _, s, _ in chosen if photo_of(rid, s) in val_photos]
    for name, rows in (("train_fit", fit), ("val", val)):
        with open(os.path.join(a.out, "splits", f"{name}.csv"), "w") as f:
            f.write("Image Name\n" + "".join(r + "\n" for r in rows))
    by_source = {}
    for _, _, s, _ in chosen:
        by_source[s] = by_source.get(s, 0) + 1
    print(f"{len(chosen)} training references ({', '.join(f'{n} {s}' for s, n in sorted(by_source.items()))}): "
          f"{len(fit)} fit, {len(val)} validation; {sum(1 for c in chosen if c[3])} with an ImageNet class")


if __name__ == "__main__":
    main()
