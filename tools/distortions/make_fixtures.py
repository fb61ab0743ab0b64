#!/usr/bin/env python3
"""Reference outputs for the Swift MIQD distortions, metrics and region fusion.

Runs the ImageNet-C corruption functions of the `imagecorruptions` package
(pip install imagecorruptions) with the MIQD candidate parameters patched in,
and writes PNGs + index.json into Tests/MIQATests/Distortions/Fixtures/.

How the MIQD parameters reach the package's code: every corruption function
starts with `c = [<five tuples>][severity - 1]`.  We take each function's own
source, replace that one line by `c = severity` and compile it in the
package's module namespace, so calling it with a candidate tuple runs the
package's unchanged body on our values.

Compatibility shims for today's libraries (none change a computed value):
pkg_resources is stubbed (only `frost` uses it), `np.float_` is aliased to
float64 (removed in NumPy 2) and skimage's `gaussian(..., multichannel=True)`
is mapped to `channel_axis=-1` (renamed in skimage 0.19).

Non-integer parameters (see README.md): glass_blur's max_delta and iterations
go through int(); motion-blur kernel widths use ImageMagick's rule
2*ceil(radius)+1.  The raw floats make the reference raise TypeError, which
this script records in index.json as evidence.
"""
import inspect
import json
import math
import os
import re
import sys
import types

import numpy as np
from PIL import Image

# ---- shims -----------------------------------------------------------------
_pkg = types.ModuleType("pkg_resources")
_pkg.resource_filename = lambda mod, name: name
sys.modules.setdefault("pkg_resources", _pkg)
if not hasattr(np, "float_"):
    np.float_ = np.float64

import skimage.data  # noqa: E402
import skimage.filters  # noqa: E402
import scipy.ndimage as ndi  # noqa: E402
from skimage.metrics import structural_similarity  # noqa: E402

import imagecorruptions.corruptions as C  # noqa: E402

_sk_gaussian = skimage.filters.gaussian


def _gaussian(image, sigma, multichannel=False, **kw):
    if multichannel:
        kw["channel_axis"] = -1
    return _sk_gaussian(image, sigma=sigma, **kw)


C.gaussian = _gaussian

# ImageMagick's GetOptimalKernelWidth1D (the helper the package names after
# it) returns 2*ceil(radius)+1, an integer for any radius.
_raw_width = C.getOptimalKernelWidth1D


def _imagemagick_width(radius, sigma):
    return int(2 * math.ceil(radius) + 1)


def parametrised(name):
    """The package's corruption `name`, taking the parameter tuple as `severity`."""
    src = inspect.getsource(getattr(C, name))
    new, n = re.subn(r"c = \[.*?\]\[\s*severity - 1\]", "c = severity", src, count=1, flags=re.S)
    assert n == 1, name
    ns = {}
    exec(compile(new, f"<patched {name}>", "exec"), C.__dict__, ns)
    return ns[name]


F = {n: parametrised(n) for n in ["gaussian_noise", "glass_blur", "motion_blur", "defocus_blur", "contrast",
                                  "pixelate", "jpeg_compression", "brightness", "snow", "fog"]}

# ---- MIQD candidate parameters (MIQA-FACTS section 3) -------------------------
SNOW_A = np.array([0.05, 0.1, 1, 0.3, 5, 2, 1.0])
SNOW_B = np.array([0.6, 0.4, 5, 0.9, 15, 15, 0.5])
PARAMS = {
    "gaussian_noise": [[float(v)] for v in np.geomspace(0.01, 1, 12)],
    "darkness": [[float(v)] for v in np.geomspace(0.015, 0.7, 12)],
    "contrast": [[v] for v in [0.9, 0.818, 0.736, 0.655, 0.573, 0.491, 0.409, 0.327, 0.246, 0.164, 0.082, 0.05]],
    "pixelate": [[v] for v in [0.95, 0.865, 0.78, 0.695, 0.61, 0.525, 0.44, 0.355, 0.27, 0.185, 0.1, 0.07]],
    "jpeg_compression": [[float(v)] for v in np.linspace(100, 0.1, 12)],
    "motion_blur": [[1.4, 0.6], [1.5, 0.7], [2, 0.9], [4, 1.5], [7, 2.5], [10.5, 3.5], [15, 5], [20, 7],
                    [27, 10], [35, 14], [47, 20], [60, 30]],
    "defocus_blur": [[0.95, 0.5], [0.99, 0.54], [0.99, 0.6], [0.99, 0.7], [0.999, 0.9], [1, 0.9], [2, 0.1],
                     [3, 0.5], [5, 0.5], [7, 0.8], [9, 0.9], [12, 0.9]],
    "glass_blur": [[0.4, 1, 0.4], [0.42, 1.5, 0.8], [0.45, 1.5, 0.9], [0.49, 1.5, 0.9], [0.55, 1.5, 0.9],
                   [0.65, 2, 0.9], [0.8, 2.5, 0.9], [1.2, 2.5, 0.99], [1.5, 2, 1.2], [2, 2, 2], [3, 3, 3],
                   [4, 5, 4]],
    "fog": [[0.1, 3.0], [0.13, 2.85], [0.2, 2.5], [0.25, 2.2], [0.3, 2.05], [0.34, 1.89], [0.45, 1.7],
            [0.7, 1.6], [0.9, 1.5], [1.5, 1.5], [2.9, 1.3], [5.0, 1.3]],
    "snow": [[float(v) for v in SNOW_A + (SNOW_B - SNOW_A) * i / 11] for i in range(12)],
}


