"""Benchmark: training and sampling time of every synthetic-data generator of the chapter against SDV's CTGAN and TVAE
(the standalone `ctgan` package) on the same Adult rows, same epochs, same device, in the same run; with TSTR AUC and the
membership-inference AUC of each so speed is never read without quality.

    python benchmarks/synthetic.py [--rows 5000] [--epochs 50] [--device auto] [--threads 1]

The peer: `sdv` 2.0 requires pandas < 3 and cannot be installed next to this project's pins. Its CTGAN and TVAE live in the
`ctgan` package, which runs on pandas 3 when installed without dependency resolution:

    pip install --no-deps ctgan==0.12.1 rdt==2.0.0 Faker==40.63.0

If `ctgan` is missing this script says so and times the chapter's generators alone. To keep the project venv untouched, a
throwaway environment that reuses it works too:

    python -m venv /tmp/peer && echo "$(.venv/bin/python -c 'import site; print(site.getsitepackages()[0])')" \\
        > "$(/tmp/peer/bin/python -c 'import site; print(site.getsitepackages()[0])')/project.pth"
    /tmp/peer/bin/pip install --no-deps ctgan==0.12.1 rdt==2.0.0 Faker==40.63.0
    /tmp/peer/bin/python benchmarks/synthetic.py
"""
import argparse, time
import numpy as np, pandas as pd, torch
from campus.core import get_device
from campus.synthetic.schema import load_adult, ADULT
from campus.synthetic.compare import registry, synthesise_all, peer_available
from campus.synthetic.metrics import utility, privacy

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    dev = get_device(a.device)
    train_all, test, _ = load_adult()
    rng = np.random.default_rng(a.seed); idx = rng.permutation(len(train_all))
    train = train_all.iloc[idx[:a.rows]].reset_index(drop=True)
    holdout = train_all.iloc[idx[a.rows:a.rows + min(a.rows, 2000)]].reset_index(drop=True)
    for make in registry(1, 1, device=dev).values():          # warm-up (torch initialisation, imports) outside the timings
        make().fit(train.iloc[:200], ADULT, seed=a.seed)
    if not peer_available(): print("peer package `ctgan` not installed: timing the chapter's generators only (see the docstring)")
    tables, times = synthesise_all(train, ADULT, registry(a.epochs, a.epochs, device=dev), n=len(train), seed=a.seed, log=None)
    rows = {}
    for name, syn in tables.items():
        u = utility(syn, test, ADULT, positive=">50K", seed=a.seed); p = privacy(syn, train, holdout, ADULT, n=1000, seed=a.seed)
        rows[name] = {**times.loc[name].to_dict(), "tstr_auc": u["auc"], "mia_auc": p["mia_auc"], "dcr_ratio": p["dcr_ratio"]}
    df = pd.DataFrame(rows).T
    print(f"rows: {len(train):,}  epochs: {a.epochs}  device: {dev}  torch threads: {a.threads}  TRTR AUC: {utility(train, test, ADULT)['auc']:.3f}")
    print(df.round(3).to_string())
    for ours, peer in (("CTGAN (ours)", "CTGAN (SDV)"), ("TVAE (ours)", "TVAE (SDV)")):
        if peer in df.index:
            print(f"{ours} / {peer}: fit {df.loc[ours, 'fit_s'] / df.loc[peer, 'fit_s']:.2f}x the time, "
                  f"sample {df.loc[ours, 'sample_s'] / df.loc[peer, 'sample_s']:.2f}x the time")

if __name__ == "__main__":
    main()
