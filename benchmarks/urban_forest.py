"""Urban forest scoring benchmark: images/second for the colour baselines and the segmentation model, same run, same frames.

Scores N real CamVid frames (360 x 480) with
  * the Campus's a* rule (`astar_fraction`, vectorised numpy sRGB -> L*a*b*),
  * excess green (`exg_fraction`),
  * the U-Net model: frames reduced to the model's working size, probabilities upsampled back to 360 x 480 and thresholded,
on the CPU (threads as given) and, when PyTorch sees a CUDA GPU, on the GPU too. Image decoding is timed separately and excluded
from the method rates (it is shared by all methods).
The model is the one the chapter's report saved (`<build>/models/urban_forest/unet_<scale>.pt`) if present; otherwise a freshly
initialised network of the same architecture (the speed does not depend on the weights), and the script says so.
Usage: python benchmarks/urban_forest.py [--n 64] [--threads 2] [--model PATH] [--arch tiny|resnet18] [--size 90 120]
"""
import argparse, time
from pathlib import Path
import numpy as np
import torch

from campus.core import models_dir
from campus.urban_forest.colour import camvid_index, read_rgb, astar_fraction, exg_fraction
from campus.urban_forest.segment import SegConfig, make_model, load_model, predict_proba

def rate(f, n, reps=1):
    t0 = time.perf_counter()
    for _ in range(reps): f()
    return n * reps / (time.perf_counter() - t0)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--model", default=None)
    ap.add_argument("--arch", default="tiny")
    ap.add_argument("--size", type=int, nargs=2, default=None)
    ap.add_argument("--bs", type=int, default=16)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    idx = camvid_index().iloc[:: max(1, 468 // a.n)].iloc[: a.n]
    t0 = time.perf_counter(); imgs = [read_rgb(p) for p in idx.image_path]; t_read = time.perf_counter() - t0
    print(f"{len(imgs)} CamVid frames of {imgs[0].shape[1]}x{imgs[0].shape[0]}; JPEG decoding {len(imgs)/t_read:,.0f} images/s (excluded below)")
    path = Path(a.model) if a.model else next((p for p in [models_dir()/"urban_forest"/"unet_full.pt", models_dir()/"urban_forest"/"unet_smoke.pt"] if p.exists()), None)
    if path is not None and path.exists():
        model, cfg, _ = load_model(path); src = f"saved model {path}"
    else:
        cfg = SegConfig(arch=a.arch, size=tuple(a.size or ((180, 240) if a.arch != "tiny" else (90, 120))))
        model = make_model(cfg).eval(); src = f"untrained {cfg.arch} network (no saved model found; speed does not depend on weights)"
    if a.size and tuple(a.size) != tuple(cfg.size): cfg.size = tuple(a.size)
    print(f"model: {src}; arch {cfg.arch}, working size {cfg.size}, {sum(p.numel() for p in model.parameters()):,} parameters")
    from PIL import Image
    def resize_all(): return np.stack([np.asarray(Image.fromarray(im).resize((cfg.size[1], cfg.size[0]), Image.BILINEAR)) for im in imgs])
    small = resize_all()
    res = {}
    res["a* rule (numpy, CPU)"] = rate(lambda: [astar_fraction(im) for im in imgs], len(imgs))
    res["excess green (numpy, CPU)"] = rate(lambda: [exg_fraction(im) for im in imgs], len(imgs))
    devs = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for d in devs:
        f = lambda: (predict_proba(model, cfg, resize_all(), out_size=imgs[0].shape[:2], device=d, bs=a.bs) > 0.5).mean((1, 2))
        f()  # warm-up
        if d == "cuda": torch.cuda.synchronize()
        res[f"U-Net model ({d}{', %d threads' % a.threads if d == 'cpu' else ', ' + torch.cuda.get_device_name(0)})"] = rate(f, len(imgs))
    base = res["a* rule (numpy, CPU)"]
    print(f"{'method':48s} {'images/s':>10s} {'vs a* rule':>10s}")
    for k, v in res.items(): print(f"{k:48s} {v:10.1f} {v/base:10.2f}x")
    # the user's whole path: a folder of JPEGs -> one share per image, decoding included, same frames for both
    import os, tempfile
    from campus.urban_forest.segment import score_folder
    with tempfile.TemporaryDirectory() as td:
        for p in idx.image_path: os.symlink(p, os.path.join(td, os.path.basename(p)))
        whole = {"a* rule: read_rgb + astar_fraction per file": rate(lambda: [astar_fraction(read_rgb(os.path.join(td, f))) for f in sorted(os.listdir(td))], len(imgs))}
        for d in devs:
            score_folder((model, cfg, {}), td, device=d, bs=a.bs)   # warm-up
            whole[f"score_folder ({d}, bs={a.bs})"] = rate(lambda: score_folder((model, cfg, {}), td, device=d, bs=a.bs), len(imgs))
    wb = whole["a* rule: read_rgb + astar_fraction per file"]
    print(f"\nwhole path, decoding included\n{'method':48s} {'images/s':>10s} {'vs a* rule':>10s}")
    for k, v in whole.items(): print(f"{k:48s} {v:10.1f} {v/wb:10.2f}x")

if __name__ == "__main__":
    main()
