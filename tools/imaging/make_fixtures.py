#!/usr/bin/env python3
"""Create the Imaging test fixtures: small images cut from scikit-image's sample
photos, and what Pillow makes of them (decoded pixels, resize results, the
torchvision-style eval pipeline). Pillow is the oracle; the Swift code must match it.

Run from the package root:  python3 tools/imaging/make_fixtures.py
Writes Tests/ImagingTests/Fixtures/{*.png,*.jpg,*.rgb,*.f32,index.json}.

Storage: decoded pixels are raw RGB bytes (.rgb, HWC uint8) so the decoder is
checked against bytes that no PNG decoder touched. Larger expected images
(resize / crop results) are stored as Pillow-written RGB PNGs to stay small;
the Swift tests read them with the decoder already verified against the .rgb files.
"""
import io
import json
import os
import struct
import zlib

import numpy as np
from PIL import Image, ImageFilter
from skimage import data as skdata

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ImagingTests", "Fixtures")
OUT = os.path.normpath(OUT)
os.makedirs(OUT, exist_ok=True)
index = {"decode": [], "resize": [], "crop": [], "pipeline": [], "normalize": [], "encode": []}

chelsea = skdata.chelsea()      # 300x451 cat
coffee = skdata.coffee()        # 400x600 cup
astronaut = skdata.astronaut()  # 512x512


def path(name):
    return os.path.join(OUT, name)


def save_rgb(name, img):
    """Raw HWC uint8 bytes of a PIL RGB image."""
    arr = np.asarray(img.convert("RGB"), dtype=np.uint8)
    with open(path(name), "wb") as f:
        f.write(arr.tobytes())
    return arr


