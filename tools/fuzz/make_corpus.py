#!/usr/bin/env python3
"""Writes the seed corpora of the libFuzzer targets (docs/fuzzing.md).

Usage: make_corpus.py OUT_DIR [TARGET ...]

Seeds are small valid files made by the reference libraries themselves (Pillow for images,
torch.save for checkpoints and pickles, safetensors for safetensors, the csv module for the MIQD
CSVs) plus the repository's own test fixtures, so that the fuzzer starts from inputs that reach
deep into each reader. Every seed lands in OUT_DIR/<target>/ under a name that says what it is.
The known crash reproducers (Tests/**/Fixtures/fuzz/) are left out: a seed that crashes would
stop every campaign at start-up; `scripts/fuzz.sh replay` runs those instead.
"""
import collections
import csv
import io
import pickle
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# Fixtures larger than this would slow every execution down for little extra coverage.
MAX_FIXTURE_BYTES = 64 * 1024


def fixture_files(folder, suffixes):
    """Repository fixtures under `folder` with one of `suffixes`, minus the crash reproducers."""
    root = REPO / folder
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and p.suffix.lower() in suffixes and "fuzz" not in p.parts
                  and p.stat().st_size <= MAX_FIXTURE_BYTES)


class Corpus:
    """Collects the seeds of one target, de-duplicated by content."""

    def __init__(self, out, target):
        self.dir = out / target
        self.dir.mkdir(parents=True, exist_ok=True)
        self.seen = set()
        self.count = 0

    def add(self, name, data):
        if data in self.seen:
            return
        self.seen.add(data)
        (self.dir / name).write_bytes(data)
        self.count += 1

    def add_files(self, paths, prefix="fixture_"):
        for p in paths:
            self.add(prefix + p.name, p.read_bytes())


def image_seeds(out):
    import numpy as np
    from PIL import Image

    c = Corpus(out, "FuzzImage")
    rng = np.random.default_rng(9)
    rgb = Image.fromarray(rng.integers(0, 256, (11, 17, 3), dtype=np.uint8), "RGB")
    rgba = Image.fromarray(rng.integers(0, 256, (11, 17, 4), dtype=np.uint8), "RGBA")
    gray = rgb.convert("L")
    variants = {
        "jpg_baseline": (rgb, "JPEG", {"quality": 90}),
        "jpg_progressive": (rgb, "JPEG", {"progressive": True}),
        "jpg_gray": (gray, "JPEG", {}),
        "jpg_cmyk": (rgb.convert("CMYK"), "JPEG", {}),
        "jpg_subsampling444": (rgb, "JPEG", {"subsampling": 0}),
        "png_rgb": (rgb, "PNG", {}),
        "png_rgba": (rgba, "PNG", {}),
        "png_gray": (gray, "PNG", {}),
        "png_la": (rgba.convert("LA"), "PNG", {}),
        "png_palette": (rgb.convert("P"), "PNG", {}),
        "png_1bit": (gray.convert("1"), "PNG", {}),
        "png_16bit": (Image.fromarray(rng.integers(0, 65536, (11, 17), dtype=np.uint16)), "PNG", {}),
        "png_optimized": (rgb, "PNG", {"optimize": True}),
        "webp_lossy": (rgb, "WEBP", {"quality": 80}),
        "webp_lossless": (rgb, "WEBP", {"lossless": True}),
        "webp_alpha": (rgba, "WEBP", {}),
        "bmp_rgb24": (rgb, "BMP", {}),
        "bmp_rgba32": (rgba, "BMP", {}),
        "bmp_pal8": (rgb.convert("P"), "BMP", {}),
        "bmp_gray8": (gray, "BMP", {}),
        "bmp_1bit": (gray.convert("1"), "BMP", {}),
        "tif_raw": (rgb, "TIFF", {}),
        "tif_lzw": (rgb, "TIFF", {"compression": "tiff_lzw"}),
        "tif_packbits": (rgb, "TIFF", {"compression": "packbits"}),
        "tif_deflate": (rgb, "TIFF", {"compression": "tiff_adobe_deflate"}),
        "tif_gray": (gray, "TIFF", {}),
        "tif_cmyk": (rgb.convert("CMYK"), "TIFF", {}),
        "tif_rgba": (rgba, "TIFF", {}),
        "tif_palette": (rgb.convert("P"), "TIFF", {}),
        "gif": (rgb.convert("P"), "GIF", {}),
    }
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "BMP": "bmp", "TIFF": "tif", "GIF": "gif"}
    for name, (image, fmt, options) in variants.items():
        buffer = io.BytesIO()
        image.save(buffer, fmt, **options)
        c.add(f"{name}.{ext[fmt]}", buffer.getvalue())
    c.add_files(fixture_files("Tests/ImagingTests/Fixtures", {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}))
    return c


