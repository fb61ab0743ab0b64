"""Helpers shared by the oracle scripts: safetensors writer, checkpoint writer, BN calibration,
and the original evaluation preprocessing (torchvision Resize / CenterCrop semantics on PIL)."""
import json
import math
import struct

import numpy as np
import torch
from torch import nn

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def write_safetensors(path, tensors):
    """tensors: dict name -> torch tensor/ndarray; stored as little-endian float32 ("F32").
    Layout: u64 LE header length, JSON header {name: {dtype, shape, data_offsets:[begin,end]}},
    then the raw bytes (offsets relative to the end of the header)."""
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        a = tensors[name]
        if isinstance(a, torch.Tensor):
            a = a.detach().cpu().numpy()
        a = np.ascontiguousarray(a, dtype="<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)  # pad header with spaces to 8-byte alignment
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        out[k] = np.frombuffer(data[b:e], dtype="<f4").reshape(v["shape"])
    return out


def save_checkpoint(model, path, epoch=1, best_srcc=0.5):
    """The original's checkpoint layout: {'state_dict': {'module.' + key: tensor}, ...}, zip format."""
    sd = {"module." + k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    torch.save({"state_dict": sd, "epoch": epoch, "best_srcc": best_srcc}, path)


def load_checkpoint(model, path):
    ck = torch.load(path, map_location="cpu", weights_only=True)
    sd = ck.get("state_dict", ck)
    sd = {(k[7:] if k.startswith("module.") else k): v for k, v in sd.items()}
    model.load_state_dict(sd, strict=True)
    return model


@torch.no_grad()
def calibrate_bn(model, *inputs, jitter_seed=None):
    """Set every BatchNorm2d's running stats to the batch statistics its input actually has on
    `inputs` (layer by layer, in eval mode), so that random-weight deep CNNs keep O(1)
    activations. Optional jitter (x U(0.8,1.2) on var, +-0.1 std on mean) keeps stats non-trivial."""
    g = torch.Generator().manual_seed(jitter_seed) if jitter_seed is not None else None

    def pre(m, args):
        x = args[0]
        mean = x.mean(dim=(0, 2, 3))
        var = x.var(dim=(0, 2, 3), unbiased=False) + 1e-3
        if g is not None:
            mean = mean + 0.1 * var.sqrt() * torch.randn(mean.shape, generator=g)
            var = var * (0.8 + 0.4 * torch.rand(var.shape, generator=g))
        m.running_mean.copy_(mean)
        m.running_var.copy_(var)

    hooks = [m.register_forward_pre_hook(pre) for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    model.eval()
    model(*inputs)
    for h in hooks:
        h.remove()
    return model


# ---------------------------------------------------------------------------------------------
# torchvision-equivalent eval preprocessing on PIL images
# ---------------------------------------------------------------------------------------------
def resize_shorter(img, size, resample=None):
    """torchvision Resize(size) with an int: shorter side -> size, longer side ->
    int(size * long / short) (truncation), PIL bilinear (PIL's resize filters with support
    scaled by the reduction factor, i.e. antialiased)."""
    from PIL import Image
    if resample is None:
        resample = Image.BILINEAR
    w, h = img.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    nw, nh = (new_short, new_long) if w <= h else (new_long, new_short)
    if (nw, nh) == (w, h):
        return img
    return img.resize((nw, nh), resample)


def center_crop(img, size):
    """torchvision CenterCrop: top = int(round((h - size) / 2.0)), left likewise (Python round =
    round-half-to-even). (Padding for images smaller than the crop is not needed here.)"""
    w, h = img.size
    top = int(round((h - size) / 2.0))
    left = int(round((w - size) / 2.0))
    return img.crop((left, top, left + size, top + size))


def to_tensor(img, mean, std):
    a = np.asarray(img, dtype=np.float32) / 255.0  # ToTensor: uint8 / 255
    t = torch.from_numpy(a).permute(2, 0, 1).contiguous()
    m = torch.tensor(mean, dtype=torch.float32).view(3, 1, 1)
    s = torch.tensor(std, dtype=torch.float32).view(3, 1, 1)
    return (t - m) / s
