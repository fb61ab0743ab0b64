"""Reference ("oracle") models for the MIQA Swift port, in plain PyTorch (torch.nn only).

Every model is built from a config dict (the same JSON the Swift side reads, see README.md) and its
state_dict() keys are exactly those of the original PyTorch models:

  resnet             torchvision ResNet (BasicBlock / Bottleneck v1.5), head `fc`
  efficientnet       torchvision EfficientNet V1 (features.*, head `classifier`)
  efficientnet_lite  efficientnet_lite_pytorch 0.1.0 (lukemelas names, TF "same" padding)
  vit                timm VisionTransformer (vit_small_patch16_224 structure), head `head`
  ra_miqa            the paper's region-aware model (base_model.*, mask_encoder.*, ...)
  mobilenet_v2       torchvision MobileNetV2 (features.*, classifier.1), in mobilenet_v2.py

build_model(cfg) returns the module in eval mode. forward(x) returns (B, num_outputs);
RAMIQA.forward(x, y) returns (B,).
This file is our own code; facts it relies on are written next to the code and in README.md.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


# --------------------------------------------------------------------------------------------
# ResNet (torchvision layout)
# --------------------------------------------------------------------------------------------
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin, width, stride, downsample):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=False)
        self.conv2 = nn.Conv2d(width, width, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.downsample = downsample

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.relu(y + idt)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, width, stride, downsample):
        super().__init__()
        cout = width * self.expansion
        self.conv1 = nn.Conv2d(cin, width, 1, 1, 0, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        # v1.5: the stride sits on the 3x3 convolution
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, 1, 0, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=False)
        self.downsample = downsample

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + idt)


class ResNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        block = {"basic": BasicBlock, "bottleneck": Bottleneck}[cfg["block"]]
        stem = cfg.get("stem_width", 64)
        widths = cfg.get("widths", [64, 128, 256, 512])
        layers = cfg["layers"]
        self.conv1 = nn.Conv2d(3, stem, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(stem)  # eps 1e-5 (PyTorch default)
        self.relu = nn.ReLU(inplace=False)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        cin = stem
        for i, (w, n) in enumerate(zip(widths, layers)):
            stride = 1 if i == 0 else 2
            blocks = []
            for j in range(n):
                s = stride if j == 0 else 1
                ds = None
                if s != 1 or cin != w * block.expansion:
                    ds = nn.Sequential(nn.Conv2d(cin, w * block.expansion, 1, s, 0, bias=False),
                                       nn.BatchNorm2d(w * block.expansion))
                blocks.append(block(cin, w, s, ds))
                cin = w * block.expansion
            setattr(self, f"layer{i + 1}", nn.Sequential(*blocks))
        self.num_stages = len(layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, cfg.get("num_outputs", 1))

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for i in range(self.num_stages):
            x = getattr(self, f"layer{i + 1}")(x)
        return self.fc(torch.flatten(self.avgpool(x), 1))


# --------------------------------------------------------------------------------------------
# EfficientNet V1 (torchvision layout)
# --------------------------------------------------------------------------------------------
# (expand_ratio, kernel, stride, in_channels, out_channels, layers) of EfficientNet-B0
EFFNET_BASE = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
               (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]


def make_divisible(v, divisor=8, min_value=None):
    """torchvision.models._utils._make_divisible (also TF's round_filters)."""
    if min_value is None:
        min_value = divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:  # never round down by more than 10 %
        new_v += divisor
    return new_v


class ConvNormAct(nn.Sequential):
    """torchvision Conv2dNormActivation: children 0 = conv (no bias), 1 = BN, 2 = activation."""

    def __init__(self, cin, cout, k, stride=1, groups=1, act=True, eps=1e-5):
        layers = [nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
                  nn.BatchNorm2d(cout, eps=eps)]
        if act:
            layers.append(nn.SiLU())
        super().__init__(*layers)


class SqueezeExcitation(nn.Module):
    """torchvision.ops.SqueezeExcitation: avgpool -> fc1 -> SiLU -> fc2 -> sigmoid -> scale."""

    def __init__(self, channels, squeeze):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, squeeze, 1)
        self.fc2 = nn.Conv2d(squeeze, channels, 1)
        self.activation = nn.SiLU()
        self.scale_activation = nn.Sigmoid()

    def forward(self, x):
        s = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return s * x


