#!/usr/bin/env python3
"""Fixtures for the WebP, BMP and TIFF decoders: tiny crops of scikit-image's
sample photos written in many layouts, plus what Pillow's
`Image.open(f).convert("RGB")` makes of each (raw HWC uint8 `.rgb` bytes).

Run from the package root:  python3 tools/imaging/make_format_fixtures.py
Writes Tests/ImagingTests/Fixtures/{webp_*,bmp_*,tiff_*} and formats.json.
Kept apart from make_fixtures.py so that the JPEG/PNG fixtures never change
when formats are added.

Layouts Pillow cannot write (4-bit, RLE, top-down, 16-bit and OS/2 BMPs; tiled,
planar and predictor TIFFs) are written by hand or with tifffile; Pillow still
decodes all of them, so it stays the only oracle.
"""
import io
import json
import os
import struct

import numpy as np
import tifffile
from PIL import Image
from skimage import data as skdata

OUT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "ImagingTests", "Fixtures"))
cases = []
chelsea = skdata.chelsea()
coffee = skdata.coffee()
astronaut = skdata.astronaut()


def path(name):
    return os.path.join(OUT, name)


def crop(arr, x, y, w, h):
    return np.ascontiguousarray(arr[y:y + h, x:x + w])


def add(name, note):
    img = Image.open(path(name))
    mode = img.mode
    rgb = np.asarray(img.convert("RGB"), dtype=np.uint8)
    expected = name.rsplit(".", 1)[0] + ".rgb"
    with open(path(expected), "wb") as f:
        f.write(rgb.tobytes())
    cases.append({"file": name, "expected": expected, "width": rgb.shape[1], "height": rgb.shape[0],
                  "pillowMode": mode, "note": note})


alpha = (np.arange(40 * 40).reshape(40, 40) * 7 % 256).astype(np.uint8)
alpha[:3, :3] = 0  # fully transparent corner: its colour must survive

# ---------------------------------------------------------------- WebP (Pillow uses libwebp)
rgb = crop(chelsea, 190, 90, 37, 29)
Image.fromarray(rgb).save(path("webp_lossy_37x29.webp"), "WEBP", quality=80)
add("webp_lossy_37x29.webp", "lossy VP8, odd size (chroma upsampling at edges)")
Image.fromarray(np.dstack([rgb, alpha[:29, :37]]), "RGBA").save(path("webp_lossy_alpha_37x29.webp"), "WEBP", quality=70)
add("webp_lossy_alpha_37x29.webp", "lossy VP8 + ALPH in VP8X: alpha dropped")
Image.fromarray(crop(coffee, 300, 100, 21, 13)).save(path("webp_lossless_21x13.webp"), "WEBP", lossless=True)
add("webp_lossless_21x13.webp", "lossless VP8L")
Image.fromarray(np.dstack([crop(astronaut, 200, 80, 19, 11), alpha[:11, :19]]), "RGBA").save(
    path("webp_lossless_alpha_19x11.webp"), "WEBP", lossless=True, exact=True)
add("webp_lossless_alpha_19x11.webp", "lossless VP8L with alpha (exact): alpha dropped")
Image.fromarray(crop(coffee, 250, 250, 1, 1)).save(path("webp_lossy_1x1.webp"), "WEBP", quality=90)
add("webp_lossy_1x1.webp", "one pixel")

# Not a decode case: animated files are refused (Pillow would read frame 1).
frames = [Image.fromarray(crop(coffee, 10 * i, 0, 8, 6)) for i in range(3)]
frames[0].save(path("webp_animated_8x6.webp"), "WEBP", save_all=True, append_images=frames[1:], duration=100,
               lossless=True)

# ---------------------------------------------------------------- BMP
def bmp(name, width, height, bits, rows, palette=b"", compression=0, header=40, masks=b"", colors=0):
    """BITMAPFILEHEADER + info header (+ masks) + palette + pixel bytes; height < 0 is top-down."""
    if header == 12:
        info = struct.pack("<IHHHH", 12, width, height, 1, bits)
    else:
        info = struct.pack("<IiiHHIIiiII", header, width, height, 1, bits, compression, len(rows), 2835, 2835,
                           colors, 0)
        info += masks + b"\0" * (header - 40 - len(masks))
    offset = 14 + len(info) + len(palette)  # masks after a 40-byte header are part of `info`
    head = b"BM" + struct.pack("<IHHI", offset + len(rows), 0, 0, offset)
    with open(path(name), "wb") as f:
        f.write(head + info + palette + rows)


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def pack_bits(indices, bits):
    per = 8 // bits
    out = bytearray()
    for i in range(0, len(indices), per):
        v = 0
        for j, ix in enumerate(indices[i:i + per]):
            v |= int(ix) << (8 - bits * (j + 1))
        out.append(v)
    return bytes(out)


