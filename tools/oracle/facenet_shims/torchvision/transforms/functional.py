"""Imported by facenet_pytorch.models.utils.detect_face but not used by MTCNN.detect: empty."""
