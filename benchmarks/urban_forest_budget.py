"""Urban forest: does a `full` CPU configuration fit the training budget (45 minutes on 2 cores)? An estimate from measured cost.

On a shared machine wall time depends on the other jobs, so the cost of one training step (a batch of 8) is measured in CPU-seconds
of this process (`time.process_time`, with one torch thread), over two epochs after a warm-up epoch, repeated (`--repeats`) and summarised by the median, because a busy machine inflates
CPU time too (shared caches and cores). The number of steps a `full`
run trains (the three leave-one-drive-out models, the extra models of the out-of-fold threshold, and the final model) follows
from the frame counts; the estimate divides the CPU-seconds by 2 cores at an assumed parallel efficiency (default 0.8: two torch
threads on two cores do not quite halve the time of one).

Usage: python benchmarks/urban_forest_budget.py [--arch lite0] [--no-oof] [--repeats 3] [--epochs 12] [--size 120 160] [--widths 16 32 64 128]
       [--efficiency 0.8] [--frames 41]
The chapter's full CPU configuration: --arch lite0 --epochs 12 --lr 1e-3 --no-oof (its threshold is fitted on the training frames).
"""
import argparse, json, time
import numpy as np
import torch

from campus.urban_forest.colour import camvid_index
from campus.urban_forest.segment import SegConfig, load_arrays, train_model

def steps(n_frames: int, bs: int) -> int: return max(1, n_frames // bs) if n_frames > bs else 1

def plan_steps(idx, epochs: int, bs: int = 8, oof: bool = True) -> dict:
    "Training steps of a full run: per outer fold, the fold model (+ one inner model per remaining drive), and the final model."
    tr = idx[idx.split == "train"]; seqs = list(dict.fromkeys(tr.sequence))
    outer = sum(steps(int((tr.sequence != s).sum()), bs) for s in seqs) * epochs
    inner = sum(steps(int(((tr.sequence != s) & (tr.sequence != t)).sum()), bs) for s in seqs for t in seqs if t != s) * epochs if oof else 0
    return {"outer": outer, "inner": inner, "final": steps(len(tr), bs) * epochs}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="tiny", help="tiny | lite0"); ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--epochs", type=int, default=24); ap.add_argument("--size", type=int, nargs=2, default=(120, 160))
    ap.add_argument("--widths", type=int, nargs="+", default=(16, 32, 64, 128)); ap.add_argument("--efficiency", type=float, default=0.8)
    ap.add_argument("--frames", type=int, default=41); ap.add_argument("--no-oof", action="store_true")
    ap.add_argument("--repeats", type=int, default=2, help="measure this many times and use the median (a busy machine inflates CPU time too)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    idx = camvid_index(); tr = idx[idx.split == "train"]
    X, Y = load_arrays(tr.image_path.iloc[::max(1, len(tr) // a.frames)][:a.frames], tr.label_path.iloc[::max(1, len(tr) // a.frames)][:a.frames], tuple(a.size))
    n = steps(len(X), 8) * 2
    cps_all, wps_all = [], []
    for _ in range(a.repeats):
        cpu = {}
        for ep in (1, 3):
            cfg = SegConfig(arch=a.arch, widths=tuple(a.widths), size=tuple(a.size), epochs=ep, lr=a.lr, bs=8, jitter=0.3, norm="image", loss="weighted")
            c0, w0 = time.process_time(), time.perf_counter(); train_model(cfg, X, Y, device="cpu"); cpu[ep] = (time.process_time() - c0, time.perf_counter() - w0)
        cps_all.append((cpu[3][0] - cpu[1][0]) / n); wps_all.append((cpu[3][1] - cpu[1][1]) / n)
    cps, wps = float(np.median(cps_all)), float(np.median(wps_all))
    plan = plan_steps(idx, a.epochs, oof=not a.no_oof)
    total = sum(plan.values())
    est_min = total * cps / (2 * a.efficiency) / 60
    print(json.dumps({"cpu_s_per_step": round(cps, 3), "cpu_s_per_step_measured": [round(c, 3) for c in cps_all], "wall_s_per_step_now": round(wps, 3), "steps": plan, "total_steps": total,
                      "estimate_minutes_2_cores": round(est_min, 1), "fits_45_min": est_min <= 45, "arch": a.arch, "oof": not a.no_oof, "size": list(a.size), "widths": list(a.widths),
                      "epochs": a.epochs, "efficiency": a.efficiency}))

if __name__ == "__main__":
    main()
