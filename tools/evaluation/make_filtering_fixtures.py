#!/usr/bin/env python3
"""Writes Tests/MIQATests/Evaluation/Fixtures/filtering.json: what NumPy and SciPy give for the
pieces of the filtering test, for FilteringTests to compare against.

- "laplacian": small random RGB images (pixels stored) and
  var(scipy.ndimage.laplace(0.299 R + 0.587 G + 0.114 B, mode="reflect")).
- "curves": keys (with ties) and outcomes; for each drop fraction p the mean outcome over the
  images kept after dropping floor(p n) of the lowest keys, ties dropped in input order
  (NumPy's stable argsort), and scipy.stats.spearmanr(keys, outcomes).

Run from the package root:  python3 tools/evaluation/make_filtering_fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy
import scipy.ndimage as ndi
import scipy.stats as st

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MIQATests", "Evaluation", "Fixtures", "filtering.json")
FRACTIONS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.25, 0.95]


def main():
    rng = np.random.default_rng(20261202)
    laplacian = []
    for w, h in [(1, 1), (1, 7), (9, 1), (5, 4), (17, 11), (32, 24)]:
        px = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
        y = 0.299 * px[..., 0].astype(np.float64) + 0.587 * px[..., 1] + 0.114 * px[..., 2]
        laplacian.append({"width": w, "height": h, "pixels": px.reshape(-1).tolist(),
                          "variance": float(np.var(ndi.laplace(y, mode="reflect")))})
    curves = []
    for n, levels in [(10, None), (37, 5), (200, None), (1000, 12)]:
        keys = rng.random(n) if levels is None else rng.integers(0, levels, n).astype(np.float64)
        outcome = np.clip(0.3 * keys / keys.max() + rng.random(n) * 0.7, 0, 1)
        order = np.argsort(keys, kind="stable")
        means = []
        for p in FRACTIONS:
            k = int(math.floor(p * n + 1e-9))
            kept = outcome[order[k:]]
            means.append(float(kept.mean()) if len(kept) else None)
        curves.append({"keys": keys.tolist(), "outcome": outcome.tolist(), "fractions": FRACTIONS, "kept_means": means,
                       "srcc": float(st.spearmanr(keys, outcome).statistic)})
    with open(OUT, "w") as f:
        json.dump({"generator": f"numpy {np.__version__}, scipy {scipy.__version__}", "laplacian": laplacian, "curves": curves}, f)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
