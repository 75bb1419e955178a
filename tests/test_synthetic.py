"Unit tests for the synthetic chapter's acceptance items (the notebooks hold the full set): metrics on hand-made tables, schema errors, determinism by seed."
import numpy as np, pandas as pd, pytest
from campus.synthetic.schema import Schema, SchemaError, MISSING
from campus.synthetic.metrics import hist_measures, column_distances, evaluate, exact_copies, utility
from campus.synthetic.copula import GaussianCopula
from campus.synthetic.autoregressive import SequentialCART
from campus.synthetic.smote import SmoteGenerator
from campus.synthetic.ctgan import CTGAN
from campus.synthetic.tvae import TVAE

S = Schema({"x": "numeric", "z": "numeric", "k": "categorical", "y": "categorical"}, target="y")

def draw(n, seed, shift=0.0):
    g = np.random.default_rng(seed)
    d = pd.DataFrame({"x": g.normal(size=n) + shift, "k": g.choice(list("abc"), n)})
    d["z"] = d.x + g.normal(scale=0.5, size=n)
    d["y"] = np.where(d.x + g.normal(size=n) > 0.5, "1", "0")
    return S.validate(d)

def test_schema_errors():
    with pytest.raises(SchemaError, match="unknown column type"): Schema({"a": "float", "y": "categorical"}, "y")
    with pytest.raises(SchemaError, match="not a column"): Schema({"a": "numeric"}, "y")
    df = pd.DataFrame({"x": [1.0, 2, 3], "z": [1.0, 2, 3], "k": [None, None, None], "y": ["0", "1", "0"]})
    with pytest.raises(SchemaError, match="entirely missing"): S.validate(df)
    with pytest.raises(SchemaError, match="absent"): S.validate(df.drop(columns="z"))
    with pytest.raises(SchemaError, match="non-numeric"): S.validate(df.assign(k="a", x=["a", 1, 2]))
    assert S.validate(df.assign(k=["a", None, "b"])).k.tolist() == ["a", MISSING, "b"]

def test_histogram_measures_identical_and_disjoint():
    x = np.random.default_rng(0).normal(size=3000)
    same = hist_measures(x, x)
    assert same["pearson"] == pytest.approx(1) and same["intersection"] == pytest.approx(1) and same["bhattacharyya"] == pytest.approx(0, abs=1e-12)
    far = hist_measures(x, x + 100, shared=True)
    assert far["intersection"] == 0 and far["bhattacharyya"] == pytest.approx(1)
    assert hist_measures(x, x + 100)["bhattacharyya"] == pytest.approx(0, abs=1e-12)     # the Campus's own-range bins are blind to a shift

def test_evaluate_identical_vs_disjoint():
    tr, te, ho = draw(1200, 1), draw(1200, 2), draw(400, 3)
    same = evaluate(tr, tr, te, ho, S, n_privacy=400)
    assert same["ks_mean"] == 0 and same["tv_mean"] == 0 and same["assoc_diff"] == pytest.approx(0, abs=1e-12)
    assert same["exact_copies"] == 1 and same["dcr_ratio"] == 0 and same["mia_auc"] > 0.95
    far = draw(1200, 4); far = far.assign(x=far.x + 50, z=far.z + 50, k="zzz")
    with pytest.warns(Warning, match="depart from the real data"):       # k lost every real level: warned
        worst = evaluate(far, tr, te, ho, S, n_privacy=400)
    assert worst["ks_mean"] == pytest.approx(1) and worst["tv_mean"] > 0.5      # k fully disjoint (TV 1); the target y is shared
    assert worst["shared_intersection"] == 0 and worst["propensity_auc"] > 0.99 and worst["exact_copies"] == 0
    assert column_distances(tr, far, S)["k"] == pytest.approx(1)
    assert exact_copies(far, tr) == 0

@pytest.mark.parametrize("make", [lambda: GaussianCopula(), lambda: SequentialCART(), lambda: SmoteGenerator(),
                                  lambda: CTGAN(epochs=2, batch_size=100, device="cpu"), lambda: TVAE(epochs=2, batch_size=100, device="cpu")])
