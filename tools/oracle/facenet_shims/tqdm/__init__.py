"""A stand-in for `tqdm`, imported by facenet_pytorch's download helper (unused by MTCNN)."""


def tqdm(*args, **kwargs):
    raise RuntimeError("the tqdm stand-in has no progress bar; only facenet-pytorch's MTCNN is run here")
