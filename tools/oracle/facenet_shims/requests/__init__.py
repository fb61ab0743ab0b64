"""A stand-in for `requests`, imported by facenet_pytorch's InceptionResnetV1 module (to download
its face-recognition weights) but not used by MTCNN: importing it must work, using it fails."""


class Session:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("the requests stand-in cannot download; only facenet-pytorch's MTCNN is run here")