def state_dicts():
    """Small state dicts covering what the readers interpret: dtypes, views, wrappers, prefixes."""
    import torch

    g = torch.Generator().manual_seed(9)
    base = torch.randn(4, 6, generator=g)
    plain = collections.OrderedDict([
        ("conv.weight", torch.randn(2, 3, 3, 3, generator=g)),
        ("conv.bias", torch.randn(2, generator=g)),
        ("bn.num_batches_tracked", torch.tensor(7)),
    ])
    yield "plain", plain
    yield "dtypes", {
        "f16": torch.randn(3, 2, generator=g).half(), "bf16": torch.randn(3, 2, generator=g).bfloat16(),
        "f64": torch.randn(3, generator=g).double(), "i64": torch.arange(5), "i32": torch.arange(4, dtype=torch.int32),
        "i16": torch.arange(3, dtype=torch.int16), "i8": torch.arange(-2, 2, dtype=torch.int8),
        "u8": torch.arange(6, dtype=torch.uint8), "bool": torch.tensor([True, False, True]),
    }
    # Views sharing one storage: offsets, transposes, stride-0 expansions, scalars, empty tensors.
    yield "views", {
        "full": base, "row": base[1], "column": base[:, 2], "transposed": base.t(), "offset": base[2:, 1:4],
        "expanded": torch.randn(3, 1, generator=g).expand(3, 5), "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 4),
    }
    yield "wrapped_state_dict", {"epoch": 3, "state_dict": plain, "optimizer": {"lr": 0.1, "betas": (0.9, 0.99)}}
    yield "wrapped_model", {"model": plain, "arch": "resnet18"}
    yield "ema", {"state_dict_ema": plain}
    yield "module_prefix", collections.OrderedDict((f"module.{k}", v) for k, v in plain.items())
    yield "extras", {"w": torch.ones(2), "note": "text", "values": [1, 2.5, None, True, b"\x00\x01"], "nested": {"a": (1, 2)}}
    yield "big_endian_like_ints", {"big": torch.tensor([2**40, -(2**40)])}


def checkpoint_seeds(out):
    import torch

    zips, legacies = Corpus(out, "FuzzTorchZip"), Corpus(out, "FuzzTorchLegacy")
    pickles = Corpus(out, "FuzzPickle")
    for name, obj in state_dicts():
        for protocol in (2, 4):
            buffer = io.BytesIO()
            torch.save(obj, buffer, pickle_protocol=protocol)
            zips.add(f"{name}_p{protocol}.pt", buffer.getvalue())
            buffer = io.BytesIO()
            torch.save(obj, buffer, pickle_protocol=protocol, _use_new_zipfile_serialization=False)
            legacies.add(f"{name}_p{protocol}_legacy.pt", buffer.getvalue())
            # The legacy stream starts with back-to-back pickles: a seed for the pickle target too.
            pickles.add(f"{name}_p{protocol}_legacy_stream.pkl", buffer.getvalue())
        # data.pkl on its own: the pickle with persistent ids the zip reader feeds the machine.
        import zipfile
        buffer = io.BytesIO()
        torch.save(obj, buffer)
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
            for member in z.namelist():
                if member.endswith("/data.pkl"):
                    pickles.add(f"{name}_data.pkl", z.read(member))
    # Plain pickles of every protocol with the value kinds the machine knows.
    values = {"int": 1, "big": 2**70, "neg": -(2**33), "float": 0.5, "str": "é", "bytes": b"ab",
              "list": [1, [2, [3]]], "tuple": (1, (2,), ()), "dict": {1: "a", "b": None},
              "bools": [True, False], "od": collections.OrderedDict(a=1), "set": {1, 2}, "frozen": frozenset({3})}
    for protocol in range(0, pickle.HIGHEST_PROTOCOL + 1):
        pickles.add(f"values_p{protocol}.pkl", pickle.dumps(values, protocol=protocol))
    fixtures = fixture_files("Tests/CheckpointsTests/Fixtures", {".pt", ".pth"})
    for p in fixtures:
        data = p.read_bytes()
        (zips if data[:2] == b"PK" else legacies).add("fixture_" + p.name, data)
    return [zips, legacies, pickles]


