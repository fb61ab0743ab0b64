"""What Pillow 13.0.0 does with each fuzz reproducer in this folder: decodes it (size and
SHA-256 of `convert("RGB").tobytes()`) or refuses it (exception type and text). Each file is
opened in a child process limited to 2 GB of address space, as the miqa run is, so
`img_abort_rle8_178Mx1.bmp` fails quickly instead of after minutes.

    /work/main/.build/oracle-venv/bin/python3 pillow_verdicts.py > pillow_verdicts.json
"""
import glob
import hashlib
import json
import os
import resource
import subprocess
import sys

CHILD = r'''
import hashlib, json, sys, warnings
warnings.simplefilter("ignore")
from PIL import Image
try:
    im = Image.open(sys.argv[1])
    rgb = im.convert("RGB")
    data = rgb.tobytes()
    # FNV-1a 64 as well: simple enough for the Swift test to recompute without a crypto library.
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    print(json.dumps({"ok": True, "width": rgb.width, "height": rgb.height, "mode": im.mode,
                      "sha256": hashlib.sha256(data).hexdigest(), "fnv1a64": "%016x" % h}))
except Exception as e:
    print(json.dumps({"ok": False, "error": type(e).__name__, "message": str(e)}))
'''


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def main():
    import PIL
    here = os.path.dirname(os.path.abspath(__file__))
    out = {"pillow": PIL.__version__, "files": {}}
    for path in sorted(glob.glob(os.path.join(here, "img_*"))):
        r = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, preexec_fn=limit)
        line = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else json.dumps(
            {"ok": False, "error": "crash", "message": r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""})
        out["files"][os.path.basename(path)] = json.loads(line)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main()