class MBConv(nn.Module):
    def __init__(self, expand, k, stride, cin, cout, eps):
        super().__init__()
        self.use_res_connect = stride == 1 and cin == cout
        expanded = make_divisible(cin * expand, 8)
        layers = []
        if expanded != cin:
            layers.append(ConvNormAct(cin, expanded, 1, eps=eps))
        layers.append(ConvNormAct(expanded, expanded, k, stride, groups=expanded, eps=eps))
        layers.append(SqueezeExcitation(expanded, max(1, cin // 4)))
        layers.append(ConvNormAct(expanded, cout, 1, act=False, eps=eps))
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        y = self.block(x)
        if self.use_res_connect:
            y = y + x  # StochasticDepth is the identity in eval mode
        return y


def efficientnet_stages(width_mult, depth_mult):
    """Adjusted (expand, kernel, stride, cin, cout, layers) per stage, torchvision MBConvConfig."""
    out = []
    for e, k, s, cin, cout, n in EFFNET_BASE:
        out.append((e, k, s, make_divisible(cin * width_mult), make_divisible(cout * width_mult),
                    int(math.ceil(n * depth_mult))))
    return out


class EfficientNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        eps = cfg.get("bn_eps", 1e-5)
        stages = efficientnet_stages(cfg["width_mult"], cfg["depth_mult"])
        feats = [ConvNormAct(3, stages[0][3], 3, 2, eps=eps)]
        for e, k, s, cin, cout, n in stages:
            blocks = []
            for j in range(n):
                blocks.append(MBConv(e, k, s if j == 0 else 1, cin if j == 0 else cout, cout, eps))
            feats.append(nn.Sequential(*blocks))
        last_in = stages[-1][4]
        feats.append(ConvNormAct(last_in, 4 * last_in, 1, eps=eps))
        self.features = nn.Sequential(*feats)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        # the original replaced the whole classifier Sequential (dropout included) by one Linear
        self.classifier = nn.Linear(4 * last_in, cfg.get("num_outputs", 1))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


# --------------------------------------------------------------------------------------------
# EfficientNet-Lite (layout and behaviour of PyPI efficientnet_lite_pytorch 0.1.0)
# --------------------------------------------------------------------------------------------
# Facts read from efficientnet_lite_pytorch/{model,utils}.py:
#  * block table (TF lite builder) 'r1_k3_s11_e1_i32_o16', 'r2_k3_s22_e6_i16_o24',
#    'r2_k5_s22_e6_i24_o40', 'r3_k3_s22_e6_i40_o80', 'r3_k5_s11_e6_i80_o112',
#    'r4_k5_s22_e6_i112_o192', 'r1_k3_s11_e6_i192_o320'; no SE (no se ratio), id_skip true.
#  * round_filters: c*w -> max(8, int(c*w + 4)//8*8), +8 if that is < 0.9*c*w (same rule as above).
#  * fix_head_stem=True: stem stays 32 channels, head stays 1280 channels; the repeats of the FIRST
#    and LAST stage are not scaled (stay 1); the first stage's input is forced to 32; other
#    stages: repeats = ceil(depth_mult * r).
#  * BN eps 1e-3 (momentum 0.01 in PyTorch terms), activation ReLU6 everywhere (stem, expand,
#    depthwise, head); no activation after the projection BN.
#  * block: [_expand_conv 1x1 + _bn0 + relu6 if expand != 1], _depthwise_conv kxk stride s
#    groups=C + _bn1 + relu6, _project_conv 1x1 + _bn2; skip connection x + inputs when
#    stride == 1 and in == out AND the block is not the first of its stage (see LiteBlock);
#    drop_connect only in training.
#  * convolutions carry no bias; "same" padding is STATIC: computed once at construction from
#    global image_size (the size each block sees: ceil(size / stride) along the way), never from
#    the actual input. pad_total = max((ceil(n/s) - 1)*s + (k - 1)*d + 1 - n, 0), left/top =
#    pad_total // 2, right/bottom = the rest (ZeroPad2d). 1x1 convolutions never pad.
#    With image_size=None the package switches to DYNAMIC padding (same formula from the
#    actual input) -- we support both (cfg image_size null = dynamic).
#  * head: _conv_head 1x1 -> _bn1 -> relu6 -> AdaptiveAvgPool2d(1) -> flatten -> dropout (eval:
#    identity) -> _fc Linear(1280, num_classes) with bias.
LITE_BASE = [(1, 3, 1, 32, 16, 1), (6, 3, 2, 16, 24, 2), (6, 5, 2, 24, 40, 2), (6, 3, 2, 40, 80, 3),
             (6, 5, 1, 80, 112, 3), (6, 5, 2, 112, 192, 4), (6, 3, 1, 192, 320, 1)]


def same_pad(n, k, s, d=1):
    """TF 'SAME' padding along one axis -> (before, after)."""
    total = max((math.ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


class SameConv2d(nn.Conv2d):
    """Conv2d with TF 'same' padding, static (from image_size) or dynamic (image_size None)."""

    def __init__(self, cin, cout, k, stride=1, groups=1, image_size=None):
        super().__init__(cin, cout, k, stride, 0, groups=groups, bias=False)
        self.static_pad = None
        if image_size is not None:
            h, w = image_size
            ph, pw = same_pad(h, k, stride), same_pad(w, k, stride)
            self.static_pad = (pw[0], pw[1], ph[0], ph[1])

    def forward(self, x):
        if self.static_pad is not None:
            pad = self.static_pad
        else:
            k, s = self.kernel_size[0], self.stride[0]
            ph, pw = same_pad(x.shape[-2], k, s), same_pad(x.shape[-1], k, s)
            pad = (pw[0], pw[1], ph[0], ph[1])
        if any(pad):
            x = F.pad(x, pad)
        return F.conv2d(x, self.weight, None, self.stride, 0, 1, self.groups)


def _down(size, s):
    return None if size is None else [int(math.ceil(size[0] / s)), int(math.ceil(size[1] / s))]


class LiteBlock(nn.Module):
    def __init__(self, expand, k, stride, cin, cout, image_size, first_in_stage):
        super().__init__()
        self.expand = expand
        # package quirk: the FIRST block of a stage keeps stride as a list ([1]) and the test
        # `stride == 1` is then False, so it never gets the skip connection, even when its stride
        # is 1 and in == out (never the case for the real lite0-2 widths; tiny widths hit it).
        self.skip = (not first_in_stage) and stride == 1 and cin == cout
        mid = cin * expand
        if expand != 1:
            self._expand_conv = SameConv2d(cin, mid, 1, image_size=image_size)
            self._bn0 = nn.BatchNorm2d(mid, eps=1e-3, momentum=0.01)
        self._depthwise_conv = SameConv2d(mid, mid, k, stride, groups=mid, image_size=image_size)
        self._bn1 = nn.BatchNorm2d(mid, eps=1e-3, momentum=0.01)
        self._project_conv = SameConv2d(mid, cout, 1, image_size=_down(image_size, stride))
        self._bn2 = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)

    def forward(self, x):
        y = x
        if self.expand != 1:
            y = F.relu6(self._bn0(self._expand_conv(y)))
        y = F.relu6(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.skip else y


def lite_blocks(width_mult, depth_mult):
    """List of (expand, k, stride, cin, cout, first_in_stage) per block, package rules."""
    out = []
    last = len(LITE_BASE) - 1
    for i, (e, k, s, cin, cout, r) in enumerate(LITE_BASE):
        cin_r, cout_r = make_divisible(cin * width_mult), make_divisible(cout * width_mult)
        if i == 0 or i == last:
            reps = r
            if i == 0:
                cin_r = 32
        else:
            reps = int(math.ceil(depth_mult * r))
        out.append((e, k, s, cin_r, cout_r, True))
        for _ in range(reps - 1):
            out.append((e, k, 1, cout_r, cout_r, False))
    return out


class EfficientNetLite(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        size = cfg.get("image_size", 224)
        size = None if size is None else ([size, size] if isinstance(size, int) else list(size))
        self._conv_stem = SameConv2d(3, 32, 3, 2, image_size=size)
        self._bn0 = nn.BatchNorm2d(32, eps=1e-3, momentum=0.01)
        size = _down(size, 2)
        blocks = []
        for e, k, s, cin, cout, first in lite_blocks(cfg["width_mult"], cfg["depth_mult"]):
            blocks.append(LiteBlock(e, k, s, cin, cout, size, first))
            size = _down(size, s)
        self._blocks = nn.ModuleList(blocks)
        cin = blocks[-1]._bn2.num_features
        self._conv_head = SameConv2d(cin, 1280, 1, image_size=size)
        self._bn1 = nn.BatchNorm2d(1280, eps=1e-3, momentum=0.01)
        self._fc = nn.Linear(1280, cfg.get("num_outputs", 1000))

    def forward(self, x):
        x = F.relu6(self._bn0(self._conv_stem(x)))
        for b in self._blocks:
            x = b(x)
        x = F.relu6(self._bn1(self._conv_head(x)))
        return self._fc(x.mean(dim=(2, 3)))


# --------------------------------------------------------------------------------------------
# timm VisionTransformer
# --------------------------------------------------------------------------------------------
class PatchEmbed(nn.Module):
    def __init__(self, patch, dim):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, patch, patch, bias=True)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)  # (B, N, D), row-major patches


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, D = x.shape
        hd = D // self.heads
        qkv = self.qkv(x).reshape(B, N, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        a = (q * hd ** -0.5) @ k.transpose(-2, -1)
        y = a.softmax(-1) @ v
        return self.proj(y.transpose(1, 2).reshape(B, N, D))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()  # exact (erf) GELU
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class VisionTransformer(nn.Module):
    def __init__(self, cfg, with_head=True):
        super().__init__()
        D, p, S = cfg["embed_dim"], cfg["patch_size"], cfg["image_size"]
        n = (S // p) ** 2
        self.patch_embed = PatchEmbed(p, D)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, D))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + n, D))
        self.blocks = nn.Sequential(*[Block(D, cfg["num_heads"], cfg["mlp_ratio"])
                                      for _ in range(cfg["depth"])])
        self.norm = nn.LayerNorm(D, eps=1e-6)
        if with_head:
            self.head = nn.Linear(D, cfg.get("num_outputs", 1))

    def forward(self, x):
        t = self.patch_embed(x)
        t = torch.cat([self.cls_token.expand(t.shape[0], -1, -1), t], 1) + self.pos_embed
        t = self.norm(self.blocks(t))
        return self.head(t[:, 0])  # token pooling; fc_norm is Identity


# --------------------------------------------------------------------------------------------
# mmsegmentation VisionTransformer (the frozen region encoder of RA-MIQA)
# --------------------------------------------------------------------------------------------
class MMPatchEmbed(nn.Module):
    def __init__(self, patch, dim):
        super().__init__()
        self.patch = patch
        self.projection = nn.Conv2d(3, dim, patch, patch, bias=True)

    def forward(self, x):
        # mmcv AdaptivePadding('corner'): zero-pad bottom/right up to a multiple of the patch
        H, W = x.shape[-2:]
        ph, pw = (-H) % self.patch, (-W) % self.patch
        if ph or pw:
            x = F.pad(x, (0, pw, 0, ph))
        y = self.projection(x)
        return y.flatten(2).transpose(1, 2), (y.shape[2], y.shape[3])


class MMAttn(nn.Module):
    """mmcv MultiheadAttention wrapper: the torch module sits at `.attn` (batch_first)."""

    def __init__(self, dim, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

    def forward(self, x):
        return self.attn(x, x, x, need_weights=False)[0]


class MMFFN(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.layers = nn.Sequential(nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(0.0)),
                                    nn.Linear(hidden, dim), nn.Dropout(0.0))

    def forward(self, x):
        return self.layers(x)


class MMLayer(nn.Module):
    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = MMAttn(dim, heads)
        self.ln2 = nn.LayerNorm(dim, eps=1e-6)
        self.ffn = MMFFN(dim, int(dim * mlp_ratio))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.ffn(self.ln2(x))


class MMViT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        D, g = cfg["embed_dim"], cfg["native_grid"]
        self.grid = g
        self.patch_embed = MMPatchEmbed(cfg["patch_size"], D)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, D))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + g * g, D))
        self.layers = nn.ModuleList([MMLayer(D, cfg["num_heads"], cfg["mlp_ratio"])
                                     for _ in range(cfg["depth"])])
        self.ln1 = nn.LayerNorm(D, eps=1e-6)  # final_norm

    def pos_embed_for(self, hw):
        pe = self.pos_embed
        if hw[0] * hw[1] == self.grid * self.grid:
            return pe  # mmseg resizes only when the token count differs
        D = pe.shape[2]
        grid = pe[:, 1:].reshape(1, self.grid, self.grid, D).permute(0, 3, 1, 2)
        grid = F.interpolate(grid, size=hw, mode="bicubic", align_corners=False)
        return torch.cat([pe[:, :1], grid.flatten(2).transpose(1, 2)], 1)

    def forward(self, x):
        """Returns the last layer's patch tokens after the final LayerNorm, (B, h*w, D)."""
        t, hw = self.patch_embed(x)
        t = torch.cat([self.cls_token.expand(t.shape[0], -1, -1), t], 1) + self.pos_embed_for(hw)
        for layer in self.layers:
            t = layer(t)
        t = self.ln1(t)
        return t[:, 1:]


