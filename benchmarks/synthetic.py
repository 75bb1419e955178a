"""Benchmark: training and sampling time of every synthetic-data generator of the chapter against SDV's CTGAN and TVAE
(the standalone `ctgan` package) on the same rows of any registered table (default Adult), same epochs and batch size, same
device, in the same run; with TSTR AUC, DCR ratio and membership-inference AUC of each so speed is never read without quality.

    python benchmarks/synthetic.py [--table adult | FILE.csv] [--rows 5000] [--epochs 50] [--device auto] [--threads 1]
                                   [--only "CTGAN (ours)" "CTGAN (SDV)"]

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
from campus.synthetic.compare import registry, synthesise_all, peer_available, load_table, TABLES
from campus.synthetic.metrics import utility, privacy

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--table", default="adult", help=f"a registered table ({', '.join(sorted(TABLES))}) or a CSV file with a header (target: last column)")
    ap.add_argument("--rows", type=int, default=5000, help="training rows (at most the table's, less the holdout)")
    ap.add_argument("--epochs", default="50", help="epochs of the neural generators, ours and SDV's, or 'auto' (training_plan)")
    ap.add_argument("--batch", default="auto", help="batch size of the neural generators, ours and SDV's, or 'auto'")
    ap.add_argument("--only", nargs="*", default=None, help="generators to run (names as in the registry)")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    dev = get_device(a.device)
    train_all, test, S = load_table(a.table)
    n_hold = min(2000, len(train_all)//5)             # real rows no generator sees: the privacy baseline, and a reference
    rng = np.random.default_rng(a.seed); idx = rng.permutation(len(train_all))    # sample scored as if it were synthetic
    holdout = train_all.iloc[idx[:n_hold]].reset_index(drop=True)
    reference = train_all.iloc[idx[n_hold:2*n_hold]].reset_index(drop=True)
    train = train_all.iloc[idx[2*n_hold:2*n_hold + a.rows]].reset_index(drop=True)
    positive = train[S.target].value_counts().idxmin()
    num = lambda v: v if v == "auto" else int(v)
    pick = lambda reg: {k: v for k, v in reg.items() if a.only is None or k in a.only}
    for make in pick(registry(1, 1, device=dev, batch_size=num(a.batch))).values():   # warm-up (torch, imports) outside the timings
        make().fit(train.iloc[:200], S, seed=a.seed)
    if not peer_available(): print("peer package `ctgan` not installed: timing the chapter's generators only (see the docstring)")
    reg = pick(registry(num(a.epochs), num(a.epochs), device=dev, batch_size=num(a.batch)))
    tables, times = synthesise_all(train, S, reg, n=len(train), seed=a.seed, log=None)
    rows = {}
    for name, syn in list(tables.items()) + [("Real holdout (reference)", reference)]:
        u = utility(syn, test, S, positive=positive, seed=a.seed); p = privacy(syn, train, holdout, S, n=1000, seed=a.seed)
        rows[name] = {**(times.loc[name].to_dict() if name in times.index else {}), "tstr_auc": u["auc"], "mia_auc": p["mia_auc"],
                      "dcr_ratio": p["dcr_ratio"], "share_" + str(positive): float((syn[S.target] == positive).mean())}
    df = pd.DataFrame(rows).T
    ref = df.loc["Real holdout (reference)", "tstr_auc"]
    df["meets_frontier_goal"] = (df.tstr_auc >= ref - 0.05) & (df.dcr_ratio >= 1)     # utility >= real holdout - 0.05 at DCR ratio >= 1
    if a.table == "adult":
        df["meets_adult_goal"] = (df.tstr_auc >= 0.85) & (df.dcr_ratio >= 1)         # the Adult goal: TSTR AUC >= 0.85 at DCR ratio >= 1
    print(f"table: {a.table}  rows: {len(train):,}  epochs: {a.epochs}  batch: {a.batch}  device: {dev}  torch threads: {a.threads}  "
          f"TRTR AUC: {utility(train, test, S)['auc']:.3f}")
    print(df.round(3).to_string())
    for ours, peer in (("CTGAN (ours)", "CTGAN (SDV)"), ("TVAE (ours)", "TVAE (SDV)")):
        if peer in df.index and ours in df.index:
            print(f"{ours} / {peer}: fit {df.loc[ours, 'fit_s'] / df.loc[peer, 'fit_s']:.2f}x the time, "
                  f"sample {df.loc[ours, 'sample_s'] / df.loc[peer, 'sample_s']:.2f}x the time")

if __name__ == "__main__":
    main()