def apply(kind, img, p):
    """uint8 HWC in, uint8 HWC out, finishing like imagecorruptions.corrupt (np.uint8 truncates)."""
    pil = Image.fromarray(img)
    if kind == "darkness":
        # MIQD's darkness: brightness with a negative offset: V' = clip(V - d, 0, 1).
        out = F["brightness"](pil, -p[0])
    elif kind == "glass_blur":
        out = F["glass_blur"](pil, (p[0], int(p[1]), int(p[2])))
    elif kind in ("motion_blur", "snow"):
        C.getOptimalKernelWidth1D = _imagemagick_width
        try:
            out = F[kind](pil, tuple(p))
        finally:
            C.getOptimalKernelWidth1D = _raw_width
    elif kind in ("jpeg_compression",):
        out = F[kind](pil, int(p[0]))
    elif len(p) == 1:
        out = F[kind](pil, p[0])
    else:
        out = F[kind](pil, tuple(p))
    return np.uint8(out)


def raw_float_error(kind, img, p):
    """Evidence: the reference with the raw (non-integer) values raises."""
    np.random.seed(0)
    try:
        F[kind](Image.fromarray(img), tuple(p))
    except TypeError as e:
        return f"{kind}{tuple(p)}: TypeError: {e}"
    return f"{kind}{tuple(p)}: ran"


# ---- metrics ---------------------------------------------------------------
def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else float(10 * np.log10(255.0 ** 2 / mse))


def ssim(a, b):
    return float(structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                       data_range=255, channel_axis=2))


def ms_ssim(a, b):
    """Wang, Simoncelli, Bovik 2003, per channel then averaged: 11x11 Gaussian (sigma 1.5) window
    with no padding ('valid'), K1 0.01, K2 0.03, L 255, 2x2 mean down-sampling between scales,
    weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333); cs and l*cs at the last scale."""
    w = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])
    g = np.exp(-0.5 * (np.arange(11) - 5.0) ** 2 / 1.5 ** 2)
    g /= g.sum()
    win = np.outer(g, g)
    C1, C2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    def filt(x):
        full = ndi.correlate(x, win, mode="constant")
        return full[5:-5, 5:-5]

    vals = []
    for ch in range(3):
        x = a[..., ch].astype(np.float64)
        y = b[..., ch].astype(np.float64)
        total = 1.0
        for s in range(5):
            mx, my = filt(x), filt(y)
            sxx, syy, sxy = filt(x * x) - mx * mx, filt(y * y) - my * my, filt(x * y) - mx * my
            cs = (2 * sxy + C2) / (sxx + syy + C2)
            if s < 4:
                total *= max(cs.mean(), 0.0) ** w[s]
                h, wd = x.shape[0] // 2 * 2, x.shape[1] // 2 * 2
                x = (x[0:h:2, 0:wd:2] + x[1:h:2, 0:wd:2] + x[0:h:2, 1:wd:2] + x[1:h:2, 1:wd:2]) / 4
                y = (y[0:h:2, 0:wd:2] + y[1:h:2, 0:wd:2] + y[0:h:2, 1:wd:2] + y[1:h:2, 1:wd:2]) / 4
            else:
                lum = (2 * mx * my + C1) / (mx * mx + my * my + C1)
                total *= max((lum * cs).mean(), 0.0) ** w[s]
        vals.append(total)
    return float(np.mean(vals))


