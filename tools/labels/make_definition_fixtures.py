#!/usr/bin/env python3
"""Oracle values of the label definitions for Tests/MIQATests/Dataset/LabelDefinitionTests.swift:
random class distributions (NumPy Dirichlet, seeded) of 3 machines on a reference and 7 distorted
images (the 7th equal to the reference), 10 classes, and what study_labels.labels() (the NumPy
definitions the label study compared) gives for raw (= probability), overlap and agree (= agreement),
averaged over machines; plus per-machine accuracy values for true class 4.

    .build/oracle-venv/bin/python3 tools/labels/make_definition_fixtures.py
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from study_labels import labels  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "MIQATests", "Dataset", "Fixtures", "label_definitions.json")


def main():
    rng = np.random.default_rng(20261203)
    machines, images, classes, truth = 3, 7, 10, 4
    ref = rng.dirichlet(np.full(classes, 0.5), size=machines)                      # [M, K]
    dist = rng.dirichlet(np.full(classes, 0.5), size=(images, machines))           # [n, M, K]
    dist[-1] = ref
    # Image 2: every machine keeps its answer, image 3: machine 0 ends on a tie with another
    # class (ties go to the lowest index in both implementations).
    for m in range(machines):
        c = ref[m].argmax()
        dist[2, m] = 0.5 * dist[2, m]
        dist[2, m, c] += 0.5
    c0 = ref[0].argmax()
    other = (c0 + 1) % classes
    dist[3, 0] = 0.0
    lo, hi = min(c0, other), max(c0, other)
    dist[3, 0, lo] = dist[3, 0, hi] = 0.5
    means, _ = labels(dist, np.broadcast_to(ref, dist.shape))
    acc_prob = dist[..., truth]
    acc_agree = (dist.argmax(-1) == truth).astype(float)
    fixture = {
        "true_class": truth,
        "reference": ref.tolist(),
        "distorted": dist.tolist(),
        "mean_consistency": {"probability": means["raw"].tolist(), "overlap": means["overlap"].tolist(),
                             "agreement": means["agree"].tolist()},
        "mean_accuracy": {"probability": acc_prob.mean(-1).tolist(), "overlap": acc_prob.mean(-1).tolist(),
                          "agreement": acc_agree.mean(-1).tolist()},
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