# ---------------------------------------------------------------- PNG writer
# Pillow cannot write 16-bit RGB, low bit depths or interlaced PNGs, so those
# are written here by hand (filter type 0 everywhere; libpng's own unfiltering
# is exercised by the Pillow-written files, which use adaptive filters).
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def chunk(kind, payload):
    body = kind + payload
    return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def pack_rows(samples, depth):
    """samples: (h, w, c) integer array -> list of packed row bytes."""
    rows = []
    for row in samples:
        flat = row.reshape(-1)
        if depth == 16:
            rows.append(flat.astype(">u2").tobytes())
        elif depth == 8:
            rows.append(flat.astype(np.uint8).tobytes())
        else:
            per = 8 // depth
            padded = np.zeros(((len(flat) + per - 1) // per) * per, dtype=np.uint8)
            padded[: len(flat)] = flat
            packed = np.zeros(len(padded) // per, dtype=np.uint8)
            for i in range(per):
                packed |= (padded[i::per] << (8 - depth * (i + 1))).astype(np.uint8)
            rows.append(packed.tobytes())
    return rows


def write_png(name, samples, color_type, depth, palette=None, trns=None, interlace=False, gamma=None):
    h, w = samples.shape[:2]
    out = b"\x89PNG\r\n\x1a\n"
    out += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 1 if interlace else 0))
    if gamma is not None:
        out += chunk(b"gAMA", struct.pack(">I", gamma))
    if palette is not None:
        out += chunk(b"PLTE", bytes(palette))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    raw = b""
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    for x0, y0, dx, dy in passes:
        sub = samples[y0::dy, x0::dx]
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            continue
        for r in pack_rows(sub, depth):
            raw += b"\x00" + r
    out += chunk(b"IDAT", zlib.compress(raw, 9))
    out += chunk(b"IEND", b"")
    with open(path(name), "wb") as f:
        f.write(out)


def add_decode(name, note):
    img = Image.open(path(name))
    mode = img.mode
    rgb = img.convert("RGB")
    if rgb.width * rgb.height > 10000:
        # Big photos: lossless PNG keeps the fixture set small; see module docstring.
        expected = name.rsplit(".", 1)[0] + ".expected.png"
        rgb.save(path(expected), format="PNG")
    else:
        expected = name.rsplit(".", 1)[0] + ".rgb"
        save_rgb(expected, rgb)
    index["decode"].append({"file": name, "expected": expected, "width": rgb.width, "height": rgb.height,
                            "pillowMode": mode, "note": note})


def crop(arr, x, y, w, h):
    return np.ascontiguousarray(arr[y:y + h, x:x + w])


# ---------------------------------------------------------------- PNG fixtures
def pil_png(name, img, **kw):
    img.save(path(name), format="PNG", **kw)


pil_png("png_rgb8_7x9.png", Image.fromarray(crop(chelsea, 200, 100, 7, 9)))
add_decode("png_rgb8_7x9.png", "8-bit RGB, Pillow writer (adaptive filters)")
# Blurred so that its 7x upscale (a required resize case) compresses to a small PNG.
pil_png("png_rgb8_289x40.png", Image.fromarray(crop(chelsea, 0, 0, 289, 40)).filter(ImageFilter.GaussianBlur(3)))
add_decode("png_rgb8_289x40.png", "8-bit RGB, wide strip")
pil_png("png_rgb8_1x13.png", Image.fromarray(crop(astronaut, 250, 100, 1, 13)))
add_decode("png_rgb8_1x13.png", "one column")
pil_png("png_rgb8_13x1.png", Image.fromarray(crop(astronaut, 100, 250, 13, 1)))
add_decode("png_rgb8_13x1.png", "one row")

rgb = crop(astronaut, 180, 60, 20, 15)
alpha = (np.arange(20 * 15).reshape(15, 20) * 7 % 256).astype(np.uint8)
pil_png("png_rgba8_20x15.png", Image.fromarray(np.dstack([rgb, alpha]), "RGBA"))
add_decode("png_rgba8_20x15.png", "RGBA: alpha must be dropped, not composited")

gray = np.asarray(Image.fromarray(crop(chelsea, 150, 80, 31, 17)).convert("L"))
pil_png("png_gray8_31x17.png", Image.fromarray(gray, "L"))
add_decode("png_gray8_31x17.png", "8-bit gray")
pil_png("png_la8_16x12.png", Image.fromarray(np.dstack([gray[:12, :16], alpha[:12, :16]]), "LA"))
add_decode("png_la8_16x12.png", "gray + alpha")

pal_src = Image.fromarray(crop(coffee, 300, 120, 24, 18)).quantize(colors=16)
pal_src.info["transparency"] = bytes([0, 128, 255, 64])
pil_png("png_palette_trns_24x18.png", pal_src, transparency=bytes([0, 128, 255, 64]))
add_decode("png_palette_trns_24x18.png", "4-bit palette with tRNS (expands to RGBA in libpng)")

# 16-bit and low-bit-depth images, hand-written.
c16 = crop(coffee, 60, 60, 19, 11).astype(np.uint16) * 257 + (np.arange(19 * 11 * 3).reshape(11, 19, 3) * 37 % 257).astype(np.uint16)
write_png("png_rgb16_19x11.png", c16, 2, 16)
add_decode("png_rgb16_19x11.png", "16-bit RGB: Pillow keeps the high byte")
a16 = (alpha[:11, :19].astype(np.uint16) * 257)
write_png("png_rgba16_19x11.png", np.dstack([c16, a16]), 6, 16)
add_decode("png_rgba16_19x11.png", "16-bit RGBA")
g16 = (np.arange(23 * 9).reshape(9, 23) * 3).astype(np.uint16)  # 0..618: straddles 255
g16[0, :4] = [65535, 256, 255, 254]
write_png("png_gray16_23x9.png", g16[..., None], 0, 16)
add_decode("png_gray16_23x9.png", "16-bit gray: Pillow opens as I;16 and clamps to 255 in convert('RGB')")
write_png("png_la16_10x6.png", np.dstack([gray[:6, :10].astype(np.uint16) * 257 + 3, a16[:6, :10]]), 4, 16)
add_decode("png_la16_10x6.png", "16-bit gray + alpha")
write_png("png_gray4_21x7.png", (gray[:7, :21] >> 4)[..., None], 0, 4)
add_decode("png_gray4_21x7.png", "4-bit gray")
write_png("png_gray2_13x5.png", (gray[:5, :13] >> 6)[..., None], 0, 2)
add_decode("png_gray2_13x5.png", "2-bit gray")
write_png("png_gray1_11x6.png", (gray[:6, :11] >> 7)[..., None], 0, 1, trns=struct.pack(">H", 1))
add_decode("png_gray1_11x6.png", "1-bit gray with tRNS")
write_png("png_interlaced_rgb8_33x21.png", crop(chelsea, 120, 40, 33, 21), 2, 8, interlace=True, gamma=100000)
add_decode("png_interlaced_rgb8_33x21.png", "Adam7 interlaced, gAMA 1.0 (gamma must be ignored)")
write_png("png_interlaced_rgba8_9x5.png", np.dstack([crop(coffee, 10, 10, 9, 5), alpha[:5, :9]]), 6, 8, interlace=True)
add_decode("png_interlaced_rgba8_9x5.png", "Adam7 interlaced RGBA, tiny (empty passes)")
pal = np.asarray(pal_src)  # indices
write_png("png_interlaced_palette8_24x18.png", pal[..., None], 3, 8,
          palette=pal_src.getpalette()[: 3 * 16], trns=bytes([0, 128]), interlace=True)
add_decode("png_interlaced_palette8_24x18.png", "8-bit palette, interlaced, short tRNS")

# ---------------------------------------------------------------- JPEG fixtures
def pil_jpeg(name, img, note, **kw):
    img.save(path(name), format="JPEG", **kw)
    add_decode(name, note)


big = Image.fromarray(crop(coffee, 100, 50, 400, 300))
pil_jpeg("jpeg_baseline_400x300.jpg", big, "baseline 4:2:0 q85", quality=85)
pil_jpeg("jpeg_progressive_123x77.jpg", Image.fromarray(crop(astronaut, 150, 30, 123, 77)), "progressive",
         quality=80, progressive=True)
pil_jpeg("jpeg_gray_64x48.jpg", Image.fromarray(crop(chelsea, 100, 100, 64, 48)).convert("L"), "grayscale")
pil_jpeg("jpeg_cmyk_40x30.jpg", Image.fromarray(crop(coffee, 200, 200, 40, 30)).convert("CMYK"),
         "CMYK with Adobe marker (inverted)", quality=90)
pil_jpeg("jpeg_444_7x9.jpg", Image.fromarray(crop(chelsea, 210, 90, 7, 9)), "4:4:4", subsampling=0)
pil_jpeg("jpeg_422_289x40.jpg", Image.fromarray(crop(coffee, 150, 180, 289, 40)), "4:2:2 wide strip",
         subsampling=1)
pil_jpeg("jpeg_1x13.jpg", Image.fromarray(crop(astronaut, 250, 100, 1, 13)), "one column 4:2:0")
pil_jpeg("jpeg_13x1.jpg", Image.fromarray(crop(astronaut, 100, 250, 13, 1)), "one row 4:2:0")

# ---------------------------------------------------------------- resize fixtures
def rgb_of(name):
    return Image.open(path(name)).convert("RGB")


def add_resize(source, w, h, method="bilinear"):
    img = rgb_of(source)
    res = img.resize((w, h), {"bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC, "lanczos": Image.LANCZOS}[method])
    out = "resize_%s_%s_%dx%d.png" % (method, source.rsplit(".", 1)[0], w, h)
    res.save(path(out), format="PNG")
    index["resize"].append({"source": source, "method": method, "width": w, "height": h, "expected": out})


for src, w, h in [
    ("png_rgb8_7x9.png", 288, 370),          # strong upscale (torchvision shorter side 288)
    ("png_rgb8_289x40.png", 2080, 288),      # shorter side 288 of 289x40
    ("jpeg_baseline_400x300.jpg", 384, 288), # the common eval case
    ("jpeg_baseline_400x300.jpg", 37, 23),   # strong antialiased downscale
    ("png_rgb8_289x40.png", 289, 17),        # vertical pass only
    ("png_rgb8_289x40.png", 101, 40),        # horizontal pass only
    ("jpeg_progressive_123x77.jpg", 130, 99),# mild upscale both ways
    ("png_rgb8_1x13.png", 5, 40),
    ("png_rgb8_13x1.png", 3, 7),
    ("jpeg_cmyk_40x30.jpg", 17, 29),
    # Pillow 13 pass order (Pillow#9549): vertical first iff inH - h > 2 * (inW - w) and h < inH.
    ("jpeg_progressive_123x77.jpg", 113, 50),  # dy 27 > 2 * dx 20: vertical first
    ("jpeg_progressive_123x77.jpg", 113, 57),  # dy 20 == 2 * dx: tie, horizontal first
    ("jpeg_progressive_123x77.jpg", 113, 56),  # dy 21 > 20: vertical first
    ("png_rgb8_289x40.png", 311, 13),          # up in x, down in y: vertical first
]:
    add_resize(src, w, h)
add_resize("jpeg_progressive_123x77.jpg", 80, 100, "bicubic")
add_resize("png_rgb8_7x9.png", 30, 40, "bicubic")
add_resize("jpeg_baseline_400x300.jpg", 61, 45, "bicubic")
add_resize("jpeg_progressive_123x77.jpg", 120, 30, "bicubic")  # vertical first
# rembg's u2netp input (any size to 320x320) and its mask back to the photo's size.
add_resize("jpeg_baseline_400x300.jpg", 320, 320, "lanczos")
add_resize("jpeg_baseline_400x300.jpg", 37, 29, "lanczos")
add_resize("png_rgb8_7x9.png", 30, 40, "lanczos")


# ---------------------------------------------------------------- torchvision-style pipeline (numpy + PIL)
def tv_resize(img, size):
    """torchvision F.resize(img, size:int) for PIL images, BILINEAR."""
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    new_w, new_h = (new_short, new_long) if w <= h else (new_long, new_short)
    if (new_w, new_h) == (w, h):
        return img
    return img.resize((new_w, new_h), Image.BILINEAR)


def tv_center_crop(img, cw, ch):
    """torchvision F.center_crop for PIL images (zero padding when too small)."""
    w, h = img.size
    if cw > w or ch > h:
        pl = (cw - w) // 2 if cw > w else 0
        pt = (ch - h) // 2 if ch > h else 0
        pr = (cw - w + 1) // 2 if cw > w else 0
        pb = (ch - h + 1) // 2 if ch > h else 0
        padded = Image.new("RGB", (w + pl + pr, h + pt + pb), (0, 0, 0))
        padded.paste(img, (pl, pt))
        img = padded
        w, h = img.size
        if (cw, ch) == (w, h):
            return img
    top = int(round((h - ch) / 2.0))
    left = int(round((w - cw) / 2.0))
    return img.crop((left, top, left + cw, top + ch))


def to_tensor_normalize(img, mean, std):
    """ToTensor() + Normalize(): float32 (v / 255 - mean) / std, CHW."""
    x = np.asarray(img, dtype=np.uint8).transpose(2, 0, 1).astype(np.float32) / np.float32(255)
    m = np.asarray(mean, dtype=np.float32)[:, None, None]
    s = np.asarray(std, dtype=np.float32)[:, None, None]
    return (x - m) / s


PRESETS = {"imagenet": ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)), "half": ((0.5,) * 3, (0.5,) * 3)}

try:  # Cross-check the numpy normalisation against torch's ops when torch is around.
    import torch
    probe = Image.fromarray(np.arange(256 * 3, dtype=np.uint16).reshape(16, 16, 3).astype(np.uint8))
    for mean, std in PRESETS.values():
        t = torch.from_numpy(np.asarray(probe).copy()).permute(2, 0, 1).float().div(255)
        t = t.sub_(torch.as_tensor(mean)[:, None, None]).div_(torch.as_tensor(std)[:, None, None])
        assert np.array_equal(t.numpy(), to_tensor_normalize(probe, mean, std)), "numpy != torch"
    print("numpy normalisation matches torch bit for bit")
except ImportError:
    pass

# The per-value tables: the normalised tensor is a pure per-channel function of
# the uint8 geometry output, so tensor == table[c][geometry]; stored once per preset.
for preset, (mean, std) in PRESETS.items():
    ramp = Image.fromarray(np.repeat(np.arange(256, dtype=np.uint8)[None, :, None], 3, axis=2))
    table = to_tensor_normalize(ramp, mean, std).reshape(3, 256)
    fname = "normalize_%s.f32" % preset
    table.astype("<f4").tofile(path(fname))
    index["normalize"].append({"preset": preset, "expected": fname})

for source, preset, size, cropsz, full in [
    ("jpeg_baseline_400x300.jpg", "imagenet", 288, 224, True),
    ("png_rgb8_1x13.png", "half", 288, 288, False),
    ("png_rgb8_289x40.png", "imagenet", 288, 224, False),
    ("png_rgb8_7x9.png", "half", 288, 224, False),
    ("jpeg_cmyk_40x30.jpg", "imagenet", 288, 224, False),
    ("png_rgba8_20x15.png", "imagenet", 288, 288, False),
]:
    mean, std = PRESETS[preset]
    geo = tv_center_crop(tv_resize(rgb_of(source), size), cropsz, cropsz)
    stem = "pipeline_%s_%s_%d_%d" % (source.rsplit(".", 1)[0], preset, size, cropsz)
    entry = {"source": source, "preset": preset, "size": size, "crop": cropsz}
    if not full:
        geo.save(path(stem + ".png"), format="PNG")
        entry["geometry"] = stem + ".png"
    else:
        to_tensor_normalize(geo, mean, std).astype("<f4").tofile(path(stem + ".f32"))
        entry["tensor"] = stem + ".f32"
    index["pipeline"].append(entry)

# Center crops on their own: zero padding and Python's round-half-to-even offset.
for source, cw, ch in [("png_rgb8_7x9.png", 12, 5), ("png_rgb8_289x40.png", 224, 30),
                       ("png_rgb8_7x9.png", 10, 14), ("png_rgb8_13x1.png", 4, 3)]:
    res = tv_center_crop(rgb_of(source), cw, ch)
    out = "crop_%s_%dx%d.rgb" % (source.rsplit(".", 1)[0], cw, ch)
    save_rgb(out, res)
    index["crop"].append({"source": source, "width": cw, "height": ch, "expected": out})

# ---------------------------------------------------------------- encoder reference
enc_src = Image.fromarray(crop(chelsea, 180, 60, 64, 48))
save_rgb("encode_source_64x48.rgb", enc_src)
for q in (75, 90):
    name = "encode_pillow_q%d_64x48.jpg" % q
    enc_src.save(path(name), format="JPEG", quality=q)
    save_rgb(name + ".rgb", Image.open(path(name)))
    index["encode"].append({"source": "encode_source_64x48.rgb", "width": 64, "height": 48, "quality": q,
                            "pillowJPEG": name, "pillowDecoded": name + ".rgb"})

with open(path("not_an_image.jpg"), "w") as f:
    f.write("<html><body>404 Not Found</body></html>\n")

with open(path("index.json"), "w") as f:
    json.dump(index, f, indent=1)
total = sum(os.path.getsize(path(n)) for n in os.listdir(OUT))
print("wrote %d files, %.1f KB" % (len(os.listdir(OUT)), total / 1024))
