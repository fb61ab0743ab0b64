"""Random small RLE8/RLE4 BMPs (runs, end-of-line, deltas, end-of-bitmap, absolute runs, cut
short at random) with what Pillow 13.0.0 makes of each: the RGB bytes of convert("RGB"), or the
error. The Swift test decodes every file and must agree (same pixels, or also an error).

    /work/main/.build/oracle-venv/bin/python3 rle_cases.py > rle_cases.json
"""
import base64
import io
import json
import random
import struct
import sys

import PIL
from PIL import Image


def bmp(w, h, bits, comp, data, rng):
    palette = b"".join(bytes(rng.randrange(256) for _ in range(3)) + b"\0" for _ in range(1 << bits))
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, bits, comp, len(data), 0, 0, 0, 0)
    offset = 14 + 40 + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(data), 0, 0, offset) + info + palette + data


def commands(rng, four):
    out = b""
    for _ in range(rng.randint(1, 12)):
        r = rng.random()
        if r < 0.45:
            out += bytes([rng.randint(1, 12), rng.randrange(256)])    # encoded run
        elif r < 0.6:
            out += b"\0\0"                                             # end of line
        elif r < 0.7:
            out += b"\0\2" + bytes([rng.randint(0, 4), rng.randint(0, 2)])  # delta
        elif r < 0.75:
            out += b"\0\1"                                             # end of bitmap
        else:
            n = rng.randint(3, 10)
            nb = (n + 1) // 2 if four else n
            out += bytes([0, n]) + bytes(rng.randrange(256) for _ in range(nb)) + (b"\0" if nb % 2 else b"")
    if rng.random() < 0.5:
        out = out[:rng.randint(0, len(out))]                           # cut short
    return out


def main():
    rng = random.Random(9)
    cases = []
    for _ in range(150):
        w, h = rng.randint(1, 9), rng.randint(1, 6)
        four = rng.random() < 0.5
        data = bmp(w, h, 4 if four else 8, 2 if four else 1, commands(rng, four), rng)
        case = {"bmp": base64.b64encode(data).decode()}
        try:
            case["rgb"] = base64.b64encode(Image.open(io.BytesIO(data)).convert("RGB").tobytes()).decode()
        except Exception as e:
            case["error"] = f"{type(e).__name__}: {e}"
        cases.append(case)
    json.dump({"pillow": PIL.__version__, "cases": cases}, sys.stdout, indent=0)
    print()


if __name__ == "__main__":
    main()
