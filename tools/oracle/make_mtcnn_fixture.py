"""Write Tests/MIQATests/Fixtures/mtcnn_networks.safetensors: facenet-pytorch's own PNet, RNet and
ONet classes with seeded random weights, their outputs on seeded random inputs, and facenet-pytorch's
whole detect_face pipeline with those weights on one committed photo. The Swift tests that read it
need no download (the real weights are checked by check_mtcnn.py and MTCNNTests' real-weight test).

    python3 tools/oracle/make_mtcnn_fixture.py --facenet /tmp/fp/unz     # see facenet_reference.py

Weights: PyTorch's default initialisation under torch.manual_seed(0), then every tensor rounded to a
multiple of 2^-10 (exact in float32 and compressible in git); PReLU slopes uniform in [-0.5, 0.5]
(PyTorch's default 0.25 everywhere would not show a channel mix-up). The face logit biases are raised
(PNet by 1, RNet and ONet by 3) so that random networks let faces through every stage: the pipeline
fixture then exercises the crops, calibrations and suppressions of all three stages.

Tensors (engine layout, NHWC):
  pnet.*, rnet.*, onet.*                  the weights (PyTorch names and shapes)
  pnet.in [1,15,17,3] -> pnet.prob [H*W], pnet.reg [1,H,W,4]   (odd sizes: ceil-mode pools)
  rnet.in [3,24,24,3] -> rnet.prob [3], rnet.reg [3,4]
  onet.in [3,48,48,3] -> onet.prob [3], onet.reg [3,4]
  pipeline.faces [N,5]                    detect_face on mobilenet_v2_photos/astronaut.jpg, 128x128
                                          top-left crop resized (Pillow bilinear) to 96x96: x1 y1 x2 y2 p
  pipeline.image [96,96,3]                that image's pixels (0..255)
  prelu.in [2,4,5,6], prelu.slopes [6] -> prelu.out; prelu.shared [1] -> prelu.out_shared
                                          (torch.nn.functional.prelu)
"""
import argparse
import os

import numpy as np
from PIL import Image

from common import write_safetensors
from facenet_reference import REPO, import_facenet

OUT = os.path.join(REPO, "Tests/MIQATests/Fixtures/mtcnn_networks.safetensors")


def randomised(cls, torch, gen):
    net = cls(pretrained=False).eval()
    with torch.no_grad():
        for name, p in net.named_parameters():
            if "prelu" in name:
                p.copy_(torch.rand(p.shape, generator=gen) - 0.5)
            p.copy_(torch.round(p * 1024) / 1024)
        for name, lift in (("conv4_1", 1), ("dense5_1", 3), ("dense6_1", 3)):
            if hasattr(net, name):
                getattr(net, name).bias[1] += lift
    return net


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--facenet", required=True, help="the unpacked facenet_pytorch-2.6.0 wheel")
    args = ap.parse_args()
    mtcnn = import_facenet(args.facenet)
    import torch
    from facenet_pytorch.models.utils.detect_face import detect_face
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)
    nets = {"pnet": randomised(mtcnn.PNet, torch, gen), "rnet": randomised(mtcnn.RNet, torch, gen), "onet": randomised(mtcnn.ONet, torch, gen)}
    out = {}
    for prefix, net in nets.items():
        for k, v in net.state_dict().items():
            out["%s.%s" % (prefix, k)] = v
    nhwc = lambda t: t.permute(0, 2, 3, 1).contiguous()
    with torch.no_grad():
        x = torch.randn(1, 3, 15, 17, generator=gen)
        reg, prob = nets["pnet"](x)
        out["pnet.in"], out["pnet.prob"], out["pnet.reg"] = nhwc(x), prob[0, 1].reshape(-1), nhwc(reg)
        for prefix, size in (("rnet", 24), ("onet", 48)):
            x = torch.randn(3, 3, size, size, generator=gen)
            y = nets[prefix](x)
            out[prefix + ".in"], out[prefix + ".prob"], out[prefix + ".reg"] = nhwc(x), y[-1][:, 1], y[0]
        photo = Image.open(os.path.join(REPO, "Tests/MIQATests/Fixtures/mobilenet_v2_photos/astronaut.jpg")).convert("RGB")
        photo = photo.crop((128, 0, 256, 128)).resize((96, 96), Image.BILINEAR)
        boxes, _ = detect_face(photo, 20, nets["pnet"], nets["rnet"], nets["onet"], [0.6, 0.7, 0.7], 0.709, "cpu")
        faces = np.asarray(boxes[0], dtype=np.float32).reshape(-1, 5)
        out["pipeline.faces"], out["pipeline.image"] = faces, np.asarray(photo, dtype=np.float32)
        x = torch.randn(2, 6, 4, 5, generator=gen)
        slopes = torch.rand(6, generator=gen) * 2 - 1
        out["prelu.in"], out["prelu.slopes"] = nhwc(x), slopes
        out["prelu.out"] = nhwc(torch.nn.functional.prelu(x, slopes))
        out["prelu.shared"] = torch.tensor([-0.3])
        out["prelu.out_shared"] = nhwc(torch.nn.functional.prelu(x, out["prelu.shared"]))
    write_safetensors(OUT, out)
    print("wrote %s: pnet %d cells, pipeline %d faces" % (OUT, out["pnet.prob"].numel(), len(faces)))
    print(faces)


if __name__ == "__main__":
    main()
