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
