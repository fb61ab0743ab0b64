#!/usr/bin/env python3
"""Writes the checkpoint fixtures for the readers' limits (Tests/CheckpointsTests/Fixtures/limits/).

Each starts as a real torch.save file, so only the property under test is
unusual:
  expanded_ok.pt        a stride-0 view (torch.ones(3).expand(4, 3)) and a
                        transposed one: legitimate, must load with torch's values
  extras_globals.pt     a state dict next to an argparse.Namespace and a numpy
                        scalar: the tensors load, the two globals are reported
  zip_size_lie.pt       the zip directory claims 2 GiB for a storage entry of a
                        1 KB file: refused before anything is allocated

Expected values go to expected.json as float32 bit patterns.
Usage: .build/oracle-venv/bin/python3 tools/checkpoints/make_hostile_fixtures.py
"""
import argparse
import collections
import json
import os
import struct

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "CheckpointsTests", "Fixtures", "limits")


def bits(t):
    flat = t.detach().contiguous().reshape(-1).to(torch.float32).numpy()
    return [int(b) for b in flat.view(np.uint32)]


def describe(tensors):
    return [{"name": k, "shape": list(v.shape), "bits": bits(v)} for k, v in tensors.items()]


def lie_about_entry_size(path, entry_suffix, claimed):
    """Rewrites the central-directory and local-header sizes of one stored entry."""
    data = bytearray(open(path, "rb").read())
    name_hits = 0
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            break
        name_len, extra_len = struct.unpack_from("<HH", data, pos + 28)
        name = bytes(data[pos + 46:pos + 46 + name_len]).decode()
        if name.endswith(entry_suffix):
            struct.pack_into("<II", data, pos + 20, claimed, claimed)  # compressed, uncompressed
            local = struct.unpack_from("<I", data, pos + 42)[0]
            struct.pack_into("<II", data, local + 18, claimed, claimed)
            name_hits += 1
        pos += 46 + name_len + extra_len
    assert name_hits == 1, name_hits
    open(path, "wb").write(bytes(data))


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}

    base = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    expanded = collections.OrderedDict(
        [("ones_expanded", torch.tensor([1.0, -2.0, 0.5]).expand(4, 3)), ("transposed", base.t())])
    assert expanded["ones_expanded"].stride() == (0, 1)
    torch.save(expanded, os.path.join(OUT, "expanded_ok.pt"))
    expected["expanded_ok.pt"] = describe(expanded)

    sd = collections.OrderedDict([("w", torch.tensor([0.25, 4.0]))])
    torch.save({"state_dict": sd, "args": argparse.Namespace(lr=0.1), "best": np.float64(0.5)},
               os.path.join(OUT, "extras_globals.pt"))
    expected["extras_globals.pt"] = describe(sd)

    path = os.path.join(OUT, "zip_size_lie.pt")
    torch.save({"w": torch.tensor([1.0, 2.0])}, path)
    lie_about_entry_size(path, "/data/0", 1 << 31)

    with open(os.path.join(OUT, "expected.json"), "w") as out:
        json.dump(expected, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