src = crop(coffee, 200, 150, 23, 14)
Image.fromarray(src).save(path("bmp_rgb24_23x14.bmp"))
add("bmp_rgb24_23x14.bmp", "24-bit, bottom-up, rows padded to 4 bytes (Pillow writer)")
Image.fromarray(src).quantize(colors=200).save(path("bmp_pal8_23x14.bmp"))
add("bmp_pal8_23x14.bmp", "8-bit palette (Pillow writer)")
Image.fromarray(src).convert("L").save(path("bmp_gray8_23x14.bmp"))
add("bmp_gray8_23x14.bmp", "8-bit grayscale palette: Pillow opens as L")
Image.fromarray(src).convert("1").save(path("bmp_1bit_23x14.bmp"))
add("bmp_1bit_23x14.bmp", "1-bit black/white: Pillow opens as 1")

# 1-bit with a coloured palette, 4-bit, top-down, 32-bit, 16-bit, OS/2: hand-written.
q16 = Image.fromarray(src).quantize(colors=16)
idx16 = np.asarray(q16)
pal16 = q16.getpalette()[:48]
bgrx16 = b"".join(bytes([pal16[3 * i + 2], pal16[3 * i + 1], pal16[3 * i], 0]) for i in range(16))
rows4 = b"".join(pad4(pack_bits(idx16[y], 4)) for y in range(13, -1, -1))
bmp("bmp_pal4_23x14.bmp", 23, 14, 4, rows4, bgrx16)
add("bmp_pal4_23x14.bmp", "4-bit palette")
rows4td = b"".join(pad4(pack_bits(idx16[y], 4)) for y in range(14))
bmp("bmp_pal4_topdown_23x14.bmp", 23, -14, 4, rows4td, bgrx16)
add("bmp_pal4_topdown_23x14.bmp", "4-bit palette, top-down (negative height)")
idx2 = (idx16 % 2).astype(np.uint8)
rows1 = b"".join(pad4(pack_bits(idx2[y], 1)) for y in range(13, -1, -1))
bmp("bmp_pal1_colour_23x14.bmp", 23, 14, 1, rows1, bytes([40, 90, 200, 0, 250, 240, 10, 0]))
add("bmp_pal1_colour_23x14.bmp", "1-bit with a coloured two-entry palette")
short_pal = bgrx16[:4 * 10]
rows8short = b"".join(pad4(bytes(idx16[y])) for y in range(13, -1, -1))
bmp("bmp_pal8_short_23x14.bmp", 23, 14, 8, rows8short, short_pal, colors=10)
add("bmp_pal8_short_23x14.bmp", "8-bit, 10-entry palette: indices >= 10 become black")

bgra = np.dstack([src[..., 2], src[..., 1], src[..., 0], alpha[:14, :23]])
bmp("bmp_bgrx32_23x14.bmp", 23, 14, 32, b"".join(bgra[y].tobytes() for y in range(13, -1, -1)))
add("bmp_bgrx32_23x14.bmp", "32-bit BI_RGB: fourth byte ignored")
bmp("bmp_bgra32_v4_topdown_23x14.bmp", 23, -14, 32, b"".join(bgra[y].tobytes() for y in range(14)),
    compression=3, header=108, masks=struct.pack("<IIII", 0xFF0000, 0xFF00, 0xFF, 0xFF000000))
add("bmp_bgra32_v4_topdown_23x14.bmp", "32-bit BITFIELDS BGRA in a V4 header, top-down")
rgba_bytes = np.dstack([src, alpha[:14, :23]])
bmp("bmp_rgba32_v5_23x14.bmp", 23, 14, 32, b"".join(rgba_bytes[y].tobytes() for y in range(13, -1, -1)),
    compression=3, header=124, masks=struct.pack("<IIII", 0xFF, 0xFF00, 0xFF0000, 0xFF000000))
add("bmp_rgba32_v5_23x14.bmp", "32-bit BITFIELDS RGBA order in a V5 header")

r5 = (src[..., 0] >> 3).astype(np.uint16)
g5 = (src[..., 1] >> 3).astype(np.uint16)
g6 = (src[..., 1] >> 2).astype(np.uint16)
b5 = (src[..., 2] >> 3).astype(np.uint16)
p555 = (r5 << 10) | (g5 << 5) | b5
p565 = (r5 << 11) | (g6 << 5) | b5
bmp("bmp_rgb555_23x14.bmp", 23, 14, 16, b"".join(pad4(p555[y].astype("<u2").tobytes()) for y in range(13, -1, -1)))
add("bmp_rgb555_23x14.bmp", "16-bit BI_RGB: 5-5-5")
bmp("bmp_rgb565_23x14.bmp", 23, 14, 16, b"".join(pad4(p565[y].astype("<u2").tobytes()) for y in range(13, -1, -1)),
    compression=3, masks=struct.pack("<III", 0xF800, 0x7E0, 0x1F))