# --------------------------------------------------------------------------------------------
# RA-MIQA
# --------------------------------------------------------------------------------------------
class RAMIQA(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        D = cfg["embed_dim"]
        n = (cfg["image_size"] // cfg["patch_size"]) ** 2
        self.base_model = VisionTransformer(cfg, with_head=False)
        self.mask_encoder = MMViT(cfg["region"])
        self.mask_projector = nn.Sequential(nn.Linear(cfg["region"]["embed_dim"], D),
                                            nn.LayerNorm(D),  # eps 1e-5 (nn.LayerNorm default)
                                            nn.GELU())
        self.pos_embed = nn.Parameter(torch.zeros(1, 2 + n, D))
        self.quality_regressor = nn.Sequential(nn.Linear(2 * D, D), nn.GELU(), nn.Dropout(0.2),
                                               nn.Linear(D, 1))

    def forward(self, x, y):
        region = self.mask_projector(self.mask_encoder(y).mean(1)).unsqueeze(1)  # (B,1,D)
        bm = self.base_model
        t = bm.patch_embed(x)
        cls = bm.cls_token.expand(t.shape[0], -1, -1)
        t = torch.cat([region, cls, t], 1) + self.pos_embed  # base_model.pos_embed is unused
        t = bm.norm(bm.blocks(t))
        return self.quality_regressor(torch.cat([t[:, 1], t[:, 0]], 1)).view(-1)


def build_model(cfg):
    from mobilenet_v2 import MobileNetV2  # its own file: an ImageNet machine, not a MIQA baseline
    arch = cfg["architecture"]
    cls = {"resnet": ResNet, "efficientnet": EfficientNet, "efficientnet_lite": EfficientNetLite,
           "vit": VisionTransformer, "ra_miqa": RAMIQA, "mobilenet_v2": MobileNetV2}[arch]
    return cls(cfg).eval()


# --------------------------------------------------------------------------------------------
# configs of the full-size models
# --------------------------------------------------------------------------------------------
_REGION_FULL = {"embed_dim": 384, "depth": 12, "num_heads": 6, "mlp_ratio": 4, "patch_size": 16,
                "native_grid": 14, "image_size": 288}
FULL_CONFIGS = {
    "resnet18": {"architecture": "resnet", "block": "basic", "layers": [2, 2, 2, 2],
                 "widths": [64, 128, 256, 512], "stem_width": 64, "num_outputs": 1},
    "resnet50": {"architecture": "resnet", "block": "bottleneck", "layers": [3, 4, 6, 3],
                 "widths": [64, 128, 256, 512], "stem_width": 64, "num_outputs": 1},
    "efficientnet_b1": {"architecture": "efficientnet", "width_mult": 1.0, "depth_mult": 1.1,
                        "bn_eps": 1e-5, "num_outputs": 1},
    "efficientnet_b5": {"architecture": "efficientnet", "width_mult": 1.6, "depth_mult": 2.2,
                        "bn_eps": 1e-3, "num_outputs": 1},
    "vit_small_patch16_224": {"architecture": "vit", "embed_dim": 384, "depth": 12, "num_heads": 6,
                              "mlp_ratio": 4, "patch_size": 16, "image_size": 224, "num_outputs": 1},
    "ra_miqa": {"architecture": "ra_miqa", "embed_dim": 384, "depth": 12, "num_heads": 6,
                "mlp_ratio": 4, "patch_size": 16, "image_size": 224, "num_outputs": 1,
                "region": _REGION_FULL},
    "efficientnet_lite0": {"architecture": "efficientnet_lite", "width_mult": 1.0, "depth_mult": 1.0,
                           "image_size": 224, "num_outputs": 1000},
    "efficientnet_lite1": {"architecture": "efficientnet_lite", "width_mult": 1.0, "depth_mult": 1.1,
                           "image_size": 240, "num_outputs": 1000},
    "efficientnet_lite2": {"architecture": "efficientnet_lite", "width_mult": 1.1, "depth_mult": 1.2,
                           "image_size": 260, "num_outputs": 1000},
}
FULL_CONFIGS["mobilenet_v2"] = {"architecture": "mobilenet_v2", "width_mult": 1.0, "num_outputs": 1000}
FULL_CONFIGS["vit_small"] = FULL_CONFIGS["vit_small_patch16_224"]


# --------------------------------------------------------------------------------------------
# random weights (well-scaled so activations stay O(1) through deep stacks)
# --------------------------------------------------------------------------------------------
@torch.no_grad()
def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)

    def rn(shape, std):
        return torch.randn(shape, generator=g) * std

    def ru(shape, lo, hi):
        return torch.rand(shape, generator=g) * (hi - lo) + lo

    for name, m in model.named_modules():
        if isinstance(m, nn.BatchNorm2d):
            c = m.num_features
            m.weight.copy_(ru(c, 0.5, 1.5) * torch.where(ru(c, 0, 1) < 0.1, -1.0, 1.0))
            m.bias.copy_(rn(c, 0.2))
            m.running_mean.copy_(rn(c, 0.3))
            m.running_var.copy_(ru(c, 0.5, 1.5))
            m.num_batches_tracked.fill_(int(ru(1, 1, 1000).item()))
        elif isinstance(m, nn.LayerNorm):
            m.weight.copy_(1.0 + rn(m.weight.shape, 0.1))
            m.bias.copy_(rn(m.bias.shape, 0.1))
        elif isinstance(m, nn.Conv2d):
            fan_in = m.weight[0].numel()
            m.weight.copy_(rn(m.weight.shape, math.sqrt(2.0 / fan_in)))
            if m.bias is not None:
                m.bias.copy_(rn(m.bias.shape, 0.1))
        elif isinstance(m, nn.Linear):
            m.weight.copy_(rn(m.weight.shape, 1.0 / math.sqrt(m.in_features)))
            if m.bias is not None:
                m.bias.copy_(rn(m.bias.shape, 0.1))
        elif isinstance(m, nn.MultiheadAttention):
            m.in_proj_weight.copy_(rn(m.in_proj_weight.shape, 1.0 / math.sqrt(m.embed_dim)))
            m.in_proj_bias.copy_(rn(m.in_proj_bias.shape, 0.1))
    for name, p in model.named_parameters():
        if name.endswith("cls_token") or name.endswith("pos_embed"):
            p.copy_(rn(p.shape, 0.5))
    return model
