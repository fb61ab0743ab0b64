#!/usr/bin/env python3
"""Writes Tests/MIQATests/Evaluation/CorrelationFixtures.swift: the values scipy gives for
SRCC (spearmanr), PLCC (pearsonr), KRCC (kendalltau, tau-b), RMSE and a 4-parameter logistic
fit (curve_fit), for the Swift tests to compare against.

Large inputs are not stored: they are made by a splitmix64 generator that the Swift test
implements identically (integers, and uniforms as (z >> 11) * 2**-53, which are exact in
double precision), so the fixture file stays small. Small inputs are stored literally.
Every double is written as a hexadecimal float literal so no decimal rounding happens on
either side.

Run from the package root:  python3 tools/evaluation/make_fixtures.py
Needs numpy and scipy (measured with scipy 1.17.1, numpy 2.4).
"""
import math
import os
import warnings

import numpy as np
import scipy
import scipy.optimize
import scipy.stats as st

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def below(self, k):
        return self.next() % k


def generate(kind, n, seed):
    """Must match `CorrelationFixtures.generate` in the Swift test."""
    g = SplitMix64(seed)
    x, y = [], []
    for i in range(n):
        if kind == "continuous":      # correlated uniforms, no ties
            a = g.uniform()
            b = g.uniform()
            x.append(a)
            y.append(0.5 * a + 0.5 * b)
        elif kind == "ties":          # 7 x values, y = x + 0..4: many ties in both and joint
            a = g.below(7)
            b = g.below(5)
            x.append(float(a))
            y.append(float(a + b))
        elif kind == "mixed":         # continuous x, y on 11 levels: ties in y only
            a = g.uniform()
            b = g.below(4)
            x.append(a)
            y.append(float(int(a * 8) + b) / 10.0)
        elif kind == "sorted":        # both ascending, y in runs of 3
            x.append(float(i))
            y.append(float(i // 3))
        elif kind == "reversed":      # x ascending, y descending in runs of 3
            x.append(float(i))
            y.append(float((n - 1 - i) // 3))
        elif kind == "sigmoid":       # a noisy logistic relation, the shape IQA fits expect
            a = g.uniform()
            b = g.uniform()
            x.append(a)
            y.append(0.2 + 0.6 / (1.0 + math.exp(-(a - 0.45) / 0.08)) + 0.1 * (b - 0.5))
        elif kind == "falling":       # decreasing and noisy
            a = g.uniform()
            b = g.uniform()
            x.append(a)
            y.append(0.9 - 0.7 * a * a + 0.2 * b)
        else:
            raise ValueError(kind)
    return np.array(x), np.array(y)


# Literal cases: (name, x, y)
LITERAL = [
    ("n2", [0.25, 0.75], [0.9, 0.1]),
    ("n2_up", [1.0, 3.0], [2.0, 5.0]),
    ("n10", [0.61, 0.12, 0.93, 0.33, 0.47, 0.05, 0.78, 0.29, 0.88, 0.51],
            [0.55, 0.20, 0.71, 0.41, 0.38, 0.11, 0.90, 0.35, 0.66, 0.49]),
    ("ties_small", [1, 2, 2, 3, 3, 3, 4, 4, 5, 1, 2, 5, 5, 0, 0, 3],
                   [2, 2, 1, 3, 3, 4, 4, 4, 5, 1, 1, 5, 4, 0, 1, 3]),
    ("constant_x", [0.5] * 8, [0.1, 0.4, 0.2, 0.9, 0.3, 0.3, 0.8, 0.7]),
    ("constant_both", [2.0] * 6, [7.0] * 6),
    ("one_tie_pair", [1, 2, 3, 4, 5, 6], [1, 1, 3, 2, 6, 5]),
]

# Generated cases: (name, kind, n, seed)
GENERATED = [
    ("continuous_5000", "continuous", 5000, 1),
    ("ties_5000", "ties", 5000, 2),
    ("mixed_5000", "mixed", 5000, 3),
    ("sorted_5000", "sorted", 5000, 0),
    ("reversed_5000", "reversed", 5000, 0),
    ("ties_250000", "ties", 250000, 4),
]

# Logistic-fit cases (generated): (name, kind, n, seed)
LOGISTIC = [
    ("sigmoid_500", "sigmoid", 500, 11),
    ("falling_800", "falling", 800, 12),
    ("continuous_5000", "continuous", 5000, 1),
]


def logistic(x, b1, b2, b3, b4):
    return (b1 - b2) / (1.0 + np.exp(-(x - b3) / np.abs(b4))) + b2


def start_values(x, y):
    """Must match `LogisticFit.initialGuess`."""
    b1, b2 = float(np.max(y)), float(np.min(y))
    if st.pearsonr(x, y).statistic < 0:
        b1, b2 = b2, b1
    s = float(np.std(x))
    return [b1, b2, float(np.mean(x)), s if s > 0 else 1.0]


def hexf(v):
    v = float(v)
    if math.isnan(v):
        return ".nan"
    if math.isinf(v):
        return ".infinity" if v > 0 else "-.infinity"
    return v.hex() if v >= 0 else "-" + (-v).hex()


def metrics(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        srcc = st.spearmanr(x, y).statistic
        plcc = st.pearsonr(x, y).statistic
        krcc = st.kendalltau(x, y).statistic
    rmse = np.sqrt(np.mean((x - y) ** 2))
    return srcc, plcc, krcc, rmse


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = os.path.join(root, "Tests", "MIQATests", "Evaluation", "CorrelationFixtures.swift")
    lines = [
        "// Generated by tools/evaluation/make_fixtures.py with scipy %s, numpy %s. Do not edit."
        % (scipy.__version__, np.__version__),
        "// Expected values are scipy.stats.spearmanr / pearsonr / kendalltau (tau-b) statistics,",
        "// sqrt(mean((x - y)^2)), and scipy.optimize.curve_fit of the 4-parameter logistic.",
        "",
        "extension CorrelationFixtures {",
        "    static let literalCases: [Case] = [",
    ]
    for name, x, y in LITERAL:
        x = np.array(x, dtype=float)
        y = np.array(y, dtype=float)
        s, p, k, r = metrics(x, y)
        lines.append('        Case(name: "%s", x: [%s], y: [%s],' % (name, ", ".join(hexf(v) for v in x),
                                                                ", ".join(hexf(v) for v in y)))
        lines.append("             srcc: %s, plcc: %s, krcc: %s, rmse: %s)," % (hexf(s), hexf(p), hexf(k), hexf(r)))
    lines.append("    ]")
    lines.append("")
    lines.append("    static let generatedCases: [GeneratedCase] = [")
    for name, kind, n, seed in GENERATED:
        x, y = generate(kind, n, seed)
        s, p, k, r = metrics(x, y)
        lines.append('        GeneratedCase(name: "%s", kind: "%s", n: %d, seed: %d, checksum: %s,' % (
            name, kind, n, seed, hexf(float(np.sum(x) + 2 * np.sum(y)))))
        lines.append("                      srcc: %s, plcc: %s, krcc: %s, rmse: %s)," % (
            hexf(s), hexf(p), hexf(k), hexf(r)))
    lines.append("    ]")
    lines.append("")
    lines.append("    static let logisticCases: [LogisticCase] = [")
    for name, kind, n, seed in LOGISTIC:
        x, y = generate(kind, n, seed)
        p0 = start_values(x, y)
        popt, _ = scipy.optimize.curve_fit(logistic, x, y, p0=p0, maxfev=20000)
        fitted = logistic(x, *popt)
        plcc = st.pearsonr(fitted, y).statistic
        sse = float(np.sum((fitted - y) ** 2))
        lines.append('        LogisticCase(name: "%s", kind: "%s", n: %d, seed: %d,' % (name, kind, n, seed))
        lines.append("                     start: [%s]," % ", ".join(hexf(v) for v in p0))
        lines.append("                     beta: [%s]," % ", ".join(hexf(v) for v in popt))
        lines.append("                     sse: %s, fittedPLCC: %s)," % (hexf(sse), hexf(plcc)))
        print("%-16s start %s\n%16s beta  %s  plcc %.10f  sse %.6g" % (name, np.round(p0, 5), "", popt, plcc, sse))
    lines.append("    ]")
    lines.append("}")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
