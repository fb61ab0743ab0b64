"""Writes the two small reference photos the dataset tests generate a tiny MIQD from.

Crops of scikit-image sample photos (public domain / CC0, shipped with skimage):
- ref_coffee.jpg: 192x180 crop of `coffee`, JPEG quality 90 (>= 176 px per side, so MS-SSIM is defined);
- ref_astronaut.png: 160x128 crop of `astronaut` (below 176 px: MS-SSIM must be left empty);
- ref_astronaut_binary_mask.png: a hand-made 160x128 foreground mask (a centred ellipse) for --masks;
- bad_binary_mask.png: a 100x80 mask, the wrong size for either reference.
Run: python3 tools/dataset/make_fixtures.py
"""
import os
import numpy as np
from PIL import Image
from skimage import data

out = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MIQATests", "Dataset", "Fixtures")
os.makedirs(out, exist_ok=True)

coffee = data.coffee()[150:330, 200:392]
Image.fromarray(coffee).save(os.path.join(out, "ref_coffee.jpg"), quality=90)

astro = data.astronaut()[40:296:2, 100:420:2]  # every other pixel: 128x160
Image.fromarray(np.ascontiguousarray(astro)).save(os.path.join(out, "ref_astronaut.png"))

h, w = astro.shape[:2]
yy, xx = np.mgrid[0:h, 0:w]
ellipse = ((yy - h / 2) / (h * 0.35)) ** 2 + ((xx - w / 2) / (w * 0.3)) ** 2 <= 1
Image.fromarray((ellipse * 255).astype(np.uint8)).save(os.path.join(out, "ref_astronaut_binary_mask.png"))

Image.fromarray(np.zeros((80, 100), np.uint8)).save(os.path.join(out, "bad_binary_mask.png"))
for f in sorted(os.listdir(out)):
    print(f, os.path.getsize(os.path.join(out, f)), Image.open(os.path.join(out, f)).size)
