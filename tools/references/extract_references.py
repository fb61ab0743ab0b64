"""Reference photographs from packages (nothing downloaded is committed):

- `gcompris`: Debian `gcompris-qt-data` (CC-BY-SA / public-domain photographs stored as WebP in Qt
  `.rcc` archives, read by rcc.py); only the activities whose images are photographs (looked at):
  categorization (objects, tools, monuments, food, animals), erase and explore_* (animals,
  monuments). `lang` and the paintings/details activities are drawings or paintings: left out.
- `foolbox`: PyPI `foolbox==3.3.4`, 20 ImageNet validation photos `data/imagenet_{i:02d}_{label}.jpg`
  whose file name carries the true ImageNet-1k class index.
- `wallpapers`, `skimage`: what tools/default_model/make_references.py already uses.

    python3 tools/references/extract_references.py --out DIR [--sources gcompris,foolbox] [--cache DIR]

writes DIR/<source>/<name>.png (RGB, shorter side at most --max-side by a box-filtered
downscale, longer side cut to at most 4:3 around the centre) and DIR/index.csv:
`source,name,file,width,height,imagenet_class` (the class where it is known: foolbox from its
file names, gcompris from the reviewed table imagenet_map.csv; empty otherwise).
"""
import argparse
import csv
import glob
import io
import os
import subprocess
import sys
import zipfile

from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
import rcc  # noqa: E402

GCOMPRIS_RCC = ["categorization", "erase", "explore_monuments", "explore_world_animals", "explore_farm_animals"]


def fetch_deb(package, cache):
    os.makedirs(cache, exist_ok=True)
    debs = glob.glob(os.path.join(cache, f"{package}_*.deb"))
    if not debs:
        subprocess.run(["apt-get", "download", package], cwd=cache, check=True, stdout=subprocess.DEVNULL)
        debs = glob.glob(os.path.join(cache, f"{package}_*.deb"))
    root = os.path.join(cache, package)
    if not os.path.isdir(root):
        subprocess.run(["dpkg-deb", "-x", debs[0], root], check=True)
    return root


def fetch_wheel(spec, cache):
    os.makedirs(cache, exist_ok=True)
    name = spec.split("==")[0]
    wheels = glob.glob(os.path.join(cache, f"{name}-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", cache, spec],
                       check=True, stdout=subprocess.DEVNULL)
        wheels = glob.glob(os.path.join(cache, f"{name}-*.whl"))
    return wheels[0]


def gcompris(cache):
    root = fetch_deb("gcompris-qt-data", cache)
    for activity in GCOMPRIS_RCC:
        archive = rcc.RCCArchive(open(os.path.join(root, "usr/share/gcompris-qt/rcc", f"{activity}.rcc"), "rb").read())
        for path, blob in archive.files():
            if path.endswith(".webp"):
                stem = os.path.splitext(os.path.basename(path))[0]
                yield f"{activity}_{stem}", Image.open(io.BytesIO(blob)).convert("RGB"), None


def foolbox(cache):
    wheel = fetch_wheel("foolbox==3.3.4", cache)
    with zipfile.ZipFile(wheel) as z:
        for name in sorted(z.namelist()):
            base = os.path.basename(name)
            if "/data/" in name and base.startswith("imagenet_") and base.endswith((".jpg", ".png")):
                # imagenet_<i>_<class>.jpg
                label = int(os.path.splitext(base)[0].split("_")[2])
                yield os.path.splitext(base)[0], Image.open(io.BytesIO(z.read(name))).convert("RGB"), label


def normalise(img, max_side):
    w, h = img.size
    # At most 4:3 (or 3:4): cut the longer side around the centre.
    if w * 3 > h * 4:
        nw = h * 4 // 3
        img = img.crop(((w - nw) // 2, 0, (w - nw) // 2 + nw, h))
    elif h * 3 > w * 4:
        nh = w * 4 // 3
        img = img.crop((0, (h - nh) // 2, w, (h - nh) // 2 + nh))
    w, h = img.size
    if min(w, h) > max_side:
        s = max_side / min(w, h)
        img = img.resize((round(w * s), round(h * s)), Image.BOX)
    return img


def load_map(path):
    table = {}
    if os.path.exists(path):
        with open(path, newline="") as f:
            for row in csv.DictReader(line for line in f if not line.startswith("#")):
                table[row["name"]] = int(row["imagenet_class"])
    return table


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--sources", default="gcompris,foolbox")
    ap.add_argument("--cache", default=None, help="where downloaded packages are kept (default OUT/.cache)")
    ap.add_argument("--max-side", type=int, default=288, help="shorter side after downscaling")
    args = ap.parse_args()
    cache = args.cache or os.path.join(args.out, ".cache")
    mapping = load_map(os.path.join(os.path.dirname(__file__), "imagenet_map.csv"))
    readers = {"gcompris": gcompris, "foolbox": foolbox}
    rows = []
    for source in args.sources.split(","):
        os.makedirs(os.path.join(args.out, source), exist_ok=True)
        for name, img, label in readers[source](cache):
            img = normalise(img, args.max_side)
            if min(img.size) < 64:
                print(f"skipped {source}/{name}: {img.size[0]}x{img.size[1]} is too small", file=sys.stderr)
                continue
            rel = os.path.join(source, f"{name}.png")
            img.save(os.path.join(args.out, rel))
            if label is None:
                label = mapping.get(name)
            rows.append([source, name, rel, img.size[0], img.size[1], "" if label is None else label])
    with open(os.path.join(args.out, "index.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "name", "file", "width", "height", "imagenet_class"])
        w.writerows(rows)
    counts = {}
    for r in rows:
        counts[r[0]] = counts.get(r[0], 0) + 1
    print(f"wrote {len(rows)} references to {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
