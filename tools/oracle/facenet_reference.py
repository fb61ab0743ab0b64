"""facenet-pytorch 2.6.0 as the reference for the MTCNN face detector, shared by
make_mtcnn_fixture.py and check_mtcnn.py.

The package is not installed into the venv (it pins an older torch): its wheel is unpacked and put
on sys.path, with facenet_shims/ in front for the modules it imports but MTCNN does not use
(torchvision, requests, tqdm; torchvision's batched_nms is implemented there in plain torch):

    pip download facenet-pytorch==2.6.0 --no-deps -d /tmp/fp && unzip -q /tmp/fp/facenet_pytorch-2.6.0-py3-none-any.whl -d /tmp/fp/unz
    python3 tools/oracle/check_mtcnn.py --facenet /tmp/fp/unz
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def import_facenet(folder):
    """Returns facenet_pytorch.models.mtcnn, imported from the unpacked wheel in `folder`."""
    if not os.path.isdir(os.path.join(folder, "facenet_pytorch")):
        sys.exit("%s: no facenet_pytorch folder (unpack facenet_pytorch-2.6.0-py3-none-any.whl there)" % folder)
    sys.path[:0] = [os.path.join(HERE, "facenet_shims"), folder]
    import torch
    torch.set_num_threads(2)
    from facenet_pytorch.models import mtcnn
    return mtcnn