# ---- region fusion (the documented rule, in numpy + scipy) --------------------
def feather(mask):
    """65x65 Gaussian, sigma by OpenCV's ksize rule 0.3*((65-1)/2-1)+0.8 = 10.1, mirrored borders
    (OpenCV's BORDER_REFLECT_101 = scipy 'mirror'); core = mask eroded by a 33x33 square (outside
    the image counts as foreground, like cv2.erode's default border) forced to 1."""
    sigma = 0.3 * ((65 - 1) * 0.5 - 1) + 0.8
    m = ndi.gaussian_filter(mask.astype(np.float64), sigma=sigma, mode="mirror", truncate=32 / sigma)
    core = ndi.binary_erosion(mask > 0, structure=np.ones((33, 33), bool), border_value=1)
    m[core] = 1.0
    return m


def fuse(fg, bg, mask):
    m = feather(mask)[..., None]
    fused = fg.astype(np.float64) * m + bg.astype(np.float64) * (1 - m)
    k = np.array([0.25, 0.5, 0.25])  # OpenCV's 3x3 Gaussian for sigma 0
    blur = ndi.correlate1d(ndi.correlate1d(fused, k, axis=0, mode="mirror"), k, axis=1, mode="mirror")
    band = ((m > 0.05) & (m < 0.95))[..., 0]
    fused[band] = 0.5 * fused[band] + 0.5 * blur[band]
    return np.clip(np.rint(fused), 0, 255).astype(np.uint8)


# ---- main ------------------------------------------------------------------
def resized(img, w, h):
    return np.array(Image.fromarray(img).resize((w, h), Image.BILINEAR))


def save(out_dir, name, arr):
    Image.fromarray(arr).save(os.path.join(out_dir, name), optimize=True)
    return name


