"""A stand-in for torchvision, for running facenet-pytorch's MTCNN as the reference with a torch
build that has no matching torchvision. It provides only what facenet_pytorch imports:
`torchvision.ops.boxes.batched_nms` (implemented in plain torch below) and the module
`torchvision.transforms.functional` (imported by facenet-pytorch but not used by MTCNN.detect).
"""
