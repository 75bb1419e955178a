"""Generate the synthetic chapter's adversarial corpus: small, odd tables with the outcome each must have.

    python tests/make_synthetic_corpus.py        # writes tests/corpus/synthetic/*.csv and manifest.json (deterministic)

Each case is a training table (and optionally a holdout table) in CSV, a schema, and an expected outcome for the whole
path a user takes: `Schema.validate`, then a generator fitted and sampled, then `evaluate`. Outcomes: `ok`, `ok` with a
warning whose text is given, or a rejection (`SchemaError` / `ValueError`) whose message names the problem.
"""
import json
from pathlib import Path
import numpy as np, pandas as pd

OUT = Path(__file__).resolve().parent/"corpus"/"synthetic"
SCHEMA = {"x": "numeric", "z": "numeric", "k": "categorical", "y": "categorical"}

def base(n: int, seed: int) -> pd.DataFrame:
    g = np.random.default_rng(seed)
    d = pd.DataFrame({"x": g.normal(size=n).round(3), "k": g.choice(list("abc"), n)})
    d["z"] = (d.x + g.normal(scale=0.5, size=n)).round(3)
    d["y"] = np.where(d.x + g.normal(size=n) > 0.3, "yes", "no")
    return d[["x", "z", "k", "y"]]

def cases():
    "name -> (train table, holdout table or None, expected outcome, note)."
    b, h = base(120, 1), base(120, 2)
    def with_(d, **cols):
        d = d.copy()
        for c, v in cols.items(): d[c] = v
        return d
    x_bad = b.x.astype(object).copy(); x_bad[5] = "12,5"
    x_inf = b.x.astype(object).copy(); x_inf[7] = "inf"
    x_ninf = b.x.astype(object).copy(); x_ninf[3] = "-inf"
    x_nan = b.x.astype(object).copy(); x_nan[9] = ""
    h_new = h.copy(); h_new.loc[:9, "k"] = "unseen"
    yield "clean", b, h, {"outcome": "ok"}, "a well-formed table"
    yield "all_missing_column", with_(b, k=""), None, {"outcome": "SchemaError", "match": "entirely missing"}, "column k empty in every row"
    yield "single_level_categorical", with_(b, k="only"), h.assign(k="only"), {"outcome": "ok"}, "k has one level: kept, nothing to learn"
    yield "unseen_category_in_holdout", b, h_new, {"outcome": "ok"}, "the holdout has a level of k the training rows lack: its own slot in the distances"
    yield "non_numeric_in_numeric", with_(b, x=x_bad), None, {"outcome": "SchemaError", "match": "non-numeric"}, "a decimal comma in x"
    yield "plus_inf", with_(b, x=x_inf), None, {"outcome": "SchemaError", "match": "infinite"}, "inf in x"
    yield "minus_inf", with_(b, x=x_ninf), None, {"outcome": "SchemaError", "match": "infinite"}, "-inf in x"
    yield "missing_numeric", with_(b, x=x_nan), None, {"outcome": "SchemaError", "match": "missing value"}, "an empty cell in x"
    yield "single_class_target", with_(b, y="no"), None, {"outcome": "SchemaError", "match": "single class"}, "the target has one class"
    yield "header_only", b.iloc[:0], None, {"outcome": "SchemaError", "match": "no rows"}, "no data rows"
    yield "missing_column", b.drop(columns="z"), None, {"outcome": "SchemaError", "match": "absent"}, "a schema column is not in the file"
    yield "twenty_rows", base(20, 3), base(20, 4), {"outcome": "ok", "tstr_model": "logistic regression"}, "too small for gradient boosting's 20-row leaves"
    yield "eight_rows", base(8, 5), base(8, 6), {"outcome": "ValueError", "match": "at least 10"}, "too small for any classifier: refused"
    yield "constant_in_train", with_(b, z=2.0), h, {"outcome": "ok", "warning": "constant in the training rows"}, "z constant in training, varying in the holdout"
    yield "unicode_and_spaces", with_(b, k=b.k.map({"a": "café", "b": " b ", "c": "Ω,c"})), None, {"outcome": "ok"}, "non-ASCII, padded and comma-holding levels"
    yield "huge_magnitudes", with_(b, x=b.x*1e150), None, {"outcome": "ok"}, "numeric values near 1e150"
    yield "duplicate_rows", pd.concat([b.iloc[:60]]*2, ignore_index=True), h, {"outcome": "ok"}, "every row twice"

def main():
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {"schema": SCHEMA, "target": "y", "cases": {}}
    for name, tr, ho, expect, note in cases():
        tr.to_csv(OUT/f"{name}.csv", index=False)
        entry = {"train": f"{name}.csv", "expect": expect, "note": note}
        if ho is not None:
            ho.to_csv(OUT/f"{name}.holdout.csv", index=False); entry["holdout"] = f"{name}.holdout.csv"
        manifest["cases"][name] = entry
    (OUT/"manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(manifest['cases'])} cases written")

if __name__ == "__main__":
    main()
