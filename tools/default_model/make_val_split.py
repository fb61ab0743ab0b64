"""Split the training references of the default model into train and validation by photo source
(crops of one photo stay together), so checkpoint selection never sees the held-out test photos.

    python3 tools/default_model/make_val_split.py DIR/splits/train.csv --every 6
writes DIR/splits/train_fit.csv and DIR/splits/val.csv.
"""
import argparse
import os


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("train_csv")
    ap.add_argument("--every", type=int, default=6)
    a = ap.parse_args()
    names = [l.strip() for l in open(a.train_csv).read().splitlines()[1:] if l.strip()]
    sources = sorted({n.rsplit("_", 1)[0] for n in names})
    val_sources = set(sources[a.every - 1::a.every])
    fit = [n for n in names if n.rsplit("_", 1)[0] not in val_sources]
    val = [n for n in names if n.rsplit("_", 1)[0] in val_sources]
    d = os.path.dirname(a.train_csv)
    for name, rows in (("train_fit.csv", fit), ("val.csv", val)):
        with open(os.path.join(d, name), "w") as f:
            f.write("Image Name\n" + "".join(r + "\n" for r in rows))
    print(f"{len(fit)} fit / {len(val)} validation references ({len(val_sources)} of {len(sources)} photos)")


if __name__ == "__main__":
    main()
