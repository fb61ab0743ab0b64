"""Make a folder of N real-photo JPEGs (500x375, quality 90) for scoring-throughput benchmarks:
random crops of scikit-image's sample photos, resized with PIL. Optionally add symlinked copies
under new names to reach a larger count without more disk.

    python3 tools/bench/make_jpeg_folder.py --out /tmp/jpegs1k --count 1000 [--links-to 10000 --links-out /tmp/jpegs10k]
"""
import argparse
import os
import random

from PIL import Image


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--links-to", type=int, default=0)
    ap.add_argument("--links-out")
    a = ap.parse_args()
    import skimage.data as d
    photos = [Image.fromarray(getattr(d, n)()).convert("RGB") for n in ("astronaut", "chelsea", "coffee", "rocket", "immunohistochemistry", "hubble_deep_field")]
    rng = random.Random(0)
    os.makedirs(a.out, exist_ok=True)
    paths = []
    for i in range(a.count):
        im = photos[i % len(photos)]
        w, h = im.size
        cw, ch = rng.randint(w // 2, w), rng.randint(h // 2, h)
        x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
        p = os.path.join(a.out, f"img_{i:06d}.jpg")
        im.crop((x, y, x + cw, y + ch)).resize((500, 375), Image.BILINEAR).save(p, quality=90)
        paths.append(p)
    if a.links_to:
        os.makedirs(a.links_out, exist_ok=True)
        for i in range(a.links_to):
            dst = os.path.join(a.links_out, f"link_{i:07d}.jpg")
            if not os.path.lexists(dst):
                os.symlink(os.path.abspath(paths[i % len(paths)]), dst)


if __name__ == "__main__":
    main()