def main():
    root = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.normpath(os.path.join(root, "../../Tests/MIQATests/Distortions/Fixtures"))
    os.makedirs(out_dir, exist_ok=True)
    for f in os.listdir(out_dir):
        os.remove(os.path.join(out_dir, f))

    astro = skimage.data.astronaut()[:384]  # keep the 4:3 upper part (face, flag, helmet)
    images = {"main": resized(astro, 96, 72), "odd": resized(astro, 61, 45)}
    index = {"params": PARAMS, "images": {}, "deterministic": [], "random": [], "evidence": [],
             "metrics": [], "fusion": {}, "saliency": {}, "diskKernels": []}
    for key, img in images.items():
        index["images"][key] = save(out_dir, f"clean_{key}.png", img)

    # Deterministic: all 12 candidates on the main image, weak/middle/strong on the odd one.
    for kind in ["contrast", "pixelate", "jpeg_compression", "darkness", "defocus_blur"]:
        for key, cands in [("main", range(12)), ("odd", [0, 6, 11])]:
            for ci in cands:
                out = apply(kind, images[key], PARAMS[kind][ci])
                name = save(out_dir, f"{kind}_{key}_{ci}.png", out)
                index["deterministic"].append({"type": kind, "image": key, "candidate": ci, "expected": name})

    # Random: PSNR/SSIM statistics over numpy seeds 1..10 for every candidate.
    for kind in ["gaussian_noise", "glass_blur", "motion_blur", "snow", "fog"]:
        for key in ["main", "odd"]:
            for ci in range(12):
                ps, ss = [], []
                for seed in range(1, 11):
                    np.random.seed(seed)
                    out = apply(kind, images[key], PARAMS[kind][ci])
                    ps.append(psnr(images[key], out))
                    ss.append(ssim(images[key], out))
                index["random"].append({"type": kind, "image": key, "candidate": ci,
                                        "psnrMean": float(np.mean(ps)), "psnrStd": float(np.std(ps)),
                                        "ssimMean": float(np.mean(ss)), "ssimStd": float(np.std(ss))})
        print(kind, "done", flush=True)

    # Deterministic cores of random types, to check the arithmetic bit for bit:
    # motion_blur at fixed angles; glass_blur candidates whose int() iteration count is 0;
    # snow with a fixed pseudo-normal layer (z[i] = 2 * frac(i * 0.618...) - 1) and angle.
    index["cores"] = []
    for key in ["main", "odd"]:
        for ci, angle in [(0, 30.0), (6, -45.0), (11, 12.5), (9, -7.0)]:
            r, sg = PARAMS["motion_blur"][ci]
            C.getOptimalKernelWidth1D = _imagemagick_width
            out = np.uint8(np.clip(C._motion_blur(np.array(images[key]), radius=r, sigma=sg, angle=angle), 0, 255))
            C.getOptimalKernelWidth1D = _raw_width
            name = save(out_dir, f"core_motion_{key}_{ci}.png", out)
            index["cores"].append({"type": "motion_blur", "image": key, "candidate": ci, "angle": angle, "expected": name})
        for ci in [0, 4, 7]:
            name = save(out_dir, f"core_glass_{key}_{ci}.png", apply("glass_blur", images[key], PARAMS["glass_blur"][ci]))
            index["cores"].append({"type": "glass_blur", "image": key, "candidate": ci, "angle": 0.0, "expected": name})
        for ci, angle in [(0, -100.0), (6, -60.0), (11, -130.0)]:
            real_normal, real_uniform = np.random.normal, np.random.uniform

            def fake_normal(size=None, loc=0.0, scale=1.0):
                n = int(np.prod(size))
                z = 2 * ((np.arange(n) * 0.6180339887498949) % 1.0) - 1
                return loc + scale * z.reshape(size)

            np.random.normal, np.random.uniform = fake_normal, (lambda lo, hi: angle)
            try:
                out = apply("snow", images[key], PARAMS["snow"][ci])
            finally:
                np.random.normal, np.random.uniform = real_normal, real_uniform
            name = save(out_dir, f"core_snow_{key}_{ci}.png", out)
            index["cores"].append({"type": "snow", "image": key, "candidate": ci, "angle": angle, "expected": name})

        # fog with a fixed uniform stream: u_k = frac(k * 0.618...), k counting every draw.
        for ci in [0, 6, 11]:
            real_uniform = np.random.uniform
            counter = [0]

            def fake_uniform(low, high, size):
                n = int(np.prod(size))
                u = (np.arange(counter[0], counter[0] + n) * 0.6180339887498949) % 1.0
                counter[0] += n
                return low + (high - low) * u.reshape(size)

            np.random.uniform = fake_uniform
            try:
                out = apply("fog", images[key], PARAMS["fog"][ci])
            finally:
                np.random.uniform = real_uniform
            name = save(out_dir, f"core_fog_{key}_{ci}.png", out)
            index["cores"].append({"type": "fog", "image": key, "candidate": ci, "angle": 0.0, "expected": name})

    img = images["main"]
    index["evidence"].append(raw_float_error("glass_blur", img, PARAMS["glass_blur"][1]))
    index["evidence"].append(raw_float_error("motion_blur", img, PARAMS["motion_blur"][0]))
    index["evidence"].append(raw_float_error("snow", img, PARAMS["snow"][1]))

    # Disk kernels of defocus blur (float32, as the package builds them).
    for ci in range(12):
        r, a = PARAMS["defocus_blur"][ci]
        k = C.disk(radius=r, alias_blur=a)
        index["diskKernels"].append({"candidate": ci, "size": k.shape[0], "values": [float(v) for v in k.ravel()]})

    # Metrics on images large enough for 5 MS-SSIM scales (>= 176 px per side).
    big = resized(astro, 192, 180)
    index["images"]["big"] = save(out_dir, "clean_big.png", big)
    np.random.seed(7)
    variants = {"noisy": apply("gaussian_noise", big, [0.05]), "blurred": apply("defocus_blur", big, [3, 0.5]),
                "dark": apply("darkness", big, [0.2])}
    for name, v in variants.items():
        fn = save(out_dir, f"metric_{name}.png", v)
        index["metrics"].append({"distorted": fn, "psnr": psnr(big, v), "ssim": ssim(big, v),
                                 "msssim": ms_ssim(big, v)})

    # Fusion: fg = noisy, bg = blurred, mask = an ellipse around the astronaut's head.
    fw, fh = 160, 120
    fimg = resized(astro, fw, fh)
    fgimg = apply("contrast", fimg, [0.3])
    bgimg = apply("defocus_blur", fimg, [3, 0.5])
    yy, xx = np.mgrid[0:fh, 0:fw]
    mask = ((((xx - 72) / 40.0) ** 2 + ((yy - 50) / 42.0) ** 2) <= 1).astype(np.uint8)
    Image.fromarray(mask * 255).save(os.path.join(out_dir, "fusion_mask.png"))
    index["fusion"] = {"foreground": save(out_dir, "fusion_fg.png", fgimg),
                       "background": save(out_dir, "fusion_bg.png", bgimg),
                       "mask": "fusion_mask.png",
                       "expected": save(out_dir, "fusion_expected.png", fuse(fgimg, bgimg, mask)),
                       "weights": [float(v) for v in feather(mask)[::10, ::10].ravel()],
                       "weightsStride": 10}

    # Saliency: a photo with one obvious object (the cat of skimage.data.chelsea).
    index["saliency"] = {"image": save(out_dir, "saliency_cat.png", resized(skimage.data.chelsea(), 150, 100))}

    with open(os.path.join(out_dir, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    total = sum(os.path.getsize(os.path.join(out_dir, f)) for f in os.listdir(out_dir))
    print("fixtures:", len(os.listdir(out_dir)), "files,", total, "bytes")


if __name__ == "__main__":
    main()
