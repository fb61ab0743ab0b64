"""The 289 x 10000 case of the scoring issue: a very tall image through the original's eval
geometry (shorter side to 288 with PIL bilinear and torchvision's size rounding, centre crop 224
with torchvision's offsets). The image is a formula both sides can generate, so only Pillow's
224x224 result is stored (raw RGB, 150 KB).

    python3 tools/imaging/make_tall_fixture.py
"""
import os

import numpy as np
from PIL import Image

W, H = 289, 10000
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ImagingTests", "Fixtures", "tall_289x10000_geometry.rgb")


def pattern():
    # Must match TallImageTests.pattern in Swift: integer arithmetic only.
    y, x = np.mgrid[0:H, 0:W].astype(np.int64)
    r = (x * 7 + y * 3) % 256
    g = (x * x + (y // 5) * 11) % 256
    b = ((x ^ y) * 13 + (y // 97) * 29) % 256
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def main():
    img = Image.fromarray(pattern())
    short, long = W, H
    new_w, new_h = 288, int(288 * long / short)          # torchvision: int(size * long / short)
    r = img.resize((new_w, new_h), Image.BILINEAR)
    top = int(round((new_h - 224) / 2.0))
    left = int(round((new_w - 224) / 2.0))
    crop = np.asarray(r)[top:top + 224, left:left + 224]
    crop.tofile(OUT)
    print(f"resized to {new_w}x{new_h}, crop at ({left}, {top}) -> {OUT}")


if __name__ == "__main__":
    main()
