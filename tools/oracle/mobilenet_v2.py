"""torchvision's MobileNetV2 in plain PyTorch (torchvision itself does not import here), with the
original parameter names, so that the real `mobilenet_v2-b0353104.pth` loads with strict=True.

Facts it relies on (torchvision `models/mobilenetv2.py`, the architecture of the published
ImageNet weights):
- channels `make_divisible(c * width_mult, 8)` (the same rule as EfficientNet's); the stem is
  `make_divisible(32 * width_mult)`, the last conv `make_divisible(1280 * max(1, width_mult))`,
  so narrower models keep a 1280-wide head;
- `features.0` = conv3x3 stride 2 -> BN -> ReLU6 (keys `.0` conv, `.1` BN); no conv has a bias;
- `features.1..17` = inverted residual blocks from the (t, c, n, s) table, stride on a stage's
  first block only; hidden width `round(in * t)`; keys under `.conv`:
  t == 1: `conv.0` = depthwise 3x3 ConvBNReLU6 (`conv.0.0`, `conv.0.1`), `conv.1` = 1x1
  projection, `conv.2` = its BN;
  t != 1: `conv.0` = 1x1 expand ConvBNReLU6, `conv.1` = depthwise, `conv.2` = projection,
  `conv.3` = BN; no activation after the projection; skip `x + block(x)` iff stride 1 and in == out;
- `features.18` = conv1x1 -> BN -> ReLU6 to the last width; global average pool; `classifier` =
  Dropout(0.2) (identity in eval) -> Linear (`classifier.1`);
- padding `(k - 1) // 2`; BatchNorm eps 1e-5 (nn.BatchNorm2d's default).

    python3 tools/oracle/mobilenet_v2.py WEIGHTS.pth IMAGE...   # top-5 per image
"""
import sys

import torch
from torch import nn

SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
            (6, 320, 1, 1)]


def make_divisible(v, divisor=8):
    """Nearest multiple of `divisor`, at least `divisor`, never more than 10 % below `v`."""
    new = max(divisor, int(v + divisor / 2) // divisor * divisor)
    if new < 0.9 * v:
        new += divisor
    return new


def conv_bn_relu6(cin, cout, kernel, stride=1, groups=1):
    """Conv (no bias) -> BatchNorm -> ReLU6, keys `.0` and `.1` as torchvision's ConvBNReLU."""
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride, (kernel - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6(inplace=False))


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = int(round(cin * expand))
        self.use_skip = stride == 1 and cin == cout
        layers = []
        if expand != 1:
            layers.append(conv_bn_relu6(cin, hidden, 1))
        layers += [conv_bn_relu6(hidden, hidden, 3, stride, groups=hidden),
                   nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.use_skip else self.conv(x)


class MobileNetV2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        width = cfg.get("width_mult", 1.0)
        cin = make_divisible(32 * width)
        last = make_divisible(1280 * max(1.0, width))
        layers = [conv_bn_relu6(3, cin, 3, stride=2)]
        for t, c, n, s in SETTINGS:
            cout = make_divisible(c * width)
            for i in range(n):
                layers.append(InvertedResidual(cin, cout, s if i == 0 else 1, t))
                cin = cout
        layers.append(conv_bn_relu6(cin, last, 1))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(last, cfg.get("num_outputs", 1000)))

    def forward(self, x):
        x = self.features(x).mean((2, 3))  # adaptive_avg_pool2d(1) + flatten
        return self.classifier(x)


FULL_CONFIG = {"architecture": "mobilenet_v2", "width_mult": 1.0, "num_outputs": 1000}


def load_real(path):
    """The published ImageNet weights (legacy torch pickle, a plain state dict), strict."""
    model = MobileNetV2(FULL_CONFIG).eval()
    sd = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(sd, strict=True)
    return model


def main():
    import os
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from common import IMAGENET_MEAN, IMAGENET_STD, center_crop, resize_shorter, to_tensor
    from PIL import Image

    torch.set_num_threads(2)
    model = load_real(sys.argv[1])
    print(f"{sum(p.numel() for p in model.parameters())} parameters")
    with torch.no_grad():
        for path in sys.argv[2:]:
            img = Image.open(path).convert("RGB")
            x = to_tensor(center_crop(resize_shorter(img, 256), 224), IMAGENET_MEAN, IMAGENET_STD)[None]
            p, i = model(x).softmax(-1)[0].topk(5)
            print(path, [(int(c), round(float(q), 4)) for q, c in zip(p, i)])


if __name__ == "__main__":
    main()
