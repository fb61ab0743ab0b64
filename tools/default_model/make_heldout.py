"""A held-out test set in the ImageNet-C style: every reference of the given sources distorted by
the reference corruption code (PyPI `imagecorruptions`, the 15 "common" corruptions minus
glass_blur, which takes minutes per image) at severities 1..5, plus a pairs file for
`miqa filtering --pairs`.

Needs (not in the oracle's requirements yet; into .build/oracle-venv, pinned, without deps):
    .build/oracle-venv/bin/pip install --no-deps imagecorruptions==1.1.2 opencv-python-headless==4.10.0.84

    python3 tools/default_model/make_heldout.py --references REFS_DIR --sources foolbox,gcompris:erase_ --out DIR

REFS_DIR is the output of tools/references/extract_references.py (its index.csv); a source is a
folder name, optionally `folder:prefix` to keep only names starting with prefix. Writes
DIR/references/<name>.png, DIR/images/<name>/<name>_<corruption>_<severity>.png and
DIR/pairs.csv (`image,reference,severity,corruption`). NumPy is seeded per image (reference
index * 100 + corruption index * 5 + severity), so a rerun gives the same files; existing files
are kept (a stopped run resumes).
"""
import argparse
import csv
import os
import sys

import numpy as np
from PIL import Image


def shims():
    # imagecorruptions 1.1.2 on NumPy 2 / current scikit-image: the same values, renamed APIs.
    if not hasattr(np, "float_"):
        np.float_ = np.float64
    import types
    if "pkg_resources" not in sys.modules:
        import importlib.util
        mod = types.ModuleType("pkg_resources")
        # resource_filename(module name, relative path): the file beside that module.
        mod.resource_filename = lambda pkg, name: os.path.join(os.path.dirname(importlib.util.find_spec(pkg).origin), name)
        sys.modules["pkg_resources"] = mod
    import skimage.filters
    original = skimage.filters.gaussian

    def gaussian(image, sigma=1, multichannel=None, **kw):
        if multichannel is not None and "channel_axis" not in kw:
            kw["channel_axis"] = -1 if multichannel else None
        return original(image, sigma=sigma, **kw)
    skimage.filters.gaussian = gaussian


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--references", required=True)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--severities", default="1,2,3,4,5")
    args = ap.parse_args()
    shims()
    import imagecorruptions
    import imagecorruptions.corruptions as ic
    ic.gaussian = sys.modules["skimage.filters"].gaussian
    names = [c for c in imagecorruptions.get_corruption_names("common") if c != "glass_blur"]
    severities = [int(s) for s in args.severities.split(",")]
    wanted = [s.split(":", 1) + [""] if ":" not in s else s.split(":", 1) for s in args.sources.split(",")]
    with open(os.path.join(args.references, "index.csv"), newline="") as f:
        refs = [r for r in csv.DictReader(f) if any(r["source"] == s[0] and r["name"].startswith(s[1]) for s in wanted)]
    os.makedirs(os.path.join(args.out, "references"), exist_ok=True)
    rows = []
    for ri, r in enumerate(refs):
        name = f"{r['source']}_{r['name']}"
        img = np.asarray(Image.open(os.path.join(args.references, r["file"])).convert("RGB"))
        ref_rel = f"references/{name}.png"
        if not os.path.exists(os.path.join(args.out, ref_rel)):
            Image.fromarray(img).save(os.path.join(args.out, ref_rel))
        os.makedirs(os.path.join(args.out, "images", name), exist_ok=True)
        for ci, c in enumerate(names):
            for s in severities:
                rel = f"images/{name}/{name}_{c}_{s}.png"
                path = os.path.join(args.out, rel)
                if not os.path.exists(path):
                    np.random.seed(ri * 100 + ci * 5 + s)
                    out = imagecorruptions.corrupt(img, corruption_name=c, severity=s)
                    out = np.uint8(out)[: img.shape[0], : img.shape[1]]
                    tmp = path + ".tmp.png"
                    Image.fromarray(out).save(tmp)
                    os.replace(tmp, path)
                rows.append([rel, ref_rel, s, c])
        print(f"{ri + 1}/{len(refs)} {name}", file=sys.stderr, flush=True)
    with open(os.path.join(args.out, "pairs.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["image", "reference", "severity", "corruption"])
        w.writerows(rows)
    print(f"wrote {len(rows)} distorted images of {len(refs)} references to {args.out}")


if __name__ == "__main__":
    main()