def safetensors_seeds(out):
    import torch
    from safetensors.torch import save

    c = Corpus(out, "FuzzSafetensors")
    for name, obj in state_dicts():
        tensors = {k: v.contiguous().clone() for k, v in obj.items() if isinstance(v, torch.Tensor)} if isinstance(obj, dict) else {}
        if tensors:
            c.add(f"{name}.safetensors", save(tensors))
            c.add(f"{name}_metadata.safetensors", save(tensors, metadata={"format": "pt", "card": "{\"name\": \"x\"}"}))
    c.add("empty.safetensors", save({}))
    c.add_files(fixture_files("Tests/CheckpointsTests/Fixtures", {".safetensors"}))
    return c


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def csv_seeds(out):
    """FuzzCSV inputs: byte 0 picks the reader (see Sources/FuzzCSV), the rest is the file."""
    c = Corpus(out, "FuzzCSV")
    splits, cls, det, iqa, truth = 0, 1, 2, 3, 4
    consistency, accuracy = 5, 10  # added to the selector: which label the label readers load
    c.add("splits_cls.csv", bytes([splits]) + csv_text(["Image Name", "Class"], [["ILSVRC2012_val_00037809.JPEG", "3"], [" a.png ", ""]]))
    c.add("splits_det.csv", bytes([splits]) + csv_text(["Image Index"], [["532481"], ["7"]]))
    mmos = csv_text(["dist_images", "weighted_consistency", "weighted_accuracy", "mean_consistency"],
                    [["r/r_fog_3.png", "0.5", "0.25", "0.4"], ["r/r, \"quoted\".png", "1e-3", "", "0"]])
    for label in (0, consistency, accuracy):
        c.add(f"mmos_{label}.csv", bytes([cls + label]) + mmos)
    cons = csv_text(["filename", "AP_weighted_avg"], [["a.png", "0.5"], ["b.png", "0.75"]])
    acc = csv_text(["filename", "AP_weighted_avg"], [["a.png", "0.25"], ["b.png", "1"]])
    for label in (0, consistency, accuracy):
        c.add(f"det_pair_{label}.csv", bytes([det + label]) + cons + b"\x00" + acc)
    c.add("det_same.csv", bytes([det]) + cons)
    c.add("iqa_scores.csv", bytes([iqa]) + csv_text(
        ["dist_images", "distortion", "fg_level", "bg_level", "fg_candidate", "bg_candidate", "psnr", "ssim", "ms_ssim"],
        [["r/r_fog_3.png", "fog", "3", "0", "1", "0", "31.5", "0.9", "0.95"], ["r/r_x.png", "x", "1", "1", "0", "0", "inf", "1", ""]]))
    c.add("ground_truth.csv", bytes([truth]) + csv_text(["image", "class_index"], [["ILSVRC2012_val_00000001.JPEG", "65"], ["b", "0"]]))
    c.add("crlf_bom.csv", bytes([cls]) + "\ufeffdist_images,weighted_consistency\r\nx.png,0.5\r\n".encode())
    for p in fixture_files("Tests/MIQATests", {".csv"}):
        for selector in range(5):
            c.add(f"fixture_{selector}_{p.name}", bytes([selector]) + p.read_bytes())
    return c


def darknet_seeds(out):
    """FuzzDarknet inputs: a .cfg text, a NUL, then a .weights file (20-byte header, float32 values)."""
    import struct
    c = Corpus(out, "FuzzDarknet")
    cfg = (b"[net]\nwidth=8\nheight=8\nchannels=3\n\n[convolutional]\nbatch_normalize=1\nfilters=4\nsize=3\nstride=1\npad=1\n"
           b"activation=leaky\n\n[maxpool]\nsize=2\nstride=2\n\n[convolutional]\nfilters=18\nsize=1\nstride=1\npad=1\n"
           b"activation=linear\n\n[yolo]\nmask=0,1\nanchors=2,3,4,5\nclasses=4\nnum=2\n")
    header = struct.pack("<iiiq", 0, 2, 0, 64000)
    needed = 4 + 3 * 4 + 4 * 3 * 9 + 18 + 18 * 4
    values = struct.pack("<%df" % needed, *[(i % 7) / 7 + 0.5 for i in range(needed)])
    c.add("tiny.bin", cfg + b"\x00" + header + values)
    c.add("tiny_short.bin", cfg + b"\x00" + header + values[:-8])
    c.add("tiny_old_header.bin", cfg + b"\x00" + struct.pack("<iiii", 0, 1, 0, 64) + values)
    route = cfg.replace(b"[yolo]", b"[route]\nlayers=-1,-3\n\n[upsample]\nstride=2\n\n[shortcut]\nfrom=-1\n\n[yolo]")
    c.add("route.bin", route + b"\x00" + header + values)
    c.add("cfg_only.bin", cfg)
    for name in ("yolov3-tiny.cfg", "yolov3.cfg"):
        path = Path("/usr/share/darknet/cfg") / name
        if path.exists():
            c.add("debian_" + name, path.read_bytes() + b"\x00" + header + values)
    return c


def onnx_seeds(out):
    """FuzzONNX inputs: the committed ONNX fixtures (torch-exported networks and one-to-few node
    operator graphs, each small enough to run on every execution)."""
    c = Corpus(out, "FuzzONNX")
    c.add_files(fixture_files("Tests/MIQATests/Fixtures/onnx", {".onnx"}))
    return c


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    wanted = set(sys.argv[2:])
    makers = {"FuzzImage": image_seeds, "FuzzTorchZip": checkpoint_seeds, "FuzzTorchLegacy": checkpoint_seeds,
              "FuzzPickle": checkpoint_seeds, "FuzzSafetensors": safetensors_seeds, "FuzzCSV": csv_seeds,
              "FuzzDarknet": darknet_seeds, "FuzzONNX": onnx_seeds}
    unknown = wanted - makers.keys()
    if unknown:
        sys.exit(f"make_corpus: unknown target(s) {', '.join(sorted(unknown))}; one of {', '.join(makers)}")
    done = set()
    for target, maker in makers.items():
        if (wanted and target not in wanted) or maker in done:
            continue
        done.add(maker)
        result = maker(out)
        for corpus in result if isinstance(result, list) else [result]:
            print(f"make_corpus: {corpus.dir}: {corpus.count} seeds")


if __name__ == "__main__":
    main()
