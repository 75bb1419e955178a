"""Benchmark: the chapter's term ranking (lemmatised 1-3-word phrases, patent stop lists, document-frequency filter, nested-phrase
absorption, TF-IDF, subsumed-phrase de-duplication, 2-3-word phrases ranked by summed weight) on the 10,000 USPTO abstracts,
against this chapter's re-implementation of pyGrams' default recipe (`pygrams_reference_scores`) timed in the same run, and against
pyGrams' own code, whose time on this corpus and machine class (about 80 s on 2 cores) is quoted, not measured here: pyGrams needs
NLTK and its WordNet and tagger data, which this environment does not have. Prints the speed ratios and the overlap of the two
rankings (top 20 and top 100 of the reference) with Spearman's rank correlation on the reference's top 100.

    python benchmarks/patents.py [--repeats 3] [--corpus patents/USPTO-random-10000.csv.gz] [--pygrams-seconds 80]
"""
import argparse, time
import numpy as np
from scipy.stats import spearmanr
from campus.data import fetch
from campus.patents.terms import load_patents, TermModel, pygrams_reference_scores

def best_of(f, repeats):
    "Best wall and best CPU time over repeats (the build machine is shared: CPU time is the work, wall time what a user waits)."
    walls, cpus = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time(); out = f()
        walls.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--corpus", default="patents/USPTO-random-10000.csv.gz")
    ap.add_argument("--pygrams-seconds", type=float, default=80.0, help="pyGrams' own time on the corpus (quoted)")
    a = ap.parse_args()
    pat, _ = load_patents(fetch(a.corpus))
    texts = pat["abstract"].tolist(); n = len(texts)
    t_ours, c_ours, ours = best_of(lambda: TermModel().fit(texts).scores(), a.repeats)       # the user's whole path: fit and rank
    t_ref, c_ref, ref = best_of(lambda: pygrams_reference_scores(texts), a.repeats)
    top = {k: len(set(ref.index[:k]) & set(ours.index[:k])) for k in (20, 100)}
    common = [t for t in ref.index[:100] if t in ours.index]
    rho = spearmanr(ref[common].to_numpy(), ours[common].to_numpy()).statistic if len(common) > 2 else float("nan")
    print(f"documents: {n:,}  (best of {a.repeats})")
    print(f"campus.patents TermModel + scores : {t_ours:6.2f} s wall, {c_ours:6.2f} s CPU  {len(ours):,} phrases ranked")
    print(f"pyGrams reference (this chapter)  : {t_ref:6.2f} s wall, {c_ref:6.2f} s CPU  {len(ref):,} terms ranked")
    print(f"speed ratio vs pyGrams' own code  : {a.pygrams_seconds / c_ours:6.1f}x on CPU time, {a.pygrams_seconds / t_ours:.1f}x on wall time "
          f"(pyGrams {a.pygrams_seconds:.0f} s, quoted; goal >= 10x)")
    print(f"speed ratio vs the reference      : {c_ref / c_ours:6.2f}x on CPU time")
    print(f"top-20 overlap with the reference : {top[20]} of 20 (goal >= 15)")
    print(f"top-100 overlap                   : {top[100]} of 100; Spearman rho on the {len(common)} shared of the reference's top 100: {rho:.2f}")

if __name__ == "__main__":
    main()
