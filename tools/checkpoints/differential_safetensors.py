#!/usr/bin/env python3
"""Mutates the safetensors fixtures and checks that `miqa weights inspect`
accepts exactly the files the reference `safetensors` library accepts.

Each mutant edits the JSON header with header-shaped tokens (brackets, digits,
`true`, dtype names, escapes) or cuts/extends the data section; the library
opens it (framework "pt": numpy has no bfloat16) and reads every tensor; then
the release binary inspects it (exit 0 = accept, 2 = refuse, anything else is
a crash). Prints each disagreement or crash and a summary; exit 1 if any.

Usage:
    .build/oracle-venv/bin/python3 tools/checkpoints/differential_safetensors.py [COUNT] [SEED]
(after `swift build -c release --product miqa`). Last run: 7000 mutants, 0 disagreements.
"""
import glob
import os
import random
import struct
import subprocess
import sys
import tempfile

import torch  # noqa: F401  (the pt framework needs it)
from safetensors import safe_open

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MIQA = os.path.join(ROOT, ".build", "release", "miqa")
SOURCES = sorted(glob.glob(os.path.join(ROOT, "Tests", "CheckpointsTests", "Fixtures", "safetensors", "ok_*.safetensors")))
TOKENS = [b"0", b"1", b"8", b"16", b"-1", b"true", b"null", b"[", b"]", b"{", b"}", b",", b":", b'"', b'"a"',
          b"2.0", b"1e1", b" ", b"F16", b"U8", b"BOOL", b"\\u0000", b"99999999999999999999"]


def mutant(rng):
    data = open(rng.choice(SOURCES), "rb").read()
    size = struct.unpack_from("<Q", data)[0]
    header, body = bytearray(data[8:8 + size]), bytes(data[8 + size:])
    for _ in range(rng.randint(1, 3)):
        p = rng.randrange(len(header) + 1)
        r = rng.random()
        if r < 0.4:
            header[p:p + rng.randint(0, 3)] = rng.choice(TOKENS)
        elif r < 0.6:
            del header[p:p + rng.randint(1, 4)]
        elif r < 0.8 and body:
            body = body[:rng.randrange(len(body) + 1)] if rng.random() < 0.5 else body + bytes(rng.choice([1, 2, 4, 8]))
        else:
            header[p:p] = rng.choice(TOKENS)
    return struct.pack("<Q", len(header)) + bytes(header) + body


def library_accepts(path):
    try:
        with safe_open(path, framework="pt") as f:
            for key in f.keys():
                f.get_tensor(key)
        return True
    except Exception:
        return False


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    problems = accepted = 0
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(count):
            path = os.path.join(scratch, f"mutant_{i}.safetensors")
            with open(path, "wb") as out:
                out.write(mutant(rng))
            theirs = library_accepts(path)
            run = subprocess.run([MIQA, "weights", "inspect", path], capture_output=True, text=True, timeout=10)
            accepted += theirs
            if run.returncode not in (0, 2) or (run.returncode == 0) != theirs:
                problems += 1
                kept = os.path.join(tempfile.gettempdir(), f"safetensors_disagreement_{i}.safetensors")
                os.replace(path, kept)
                print(f"{kept}: library {'accepts' if theirs else 'refuses'}, miqa exit {run.returncode}: {run.stderr.strip()[:200]}")
    print(f"{count} mutants, library accepted {accepted}, {problems} disagreements or crashes")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
