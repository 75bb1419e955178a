"""Benchmark: the chapter's term pipeline (lemmatised 1-3-word phrases, stop lists, document-frequency filter, nested-phrase
absorption, TF-IDF) on the 10,000 USPTO abstracts, against a plain scikit-learn TfidfVectorizer (1-3-grams, English stop words,
the same document-frequency limits) on the same text, in the same run.

    python benchmarks/patents.py [--repeats 3] [--corpus patents/USPTO-random-10000.csv.gz]
"""
import argparse, time
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from campus.data import fetch
from campus.patents.terms import load_patents, TermModel

def best_of(f, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); out = f(); times.append(time.perf_counter() - t0)
    return min(times), out

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--corpus", default="patents/USPTO-random-10000.csv.gz")
    a = ap.parse_args()
    pat, _ = load_patents(fetch(a.corpus))
    texts = pat["abstract"].tolist(); n = len(texts)
    t_ours, tm = best_of(lambda: TermModel().fit(texts), a.repeats)
    t_plain, X = best_of(lambda: TfidfVectorizer(ngram_range=(1, 3), stop_words="english", min_df=2, max_df=0.05).fit_transform(texts), a.repeats)
    print(f"documents: {n:,}  (best of {a.repeats})")
    print(f"campus.patents TermModel : {t_ours:6.2f} s  {n / t_ours:8,.0f} docs/s  {len(tm.vocab):,} terms ({len(tm.absorbed_):,} nested absorbed)")
    print(f"plain TfidfVectorizer    : {t_plain:6.2f} s  {n / t_plain:8,.0f} docs/s  {X.shape[1]:,} terms")
    print(f"ratio (ours / plain)     : {t_ours / t_plain:6.2f}x the time")

if __name__ == "__main__":
    main()
