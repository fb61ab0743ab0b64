"""A contact sheet of the two no-user-mask methods of `dataset generate` on real photos: each row
the photo, its spectral-residual mask and its u2netp mask (`miqa segment` for both), for
docs/dataset.md.

    MIQA_HOME=... .build/oracle-venv/bin/python3 tools/dataset/mask_sheet.py [--miqa .build/release/miqa] [--out docs/images/masks_spectral_vs_u2netp.png]
"""
import argparse
import json
import os
import subprocess
import tempfile

from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "MIQATests", "Fixtures")
PHOTOS = ["mobilenet_v2_photos/coffee.jpg", "mobilenet_v2_photos/chelsea.jpg", "yolov3_tiny_photos/horses.jpg",
          "yolov3_tiny_photos/person.jpg", "mobilenet_v2_photos/rocket.jpg"]
ROW = 150


def masks(miqa, model, photos, out):
    r = subprocess.run([miqa, "segment", *photos, "--model", model, "--binary", "--out", out, "--json"],
                       capture_output=True, text=True, check=True)
    return {e["image"]: e for e in json.loads(r.stdout)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--miqa", default=os.path.join(ROOT, ".build", "release", "miqa"))
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "images", "masks_spectral_vs_u2netp.png"))
    args = ap.parse_args()
    photos = [os.path.join(FIXTURES, p) for p in PHOTOS]
    with tempfile.TemporaryDirectory() as work:
        spectral = masks(args.miqa, "spectral-residual", photos, os.path.join(work, "spectral"))
        u2 = masks(args.miqa, "u2netp", photos, os.path.join(work, "u2netp"))
        tiles = []
        for p in photos:
            img = Image.open(p).convert("RGB")
            w = round(img.width * ROW / img.height)
            row = [img.resize((w, ROW), Image.LANCZOS)]
            for m in (spectral[p], u2[p]):
                row.append(Image.open(m["mask"]).convert("RGB").resize((w, ROW), Image.NEAREST))
            tiles.append((row, spectral[p]["foreground_fraction"], u2[p]["foreground_fraction"]))
        width = max(sum(t.width for t in row) + 20 for row, _, _ in tiles) + 10
        header = 24
        sheet = Image.new("RGB", (width, header + len(tiles) * (ROW + 10)), "white")
        draw = ImageDraw.Draw(sheet)
        x0 = 10
        w0 = tiles[0][0][0].width
        for i, title in enumerate(["photo", "spectral-residual", "u2netp"]):
            draw.text((x0 + i * (w0 + 10), 6), title, fill="black")
        for r, (row, fs, fu) in enumerate(tiles):
            x, y = x0, header + r * (ROW + 10)
            for t in row:
                sheet.paste(t, (x, y))
                x += t.width + 10
        sheet.save(args.out)
        print(f"wrote {args.out}")
        for p, (_, fs, fu) in zip(PHOTOS, tiles):
            print(f"{p}: foreground {fs * 100:.1f}% (spectral-residual), {fu * 100:.1f}% (u2netp)")


if __name__ == "__main__":
    main()
