"""Write the tiny-model test fixtures into Tests/MIQATests/Fixtures/models/<name>/.

    python3 tools/oracle/make_fixtures.py [--out Tests/MIQATests/Fixtures/models]

Per fixture: config.json (the model config), model.pth.tar (original checkpoint layout) and
io.safetensors (float32: input, [input_region], output, output_f64, and for efficientnet_lite
input_odd (1,3,37,43) / output_odd / output_odd_static). Everything is seeded; re-running reproduces the
same files (bit-exact on the same torch build).
"""
import argparse
import copy
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import save_checkpoint, write_safetensors  # noqa: E402
from models import build_model, randomize  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))

TINY = {
    "resnet18": ({"architecture": "resnet", "block": "basic", "layers": [1, 2, 1, 1],
                  "widths": [8, 16, 24, 32], "stem_width": 8, "num_outputs": 1}, (33, 45)),
    "resnet50": ({"architecture": "resnet", "block": "bottleneck", "layers": [1, 2, 1, 1],
                  "widths": [8, 12, 16, 24], "stem_width": 8, "num_outputs": 1}, (40, 36)),
    "efficientnet_b1": ({"architecture": "efficientnet", "width_mult": 0.05, "depth_mult": 0.35,
                         "bn_eps": 1e-5, "num_outputs": 1}, (35, 47)),
    "efficientnet_b5": ({"architecture": "efficientnet", "width_mult": 0.05, "depth_mult": 0.5,
                         "bn_eps": 1e-3, "num_outputs": 1}, (38, 32)),
    "vit_small_patch16_224": ({"architecture": "vit", "embed_dim": 32, "depth": 2, "num_heads": 2,
                               "mlp_ratio": 4, "patch_size": 8, "image_size": 32, "num_outputs": 1},
                              (32, 32)),
    "ra_miqa": ({"architecture": "ra_miqa", "embed_dim": 32, "depth": 2, "num_heads": 2, "mlp_ratio": 4,
                 "patch_size": 8, "image_size": 32, "num_outputs": 1,
                 "region": {"embed_dim": 24, "depth": 2, "num_heads": 2, "mlp_ratio": 4, "patch_size": 8,
                            "native_grid": 3, "image_size": 40}}, (32, 32)),
    "efficientnet_lite0": ({"architecture": "efficientnet_lite", "width_mult": 0.05, "depth_mult": 0.5,
                            "image_size": 40, "num_outputs": 4}, (40, 40)),
    "efficientnet_lite1": ({"architecture": "efficientnet_lite", "width_mult": 0.05, "depth_mult": 1.1,
                            "image_size": 36, "num_outputs": 4}, (36, 36)),
    "efficientnet_lite2": ({"architecture": "efficientnet_lite", "width_mult": 0.06, "depth_mult": 0.6,
                            "image_size": 35, "num_outputs": 4}, (35, 35)),
    # Width 0.1 (every stage 8-32 channels; the head stays 1280 wide as in torchvision): the
    # smallest MobileNetV2 with expand-1 and expand-6 blocks, skips and strided odd sizes.
    "mobilenet_v2": ({"architecture": "mobilenet_v2", "width_mult": 0.1, "num_outputs": 4}, (37, 43)),
}
ODD_SIZE = (37, 43)


def rel_err(a, b):
    return ((a - b).abs().max() / b.abs().max().clamp_min(1e-30)).item()


def package_lite(cfg, image_size):
    """The package's own model with the same hyper-parameters (for cross-checking)."""
    from efficientnet_lite_pytorch import EfficientNet as PackageNet
    return PackageNet.from_name("efficientnet-lite0", width_coefficient=cfg["width_mult"],
                                depth_coefficient=cfg["depth_mult"], image_size=image_size,
                                num_classes=cfg["num_outputs"]).eval()


@torch.no_grad()
def make_one(name, cfg, size, out_dir, seed):
    model = randomize(build_model(cfg), seed)
    g = torch.Generator().manual_seed(seed + 1000)
    x = torch.randn((2, 3) + tuple(size), generator=g)
    ins = {"input": x}
    if cfg["architecture"] == "ra_miqa":
        s = cfg["region"]["image_size"]
        ins["input_region"] = torch.randn((2, 3, s, s), generator=g)
    args = [ins["input"]] + ([ins["input_region"]] if "input_region" in ins else [])
    y = model(*args)
    m64 = copy.deepcopy(model).double()
    y64 = m64(*[a.double() for a in args])
    tensors = dict(ins)
    tensors["output"] = y
    tensors["output_f64"] = y64.float()
    print(f"{name:22s} out {tuple(y.shape)} |y|max {y.abs().max().item():.4g}  "
          f"f32 vs f64: max abs {(y.double() - y64).abs().max().item():.3g}, rel {rel_err(y.double(), y64):.3g}")

    if cfg["architecture"] == "efficientnet_lite":
        # package cross-check at the configured size (static padding)
        pk = package_lite(cfg, cfg["image_size"])
        pk.load_state_dict(model.state_dict(), strict=True)
        d = (pk(x) - y).abs().max().item()
        xo = torch.randn((1, 3) + ODD_SIZE, generator=g)
        # odd input, dynamic TF-same padding (from the actual input size)
        dyn_cfg = dict(cfg, image_size=None)
        md = build_model(dyn_cfg)
        md.load_state_dict(model.state_dict(), strict=True)
        yo = md(xo)
        pkd = package_lite(cfg, None)
        pkd.load_state_dict(model.state_dict(), strict=True)
        d2 = (pkd(xo) - yo).abs().max().item()
        # odd input through the static-padding model (pads computed for cfg image_size)
        ys = model(xo)
        d3 = (pk(xo) - ys).abs().max().item()
        yo64 = copy.deepcopy(md).double()(xo.double())
        print(f"{'':22s} package check: static {d:.3g}, odd dynamic {d2:.3g}, odd static {d3:.3g}; "
              f"odd f32 vs f64 rel {rel_err(yo.double(), yo64):.3g}")
        assert max(d, d2, d3) < 1e-5, "efficientnet_lite oracle disagrees with the package"
        tensors.update({"input_odd": xo, "output_odd": yo, "output_odd_static": ys})

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    save_checkpoint(model, os.path.join(out_dir, "model.pth.tar"))
    write_safetensors(os.path.join(out_dir, "io.safetensors"), tensors)
    total = sum(os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir))
    print(f"{'':22s} {out_dir}: {total / 1024:.1f} KiB")
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(REPO, "Tests", "MIQATests", "Fixtures", "models"))
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args()
    torch.set_num_threads(2)
    total = 0
    for i, (name, (cfg, size)) in enumerate(TINY.items()):
        if a.only and name not in a.only:
            continue
        total += make_one(name, cfg, size, os.path.join(a.out, name), seed=1234 + i)
    print(f"total {total / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
