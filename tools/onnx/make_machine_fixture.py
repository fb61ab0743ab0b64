"""The expected answers of `--machine FILE.onnx` (ONNXClassifierMachine) on real photos, for
`ONNXClassifierMachineTests`: the committed mobilenet_v2_tiny.onnx (dynamic batch, 64x64 input)
fed the photos as torchvision's eval transform makes them with Pillow (shorter side to 73 =
64 x 256 / 224, centre crop 64, ImageNet mean/std; tools/oracle/common.py), run by ONNX Runtime
with graph optimisations off, softmax in float64.

    .build/oracle-venv/bin/python3 tools/onnx/make_machine_fixture.py
"""
import json
import os
import sys

import numpy as np
import onnxruntime as ort
from PIL import Image

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools", "oracle"))
from common import IMAGENET_MEAN, IMAGENET_STD, center_crop, resize_shorter, to_tensor  # noqa: E402

FIXTURES = os.path.join(REPO, "Tests", "MIQATests", "Fixtures")
PHOTOS = ["coffee.jpg", "chelsea.jpg", "rocket.jpg"]


def main():
    model = os.path.join(FIXTURES, "onnx", "mobilenet_v2_tiny.onnx")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])
    batch = np.stack([to_tensor(center_crop(resize_shorter(Image.open(os.path.join(FIXTURES, "mobilenet_v2_photos", p)).convert("RGB"), 73), 64),
                                IMAGENET_MEAN, IMAGENET_STD).numpy() for p in PHOTOS])
    logits = session.run(None, {session.get_inputs()[0].name: batch})[0].astype(np.float64)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = e / e.sum(axis=1, keepdims=True)
    out = {"model": "onnx/mobilenet_v2_tiny.onnx", "resize": 73, "crop": 64, "photos": ["mobilenet_v2_photos/" + p for p in PHOTOS],
           "probabilities": probabilities.tolist()}
    path = os.path.join(FIXTURES, "onnx", "machine_expected.json")
    json.dump(out, open(path, "w"), indent=1)
    print(f"wrote {path}: top-1 {probabilities.argmax(axis=1).tolist()}")


if __name__ == "__main__":
    main()
