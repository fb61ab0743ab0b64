"""The train + evaluate check the det and ins end-to-end scripts share: `miqa train --task T`
runs on a small labelled database, and `miqa evaluate` of its checkpoint reports one prediction
per labelled image, equal to `miqa score --weights` on the same files."""
import csv
import json
import os
import subprocess


def run(miqa, args):
    return subprocess.run([miqa] + args, check=True, capture_output=True, text=True).stdout


def check_train_evaluate(miqa, tmp, db, task, references):
    """Returns (ok, weights path, split path)."""
    split = os.path.join(tmp, f"{task}_split.csv")
    with open(split, "w") as f:
        f.write("Image Name\n" + "\n".join(references) + "\n")
    out = os.path.join(tmp, f"{task}_run")
    run(miqa, ["train", "--data", db, "--task", task, "--label", "composite", "--model", "resnet18", "--train-split", split,
               "--val-split", split, "--epochs", "1", "--warmup-epochs", "0", "--batch-size", "4", "--image-size", "160",
               "--crop-size", "128", "--out", out, "--no-progress"])
    weights = os.path.join(out, "last", "model.safetensors")
    ev = os.path.join(tmp, f"{task}_eval")
    run(miqa, ["evaluate", "--data", db, "--task", task, "--split", split, "--model", "resnet18", "--weights", weights,
               "--out", ev, "--no-progress"])
    rows = list(csv.DictReader(open(os.path.join(ev, "predictions.csv"))))
    labelled = sum(len(list(csv.DictReader(open(os.path.join(db, "labels", f"{n}_consistency.csv"))))) for n in references)
    images = [os.path.join(db, "images", r["image_name"]) for r in rows]
    scored = json.loads(run(miqa, ["score", *images, "--model", "resnet18", "--weights", weights, "--task", task, "--format", "json"]))
    by_path = {p["image_path"]: p["quality_score"] for p in scored["predictions"]}
    worst = max(abs(float(r["prediction"]) - by_path[path]) for r, path in zip(rows, images))
    ok = len(rows) == labelled and worst <= 1e-6
    print(f"{'PASS' if ok else 'FAIL'} {task} train + evaluate: {len(rows)} predictions for {labelled} labelled images, "
          f"equal to miqa score's (worst {worst:.1e})")
    return ok, weights, split