add("bmp_rgb565_23x14.bmp", "16-bit BITFIELDS 5-6-5 (masks after a 40-byte header)")

bgr = src[..., ::-1]
bgr_pal = b"".join(bytes([pal16[3 * i + 2], pal16[3 * i + 1], pal16[3 * i]]) for i in range(16))
bmp("bmp_os2_pal8_23x14.bmp", 23, 14, 8, rows8short, bgr_pal, header=12)
add("bmp_os2_pal8_23x14.bmp", "OS/2 1.x core header, 3-byte palette entries")
bmp("bmp_os2_rgb24_23x14.bmp", 23, 14, 24, b"".join(pad4(bgr[y].tobytes()) for y in range(13, -1, -1)), header=12)
add("bmp_os2_rgb24_23x14.bmp", "OS/2 1.x core header, 24-bit")

# RLE8 / RLE4: runs, absolute runs (with word padding), delta jumps, early end of line.
rle8 = bytearray()
for y in range(13, -1, -1):
    row = idx16[y]
    if y == 5:
        rle8 += bytes([5, row[0], 0, 0])  # end of line after 5 pixels: rest padded with index 0
        continue
    if y == 9:
        rle8 += bytes([3, row[0], 0, 2, 4, 0, 3, row[1], 0, 0])  # delta: skip 4 pixels
        continue
    rle8 += bytes([0, 7]) + bytes(row[:7]) + b"\0"  # absolute run of 7 + pad byte
    x = 7
    while x < 23:
        n = min(5, 23 - x)
        rle8 += bytes([n, row[x]])
        x += n
    rle8 += bytes([0, 0])
rle8 += bytes([0, 1])
bmp("bmp_rle8_23x14.bmp", 23, 14, 8, bytes(rle8), bgrx16, compression=1, colors=16)
add("bmp_rle8_23x14.bmp", "RLE8: encoded runs, absolute runs, delta, short rows")
rle4 = bytearray()
for y in range(13, -1, -1):
    row = idx16[y]
    rle4 += bytes([0, 5]) + pack_bits(row[:5], 4) + b"\0"  # absolute 5 pixels = 3 bytes + pad
    x = 5
    while x < 23:
        n = min(6, 23 - x)
        rle4 += bytes([n, (int(row[x]) << 4) | int(row[x + 1] if x + 1 < 23 else 0)])
        x += n
    rle4 += bytes([0, 0])
rle4 += bytes([0, 1])
bmp("bmp_rle4_23x14.bmp", 23, 14, 4, bytes(rle4), bgrx16, compression=2, colors=16)
add("bmp_rle4_23x14.bmp", "RLE4: alternating-nibble runs and absolute runs")

# ---------------------------------------------------------------- TIFF
t = crop(astronaut, 220, 120, 27, 19)
ta = np.dstack([t, alpha[:19, :27]])
tg = np.asarray(Image.fromarray(t).convert("L"))
for comp, tag in [("raw", "none"), ("tiff_lzw", "lzw"), ("tiff_adobe_deflate", "deflate")]:
    Image.fromarray(t).save(path("tiff_rgb8_%s_27x19.tif" % tag), compression=comp)
    add("tiff_rgb8_%s_27x19.tif" % tag, "8-bit RGB, %s (Pillow writer)" % tag)
Image.fromarray(ta, "RGBA").save(path("tiff_rgba8_lzw_27x19.tif"), compression="tiff_lzw")
add("tiff_rgba8_lzw_27x19.tif", "RGBA, unassociated alpha: dropped, not premultiplied")
Image.fromarray(tg).save(path("tiff_gray8_deflate_27x19.tif"), compression="tiff_adobe_deflate")
add("tiff_gray8_deflate_27x19.tif", "8-bit gray")
Image.fromarray(t).quantize(colors=12).save(path("tiff_pal8_27x19.tif"))
add("tiff_pal8_27x19.tif", "8-bit palette (16-bit colour map, high byte used)")
Image.fromarray(tg).convert("1").save(path("tiff_bilevel_27x19.tif"))
add("tiff_bilevel_27x19.tif", "1-bit bilevel (min-is-white as Pillow writes it)")
tifffile.imwrite(path("tiff_rgb8_bigendian_27x19.tif"), t, byteorder=">", photometric="rgb")
add("tiff_rgb8_bigendian_27x19.tif", "big-endian (MM) file, uncompressed")
tifffile.imwrite(path("tiff_rgb8_tiled_40x35.tif"), crop(chelsea, 100, 100, 40, 35), photometric="rgb",
                 tile=(16, 16), compression="zlib")