def test_determinism_by_seed(make):
    tr = draw(400, 7)
    a = make().fit(tr, S, seed=5).sample(200, seed=9)
    b = make().fit(tr, S, seed=5).sample(200, seed=9)
    assert list(a.columns) == list(S.columns) and len(a) == 200
    pd.testing.assert_frame_equal(a, b)

def test_peer_runs_on_this_pandas():
    pytest.importorskip("ctgan")
    from campus.synthetic.compare import PeerGenerator
    tr = draw(300, 8)
    a = PeerGenerator("TVAE", epochs=2, device="cpu").fit(tr, S, seed=3).sample(100, seed=1)
    b = PeerGenerator("TVAE", epochs=2, device="cpu").fit(tr, S, seed=3).sample(100, seed=1)
    pd.testing.assert_frame_equal(a, b)
    assert set(a.k) <= {"a", "b", "c"}

# ---- issue-driven checks: collapse, warnings, small and odd tables (each fails on the code before them) ----
import json, warnings
from pathlib import Path
from campus.synthetic.metrics import departures, privacy, SyntheticWarning
from campus.synthetic.schema import SchemaError

def _tiny_credit(n=200, seed=0):
    "A small table whose 30% minority class the features do not predict: arg-max decoding loses it."
    g = np.random.default_rng(seed)
    T = Schema({"x": "numeric", "k": "categorical", "j": "categorical", "y": "categorical"}, "y")
    d = pd.DataFrame({"x": g.normal(size=n), "k": g.choice(list("abc"), n, p=[.6, .3, .1]), "j": g.choice(list("uv"), n, p=[.7, .3]),
                      "y": np.where(g.random(n) < 0.3, "bad", "good")})
    return T, T.validate(d)

def test_tvae_keeps_the_target_that_argmax_collapses():
    T, d = _tiny_credit()
    real = (d.y == "bad").mean()
    argmax = TVAE(epochs=30, device="cpu", temperature=0, condition_target=False).fit(d, T, seed=0).sample(len(d), seed=0)
    ours = TVAE(epochs=30, device="cpu").fit(d, T, seed=0).sample(len(d), seed=0)
    assert (argmax.y == "bad").mean() < 0.15                       # the old decoding: the minority shrinks towards nothing
    assert abs((ours.y == "bad").mean() - real) < 0.05            # sampled and conditioned: the real share
    assert set(ours.k) == {"a", "b", "c"} and set(ours.j) == {"u", "v"}
    assert len(departures(ours, d, T)) == 0 and "y" in set(departures(argmax, d, T).column)

def test_ctgan_keeps_the_target_share():
    T, d = _tiny_credit()
    s = CTGAN(epochs=3, device="cpu").fit(d, T, seed=0).sample(400, seed=1)
    assert abs((s.y == "bad").mean() - (d.y == "bad").mean()) < 0.05

def test_evaluate_warns_on_collapse_and_constant_model():
    tr, te, ho = draw(600, 1), draw(600, 2), draw(300, 3)
    collapsed = draw(600, 4).assign(y="0", k="a")
    with pytest.warns(SyntheticWarning) as rec:
        row = evaluate(collapsed, tr, te, ho, S, n_privacy=200, label="collapsed")
    text = " ".join(str(w.message) for w in rec)
    assert "depart from the real data" in text and "constant" in text
    assert row["tstr_model"] == "constant" and row["columns_departing"] == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntheticWarning)         # a faithful table raises nothing
        evaluate(draw(600, 5), tr, te, ho, S, n_privacy=200)

def test_tstr_on_twenty_rows_uses_a_model_that_can_learn():
    u = utility(draw(20, 11), draw(400, 12), S)
    assert u["model"] == "logistic regression" and u["auc"] > 0.7     # gradient boosting could only give 0.5 here
    with pytest.raises(ValueError, match="at least 10"): utility(draw(8, 13), draw(100, 12), S)

