"""Urban forest: the effect of each change to the pretrained-encoder U-Net (the full CPU network), drive by drive.

Each variant is one leave-one-sequence-out run over the three CamVid training drives with one change to the full CPU
configuration's recipe (EfficientNet-Lite0 encoder, 120 x 160, 12 epochs, class-weighted CE, mirror averaging, threshold
fitted on the training frames), on every 2nd training frame and every 2nd held-out frame. One row per variant, with the
IoU, MAE and bias of every held-out drive and pooled, is appended to the CSV as each run finishes.

Usage: python benchmarks/urban_forest_lite0_ablation.py OUT.csv [--threads 1] [--only NAME ...] [--train-every 2] [--eval-every 2]
The chapter reads the CSV it ships (`nbs/20_urban_forest/ablation_lite0.csv`).
"""
import argparse, csv, json, time
from pathlib import Path
import torch

from campus.urban_forest.colour import camvid_index
from campus.urban_forest.segment import SegConfig
from campus.urban_forest.validate import loso_cv

BASE = dict(arch="lite0", size=(120, 160), epochs=12, lr=1e-3, bs=8, jitter=0.3, norm="image", loss="weighted",
            tta=True, calibrate=True, calibrate_on="train")
VARIANTS = {   # name: (what changes, config overrides)
    "lite0": ("the full CPU recipe before this table (no zoom or saturation augmentation)", {}),
    "lite0+camvid11": ("all 11 CamVid classes as the target, vegetation read off", dict(classes="camvid11")),
    "lite0+24ep": ("twice the epochs (24)", dict(epochs=24)),
    "lite0+zoom+sat": ("random zoom (up to 1.5 x) and colour-saturation augmentation", dict(zoom=0.5, saturation=0.3)),
    "lite0+zoom+sat+lr3e-3": ("zoom and saturation, with a 3 x higher learning rate", dict(zoom=0.5, saturation=0.3, lr=3e-3)),
    "lite0+zoom+sat+24ep": ("zoom and saturation, 24 epochs", dict(zoom=0.5, saturation=0.3, epochs=24)),
    "lite0+zoom+sat@180x240": ("zoom and saturation at 180 x 240 input", dict(zoom=0.5, saturation=0.3, size=(180, 240))),
    "lite0+zoom+sat+seed1": ("zoom and saturation, another seed (how much a rerun moves)", dict(zoom=0.5, saturation=0.3, seed=1)),
}
DRIVES = ("0001TP", "0006R0", "0016E5", "pooled")
FIELDS = (["variant", "change", "overrides", "train_every", "eval_every", "held_out_frames"]
          + [f"{d}_{k}" for d in DRIVES for k in ("iou", "mae_pp", "bias_pp")]
          + ["train_s", "threads"])

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out"); ap.add_argument("--threads", type=int, default=1); ap.add_argument("--only", nargs="*")
    ap.add_argument("--train-every", type=int, default=2); ap.add_argument("--eval-every", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    idx = camvid_index()
    out = Path(a.out)
    for name, (change, over) in VARIANTS.items():
        if a.only and name not in a.only: continue
        cfg = SegConfig(**{**BASE, **over})
        t0 = time.perf_counter()
        fr, tab = loso_cv(idx, cfg, train_every=a.train_every, eval_every=a.eval_every, device="cpu", log=None)
        t = tab.set_index(["fold", "method"])
        row = dict(variant=name, change=change, overrides=json.dumps(over), train_every=a.train_every, eval_every=a.eval_every,
                   held_out_frames=len(fr), train_s=round(tab[(tab.fold != "pooled") & (tab.method == "model")].train_s.sum(), 1), threads=a.threads)
        for d in DRIVES:
            row.update({f"{d}_iou": round(t.loc[(d, "model"), "iou"], 4), f"{d}_mae_pp": round(t.loc[(d, "model"), "mae_pp"], 3),
                        f"{d}_bias_pp": round(t.loc[(d, "model"), "bias_pp"], 3)})
        new = not out.exists()
        with open(out, "a", newline="") as f:
            w = csv.DictWriter(f, FIELDS)
            if new: w.writeheader()
            w.writerow(row)
        print(f"{name:24s} pooled IoU {row['pooled_iou']:.3f}  MAE {row['pooled_mae_pp']:.2f} pp  bias {row['pooled_bias_pp']:+.2f} pp  "
              f"worst-drive IoU {min(row[f'{d}_iou'] for d in DRIVES[:3]):.3f}  (training {row['train_s']:.0f} s, wall {time.perf_counter() - t0:.0f} s)", flush=True)

if __name__ == "__main__":
    main()