add("tiff_rgb8_tiled_40x35.tif", "tiled 16x16 (partial edge tiles), deflate")
tifffile.imwrite(path("tiff_rgb8_planar_27x19.tif"), np.moveaxis(t, 2, 0).copy(), photometric="rgb",
                 planarconfig="separate", rowsperstrip=5)
add("tiff_rgb8_planar_27x19.tif", "planar (separate) RGB, 5 rows per strip")
tifffile.imwrite(path("tiff_rgb8_predictor_27x19.tif"), t, photometric="rgb", compression="zlib", predictor=2,
                 rowsperstrip=7)
add("tiff_rgb8_predictor_27x19.tif", "deflate + horizontal predictor, 7 rows per strip")
tifffile.imwrite(path("tiff_gray8_miniswhite_27x19.tif"), tg, photometric="miniswhite")
add("tiff_gray8_miniswhite_27x19.tif", "8-bit gray, min-is-white")

tifffile.imwrite(path("tiff_rgba8_assoc_27x19.tif"), ta, photometric="rgb", extrasamples=["assocalpha"])
add("tiff_rgba8_assoc_27x19.tif", "associated (premultiplied) alpha: Pillow's RGBa divides it out")
tifffile.imwrite(path("tiff_la8_27x19.tif"), np.dstack([tg, alpha[:19, :27]]), photometric="minisblack",
                 extrasamples=["unassalpha"])
add("tiff_la8_27x19.tif", "gray + unassociated alpha")
Image.fromarray(t).save(path("tiff_rgb8_packbits_27x19.tif"), compression="packbits")
add("tiff_rgb8_packbits_27x19.tif", "PackBits")
Image.fromarray(t).save(path("tiff_multipage_27x19.tif"), save_all=True,
                        append_images=[Image.fromarray(crop(coffee, 0, 0, 27, 19))])
add("tiff_multipage_27x19.tif", "two pages: the first is read")


def tiff_by_hand(name, width, height, bits, photometric, rows, colormap=None):
    """Little-endian, one strip, uncompressed: for bit depths tifffile needs imagecodecs for."""
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, bits), (259, 3, 1, 1),
               (262, 3, 1, photometric), (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, height),
               (279, 4, 1, len(rows))]
    extra = b""
    if colormap is not None:
        entries.append((320, 3, len(colormap), None))
    ifd_size = 2 + 12 * len(entries) + 4
    data_at = 8 + ifd_size
    cmap_at = data_at + len(rows)
    out = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", len(entries))
    for tag, kind, count, value in sorted(entries):
        if tag == 273:
            value = data_at
        if tag == 320:
            value = cmap_at
            extra = struct.pack("<%dH" % len(colormap), *colormap)
        if kind == 3 and count == 1:
            out += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    out += struct.pack("<I", 0) + rows + extra
    with open(path(name), "wb") as f:
        f.write(out)


idx4 = np.asarray(Image.fromarray(t).quantize(colors=16))
rng = np.random.RandomState(7)
cmap = [int(v) for v in rng.randint(0, 65536, 3 * 16)]
tiff_by_hand("tiff_pal4_27x19.tif", 27, 19, 4, 3, b"".join(pack_bits(idx4[y], 4) for y in range(19)), cmap)
add("tiff_pal4_27x19.tif", "4-bit palette, rows padded to a byte")
g2 = (tg >> 6).astype(np.uint8)
tiff_by_hand("tiff_gray2_27x19.tif", 27, 19, 2, 1, b"".join(pack_bits(g2[y], 2) for y in range(19)))
add("tiff_gray2_27x19.tif", "2-bit gray: Pillow scales by 85")
g4 = (tg >> 4).astype(np.uint8)
tiff_by_hand("tiff_gray4_miniswhite_27x19.tif", 27, 19, 4, 0, b"".join(pack_bits(g4[y], 4) for y in range(19)))
add("tiff_gray4_miniswhite_27x19.tif", "4-bit gray, min-is-white")

# JPEG-in-TIFF (YCbCr) goes through libtiff's RGBA interface, in Pillow as in our decoder.
Image.fromarray(crop(chelsea, 100, 100, 40, 32)).save(path("tiff_jpeg_40x32.tif"), compression="jpeg", quality=90)
add("tiff_jpeg_40x32.tif", "JPEG-compressed TIFF (YCbCr): libtiff's RGBA path")

with open(path("formats.json"), "w") as f:
    json.dump({"decode": cases}, f, indent=1)
size = sum(os.path.getsize(path(c["file"])) + os.path.getsize(path(c["expected"])) for c in cases)
print("wrote %d cases, %.1f KB" % (len(cases), size / 1024))
