"""Gradient-parity fixtures for the Swift training code (Tests/MIQATests/Training/Fixtures/).

    python3 tools/training/make_grad_fixtures.py

For each tiny architecture of tools/oracle/make_fixtures.py, with the weights already stored in
Tests/MIQATests/Fixtures/models/<name>/model.pth.tar (not stored again): train mode (BatchNorm
on batch statistics, momentum as the real model: torchvision 0.1, EfficientNet-B5 and Lite 0.01;
dropout p=0; RA-MIQA's region encoder frozen and in eval mode), one forward on a fixed batch,
MSE loss against fixed targets, backward. Saved per model in <name>.safetensors:
input, [input_region], target, loss, grad.<param> for every trainable parameter, and
running.<buffer> (BatchNorm running statistics after the step).

adamw.safetensors: PyTorch AdamW (lr 1e-4, betas (0.9, 0.999), eps 1e-8, weight decay 1e-4 on
tensors with ndim > 1 that are not biases, none on the rest) on fixed parameters and three
fixed gradients: init.<p>, grad<k>.<p>, after<k>.<p> for k = 1..3.
"""
import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "oracle"))
from common import write_safetensors  # noqa: E402
from make_fixtures import TINY  # noqa: E402
from models import build_model  # noqa: E402

MODELS = os.path.join(REPO, "Tests", "MIQATests", "Fixtures", "models")
OUT = os.path.join(REPO, "Tests", "MIQATests", "Training", "Fixtures")
BATCH = 3


def load_weights(model, name):
    ck = torch.load(os.path.join(MODELS, name, "model.pth.tar"), map_location="cpu", weights_only=True)
    sd = {k[len("module."):] if k.startswith("module.") else k: v for k, v in ck["state_dict"].items()}
    model.load_state_dict(sd, strict=True)


def make_one(name, cfg, size, seed):
    model = build_model(cfg)
    load_weights(model, name)
    model.train()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            lite = cfg["architecture"] == "efficientnet_lite"
            b5 = cfg["architecture"] == "efficientnet" and cfg.get("bn_eps", 1e-5) >= 1e-3
            m.momentum = 0.01 if (lite or b5) else 0.1
        if isinstance(m, nn.Dropout):
            m.p = 0.0
    if cfg["architecture"] == "ra_miqa":
        model.mask_encoder.eval()
        for p in model.mask_encoder.parameters():
            p.requires_grad_(False)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn((BATCH, 3) + tuple(size), generator=g)
    tensors = {"input": x}
    args = [x]
    if cfg["architecture"] == "ra_miqa":
        s = cfg["region"]["image_size"]
        r = torch.randn((BATCH, 3, s, s), generator=g)
        tensors["input_region"] = r
        args.append(r)
    y = model(*args)
    target = torch.randn(y.shape, generator=g)
    loss = nn.functional.mse_loss(y, target)
    loss.backward()
    tensors["target"] = target
    tensors["loss"] = loss.detach().reshape(1)
    n = 0
    for pname, p in model.named_parameters():
        if p.requires_grad and pname != "base_model.pos_embed":  # stored but unused by forward
            assert p.grad is not None, pname
            tensors["grad." + pname] = p.grad
            n += 1
    for bname, b in model.named_buffers():
        if bname.endswith("running_mean") or bname.endswith("running_var"):
            tensors["running." + bname] = b
    path = os.path.join(OUT, name + ".safetensors")
    write_safetensors(path, tensors)
    print(f"{name:22s} loss {loss.item():.6g}  {n} gradients  {os.path.getsize(path) / 1024:.1f} KiB")
    return os.path.getsize(path)


def make_adamw():
    g = torch.Generator().manual_seed(77)
    shapes = {"layer.weight": (8, 4), "layer.bias": (8,), "norm.weight": (8,), "cls_token": (1, 1, 8),
              "conv.weight": (4, 2, 3, 3)}
    params = {k: nn.Parameter(torch.randn(s, generator=g)) for k, s in shapes.items()}
    decay = [p for k, p in params.items() if p.ndim > 1 and not k.endswith(".bias")]
    no_decay = [p for k, p in params.items() if not (p.ndim > 1 and not k.endswith(".bias"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-4}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=1e-4, betas=(0.9, 0.999), eps=1e-8)
    tensors = {"init." + k: p.detach().clone() for k, p in params.items()}
    for step in range(1, 4):
        for k, p in params.items():
            p.grad = torch.randn(p.shape, generator=g) * (10 ** (step - 2))
            tensors[f"grad{step}.{k}"] = p.grad.clone()
        opt.step()
        for k, p in params.items():
            tensors[f"after{step}.{k}"] = p.detach().clone()
    write_safetensors(os.path.join(OUT, "adamw.safetensors"), tensors)


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    total = 0
    for i, (name, (cfg, size)) in enumerate(TINY.items()):
        total += make_one(name, cfg, size, seed=4321 + i)
    make_adamw()
    total += os.path.getsize(os.path.join(OUT, "adamw.safetensors"))
    print(f"total {total / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
