"""Urban forest: the effect of each model change under leave-one-sequence-out validation, on a reduced schedule.

Each variant trains the small U-Net once per held-out drive (all three CamVid training drives in turn) and scores the held-out
frames; one row per variant goes to a CSV (appended as each finishes, so a partial run is usable). The reduced schedule (a
narrow U-Net, 60 x 80 input, every 6th training frame, every 4th held-out frame) exists because the full CPU configuration takes
most of an hour; it ranks the changes, it does not measure the full configuration's accuracy.

Usage: python benchmarks/urban_forest_ablation.py OUT.csv [--threads 1] [--only NAME ...] [--epochs 20]
The chapter reads the CSV it ships (`nbs/20_urban_forest/ablation_reduced.csv`).
"""
import argparse, csv, os, platform, time
from pathlib import Path
import torch

from campus.urban_forest.colour import camvid_index
from campus.urban_forest.segment import SegConfig
from campus.urban_forest.validate import loso_cv

BASE = dict(arch="tiny", widths=(8, 16, 32, 64), size=(60, 80), epochs=20, lr=1e-2, bs=8, jitter=0.3, norm="image", loss="ce")
VARIANTS = {   # name: (what changes, config overrides)
    "base": ("plain cross-entropy (the earlier configuration)", {}),
    "weighted": ("class-weighted cross-entropy", dict(loss="weighted")),
    "dice": ("cross-entropy + soft Dice", dict(loss="dice")),
    "focal": ("focal loss", dict(loss="focal")),
    "weighted+gamma": ("weighted CE + gamma augmentation", dict(loss="weighted", gamma=0.4)),
    "weighted+tta": ("weighted CE + mirror averaging at test time", dict(loss="weighted", tta=True)),
    "weighted+calibrate": ("weighted CE + threshold fitted on the training frames' own predictions", dict(loss="weighted", calibrate=True, calibrate_on="train")),
    "weighted+calibrate-oof": ("weighted CE + threshold fitted out of fold inside the training drives", dict(loss="weighted", calibrate=True)),
    "weighted+camvid11": ("weighted CE on all 11 classes, vegetation read off", dict(loss="weighted", classes="camvid11")),
    "weighted+90x120": ("weighted CE at 90 x 120 input", dict(loss="weighted", size=(90, 120))),
    "weighted+40ep": ("weighted CE, twice the epochs", dict(loss="weighted", epochs=40)),
    "combined": ("weighted CE + gamma + mirror averaging + calibrated threshold", dict(loss="weighted", gamma=0.4, tta=True, calibrate=True, calibrate_on="train")),
    "full-cpu-recipe@90x120": ("weighted CE + mirror averaging + calibrated threshold at 90 x 120 (the full CPU recipe, smaller)",
                               dict(loss="weighted", tta=True, calibrate=True, calibrate_on="train", size=(90, 120))),
    "full-cpu-recipe-oof@90x120": ("the same with the threshold fitted out of fold inside the training drives",
                                   dict(loss="weighted", tta=True, calibrate=True, size=(90, 120))),
    "weighted+calibrate-oof-bias": ("weighted CE + threshold fitted out of fold for zero bias", dict(loss="weighted", calibrate=True, calibrate_for="bias")),
    "full-cpu-recipe-oof-bias@90x120": ("the full CPU recipe at 90 x 120, threshold fitted out of fold for zero bias",
                                        dict(loss="weighted", tta=True, calibrate=True, calibrate_for="bias", size=(90, 120))),
    "camvid11+calibrate-oof@90x120": ("11 classes, weighted CE, mirror averaging, out-of-fold threshold at 90 x 120",
                                      dict(loss="weighted", tta=True, calibrate=True, classes="camvid11", size=(90, 120))),
    "dice+calibrate-oof@90x120": ("CE + soft Dice, mirror averaging, out-of-fold threshold at 90 x 120",
                                  dict(loss="dice", tta=True, calibrate=True, size=(90, 120))),
    "full-cpu-config-every3": ("the small U-Net's full recipe with twice the training frames (every 3rd)",
                               dict(widths=(16, 32, 64, 128), size=(120, 160), epochs=24, lr=3e-3, loss="weighted", tta=True, calibrate=True, calibrate_on="train")),
    "full-cpu-config": ("the small U-Net's full recipe (16-128 at 120 x 160, 24 epochs) on the reduced frame schedule",
                        dict(widths=(16, 32, 64, 128), size=(120, 160), epochs=24, lr=3e-3, loss="weighted", tta=True, calibrate=True, calibrate_on="train")),
    "lite0@120x160": ("U-Net on an ImageNet-pretrained EfficientNet-Lite0 encoder at 120 x 160, 12 epochs (weighted CE, mirror averaging, calibrated threshold)",
                      dict(arch="lite0", size=(120, 160), epochs=12, lr=1e-3, loss="weighted", tta=True, calibrate=True, calibrate_on="train")),
    "lite0-oof@120x160": ("the same with the threshold fitted out of fold inside the training drives",
                          dict(arch="lite0", size=(120, 160), epochs=12, lr=1e-3, loss="weighted", tta=True, calibrate=True)),
    "lite0-ce@120x160": ("the pretrained encoder with plain cross-entropy and the 0.5 threshold",
                         dict(arch="lite0", size=(120, 160), epochs=12, lr=1e-3, loss="ce", tta=True)),
}
FIELDS = ["variant", "change", "arch", "loss", "classes", "size", "epochs", "gamma", "tta", "calibrate", "calibrate_on", "calibrate_for", "model_iou", "model_mae_pp", "model_bias_pp",
          "worst_fold_mae_pp", "exg_mae_pp", "astar_mae_pp", "held_out_frames", "train_every", "train_s", "calib_s", "threads"]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out"); ap.add_argument("--threads", type=int, default=1); ap.add_argument("--only", nargs="*")
    ap.add_argument("--train-every", type=int, default=6); ap.add_argument("--eval-every", type=int, default=4)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    idx = camvid_index()
    out = Path(a.out); new = not out.exists()
    for name, (change, over) in VARIANTS.items():
        if a.only and name not in a.only: continue
        cfg = SegConfig(**{**BASE, **over})
        t0 = time.perf_counter()
        fr, tab = loso_cv(idx, cfg, train_every=a.train_every, eval_every=a.eval_every, device="cpu", log=None)
        pooled = tab[tab.fold == "pooled"].set_index("method")
        folds = tab[(tab.fold != "pooled") & (tab.method == "model")]
        row = dict(variant=name, change=change, arch=cfg.arch, loss=cfg.loss, classes=cfg.classes, size=f"{cfg.size[0]}x{cfg.size[1]}", epochs=cfg.epochs,
                   gamma=cfg.gamma, tta=cfg.tta, calibrate=cfg.calibrate, calibrate_on=cfg.calibrate_on if cfg.calibrate else "", calibrate_for=cfg.calibrate_for if cfg.calibrate else "", model_iou=round(pooled.loc["model", "iou"], 4),
                   model_mae_pp=round(pooled.loc["model", "mae_pp"], 3), model_bias_pp=round(pooled.loc["model", "bias_pp"], 3),
                   worst_fold_mae_pp=round(folds.mae_pp.max(), 3), exg_mae_pp=round(pooled.loc["exg", "mae_pp"], 3),
                   astar_mae_pp=round(pooled.loc["astar", "mae_pp"], 3), held_out_frames=len(fr), train_every=a.train_every, train_s=round(folds.train_s.sum(), 1), calib_s=round(folds.calib_s.sum(), 1),
                   threads=a.threads)
        with open(out, "a", newline="") as f:
            w = csv.DictWriter(f, FIELDS)
            if new: w.writeheader(); new = False
            w.writerow(row)
        print(f"{name:20s} IoU {row['model_iou']:.3f}  MAE {row['model_mae_pp']:.2f} pp  bias {row['model_bias_pp']:+.2f} pp  "
              f"(training {row['train_s']:.0f} s + calibration {row['calib_s']:.0f} s, wall {time.perf_counter() - t0:.0f} s)", flush=True)

if __name__ == "__main__":
    main()
