"""Reference photos for the default model, from material that installs offline: Debian's wallpaper
packages (mate-backgrounds, plasma-workspace-wallpapers, gnome-backgrounds: photographs only,
listed below by name), scikit-image's sample photos, and the original project's demo.jpg.
Large photos give several non-overlapping crops (500x375 by default) (a box-filtered downscale first, so that
crops look like ordinary camera images, not 5K pixel peeping). Whole references are held out:
every k-th photo *source* goes to the test split, so no test crop shares a photo with training.

    python3 tools/default_model/make_references.py --out DIR [--max-crops 3]
writes DIR/references/<id>.png and DIR/splits/{train,test}.csv (column "Image Name", MIQD style).
"""
import argparse
import glob
import os

from PIL import Image

# Photographs among the wallpapers (abstract and rendered art left out on purpose).
WALLPAPER_GLOBS = [
    "/usr/share/backgrounds/mate/nature/*.jpg",
    "/usr/share/wallpapers/Path/contents/images/*.jpg",
    "/usr/share/wallpapers/FallenLeaf/contents/images/*.jpg",
    "/usr/share/wallpapers/ColorfulCups/contents/images/*.jpg",
    "/usr/share/wallpapers/Kite/contents/images/*.jpg",
    "/usr/share/wallpapers/EveningGlow/contents/images/*.jpg",
    "/usr/share/wallpapers/summer_1am/contents/images/*.jpg",
    "/usr/share/wallpapers/DarkestHour/contents/images/*.jpg",
    "/usr/share/wallpapers/SafeLanding/contents/images/5120x2880.jpg",
    "/usr/share/wallpapers/OneStandsOut/contents/images/*.jpg",
    "/usr/share/wallpapers/ColdRipple/contents/images/*.jpg",
    "/usr/share/wallpapers/Grey/contents/images/*.jpg",
    "/usr/share/backgrounds/gnome/*.jpg",
]
SKIMAGE = ["astronaut", "chelsea", "coffee", "rocket", "motorcycle", "hubble_deep_field", "immunohistochemistry", "cat"]
SIZE = (500, 375)  # --size overrides


def sources():
    out = []
    for pattern in WALLPAPER_GLOBS:
        for p in sorted(glob.glob(pattern)):
            name = p.split("/contents/")[0].rsplit("/", 1)[-1] if "/contents/" in p else os.path.splitext(os.path.basename(p))[0]
            out.append((name, lambda p=p: Image.open(p).convert("RGB")))
    try:
        import skimage.data as d
        for n in SKIMAGE:
            fn = "stereo_motorcycle" if n == "motorcycle" else n
            if hasattr(d, fn):
                def load(fn=fn):
                    a = getattr(d, fn)()
                    a = a[0] if isinstance(a, tuple) else a
                    return Image.fromarray(a).convert("RGB")
                out.append((f"skimage_{n}", load))
    except ImportError:
        pass
    demo = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "miqa-reference", "demo_images", "demo.jpg")
    if os.path.exists(demo):
        out.append(("demo", lambda: Image.open(demo).convert("RGB")))
    # One entry per photo (a wallpaper may come in several resolutions).
    seen, unique = set(), []
    for name, load in out:
        if name not in seen:
            seen.add(name)
            unique.append((name, load))
    return unique


def crops(img, max_crops):
    w, h = img.size
    # Scale so that the shorter side is at most ~2 crop heights, then cut a grid of crops.
    scale = min(1.0, 2 * SIZE[1] / min(w, h)) if min(w, h) > 2 * SIZE[1] else min(1.0, SIZE[1] / min(w, h) * 1.0)
    if w * scale < SIZE[0] or h * scale < SIZE[1]:
        scale = max(SIZE[0] / w, SIZE[1] / h)
    img = img.resize((max(SIZE[0], round(w * scale)), max(SIZE[1], round(h * scale))), Image.BOX if scale < 1 else Image.BICUBIC)
    w, h = img.size
    nx, ny = max(1, w // SIZE[0]), max(1, h // SIZE[1])
    boxes = []
    for j in range(ny):
        for i in range(nx):
            x = (w - nx * SIZE[0]) // 2 + i * SIZE[0]
            y = (h - ny * SIZE[1]) // 2 + j * SIZE[1]
            boxes.append((x, y, x + SIZE[0], y + SIZE[1]))
    # Spread the chosen crops over the grid.
    step = max(1, len(boxes) // max_crops)
    return [img.crop(b) for b in boxes[::step][:max_crops]]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-crops", type=int, default=3)
    ap.add_argument("--test-every", type=int, default=5)
    ap.add_argument("--size", default="500x375", help="crop size WxH")
    a = ap.parse_args()
    global SIZE
    SIZE = tuple(int(v) for v in a.size.split("x"))
    ref_dir = os.path.join(a.out, "references")
    os.makedirs(ref_dir, exist_ok=True)
    os.makedirs(os.path.join(a.out, "splits"), exist_ok=True)
    train, test = [], []
    for k, (name, load) in enumerate(sources()):
        try:
            img = load()
        except Exception as e:  # an unreadable wallpaper is skipped, not fatal
            print(f"skip {name}: {e}")
            continue
        for c, crop in enumerate(crops(img, a.max_crops)):
            rid = f"{name}_{c}".replace(" ", "_")
            crop.save(os.path.join(ref_dir, rid + ".png"))
            (test if k % a.test_every == a.test_every - 1 else train).append(rid + ".png")
    for split, names in (("train", train), ("test", test)):
        with open(os.path.join(a.out, "splits", f"{split}.csv"), "w") as f:
            f.write("Image Name\n" + "".join(n + "\n" for n in names))
    print(f"{len(train)} training and {len(test)} test references in {ref_dir}")


if __name__ == "__main__":
    main()