def test_inf_rejected():
    d = draw(50, 1)
    for bad in (np.inf, -np.inf):
        with pytest.raises(SchemaError, match="infinite"): S.validate(d.assign(x=np.r_[bad, d.x.to_numpy()[1:]]))

def test_constant_column_does_not_zero_the_dcr_ratio():
    tr, ho = draw(600, 1).assign(z=1.0), draw(300, 3)
    with pytest.warns(SyntheticWarning, match="constant in the training rows"):
        p = privacy(draw(600, 4).assign(z=1.0), tr, ho, S, n=300)
    assert 0.7 < p["dcr_ratio"] < 1.5

CORPUS = Path(__file__).resolve().parent/"corpus"/"synthetic"

def _read(path):
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    return raw.replace("", np.nan)

def _run_case(entry, schema):
    tr = schema.validate(_read(CORPUS/entry["train"]))
    if "holdout" in entry: ho = schema.validate(_read(CORPUS/entry["holdout"]))
    else: tr, ho = tr.iloc[: 2*len(tr)//3].reset_index(drop=True), tr.iloc[2*len(tr)//3:].reset_index(drop=True)
    syn = GaussianCopula().fit(tr, schema, seed=0).sample(len(tr), seed=0)
    return evaluate(syn, tr, ho, ho, schema, n_privacy=200)

def test_adversarial_corpus():
    "Every odd table of the corpus has its expected outcome: no crash, no silent pass of a bad table, every rejection with its reason."
    man = json.loads((CORPUS/"manifest.json").read_text(encoding="utf-8"))
    schema = Schema(man["schema"], man["target"])
    outcomes = {}
    for name, entry in man["cases"].items():
        exp = entry["expect"]
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                row = _run_case(entry, schema); got = "ok"; msg = ""
            except SchemaError as e: got, msg, row = "SchemaError", str(e), None
            except ValueError as e: got, msg, row = "ValueError", str(e), None
        outcomes[name] = got
        assert got == exp["outcome"], (name, got, msg)
        if "match" in exp: assert exp["match"] in msg, (name, msg)
        if "warning" in exp: assert any(exp["warning"] in str(x.message) for x in w), (name, [str(x.message) for x in w])
        if "tstr_model" in exp: assert row["tstr_model"] == exp["tstr_model"], (name, row["tstr_model"])
        if row is not None: assert np.isfinite([row["tstr_auc"], row["dcr_ratio"], row["mia_auc"]]).all(), (name, row)
    assert sum(v != "ok" for v in outcomes.values()) == sum(e["expect"]["outcome"] != "ok" for e in man["cases"].values())

def test_full_configuration_by_device_and_rows():
    "Full on a GPU: the CTGAN paper's 300 epochs; full on a CPU: a fixed budget of optimiser steps, so fewer epochs on more rows."
    from campus.synthetic.compare import run_sizes, CPU_STEPS, GPU_EPOCHS
    from campus.synthetic.ctgan import training_plan
    gpu, cpu = run_sizes("full", "cuda:0", 26_049), run_sizes("full", "cpu", 26_049)
    assert gpu["config"] == "full (GPU)" and gpu["epochs_gan"] == gpu["epochs_vae"] == GPU_EPOCHS and gpu["n_train"] is None
    assert cpu["config"] == "full (CPU)" and cpu["n_train"] is None
    for kind, ep in (("gan", cpu["epochs_gan"]), ("vae", cpu["epochs_vae"])):
        steps = ep*training_plan(26_049)[2]
        assert CPU_STEPS[kind] <= steps < CPU_STEPS[kind] + training_plan(26_049)[2]      # the budget, rounded up to whole epochs
    small = run_sizes("full", "cpu", 4_000)
    assert small["epochs_gan"] > cpu["epochs_gan"] and small["epochs_vae"] > cpu["epochs_vae"]
    assert cpu["n_privacy"] <= gpu["n_privacy"] and cpu["n_fidelity"] <= gpu["n_fidelity"]
    assert run_sizes("smoke", "cuda", 26_049)["n_train"] == 2000
    with pytest.raises(ValueError, match="scale is 'smoke' or 'full'"): run_sizes("medium", "cpu", 100)
