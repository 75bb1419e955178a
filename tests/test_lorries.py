"Lorries: the noise generator, the labellers and the metrics (fast unit tests; the notebooks hold more)."
import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from campus.lorries.generate import (load_hs, simulate_manifest, messy_line, typo, shorten, quantity, brand, NoiseParams,
                                     NEIGHBOURS, TYPOS, GROUPAGE)
from campus.lorries.label import (levenshtein, levenshtein_label, shared_words_label, fragment_label, label_clusters, HSIndex,
                                  TextSection, LABELLERS)
from campus.lorries.evaluate import ari, nmi, label_accuracy, coverage
from campus.lorries.embed import clean_tokens

@pytest.fixture(scope="module")
def hs(): return load_hs()

def test_manifest_deterministic_by_seed(hs):
    a, b = simulate_manifest(500, 0.5, seed=11, hs=hs), simulate_manifest(500, 0.5, seed=11, hs=hs)
    assert a.equals(b)
    assert not a.line.equals(simulate_manifest(500, 0.5, seed=12, hs=hs).line)

def test_manifest_truth_is_consistent(hs):
    d = simulate_manifest(3000, 0.7, seed=1, hs=hs)
    real = d[~d.groupage]
    assert (real.hscode.str[:4] == real.heading).all() and (real.heading.str[:2] == real.chapter).all()
    sec = hs[hs.level == 2].set_index("chapter").section
    assert (real.chapter.map(sec) == real.section).all()
    assert set(d.loc[d.groupage, "phrase"]) <= set(GROUPAGE)

def _only(**kw):
    from dataclasses import asdict
    return NoiseParams(**{**{f: 0.0 for f in asdict(NoiseParams())}, "lower_case": 1.0, **kw})

@pytest.mark.parametrize("kind", TYPOS)
def test_each_typo_kind(kind):
    rng = np.random.default_rng(0)
    for _ in range(50):
        w = "portions"; s = typo(w, rng, kind)
        assert s[0] == w[0]
        if kind == "substitute": assert len(s) == len(w) and all(a == b or b in NEIGHBOURS[a] for a, b in zip(w, s))
        if kind == "drop": assert len(s) == len(w) - 1
        if kind == "transpose": assert sorted(s) == sorted(w) and len(s) == len(w)
        if kind == "double": assert len(s) == len(w) + 1

def test_each_noise_type_alone():
    rng = np.random.default_rng(3)
    ph = "frozen chicken portions"
    assert messy_line(ph, 0, rng) == ph
    assert all(any(c.isdigit() for c in messy_line(ph, 1, rng, _only(quantity=1.0))) for _ in range(20))
    assert all(messy_line(ph, 1, rng, _only(shorthand=1.0)).split()[0] in ("frzn", "frz") for _ in range(20))
    assert all(len(messy_line(ph, 1, rng, _only(brand=1.0)).split()) == 4 for _ in range(20))
    assert all(messy_line(ph, 1, rng, _only(), second="tyres").endswith("tyres") for _ in range(20))
    assert all(messy_line(ph, 1, rng, _only(punct=1.0)) != ph for _ in range(20))
    assert all((l := messy_line(ph, 1, rng, NoiseParams(lower_case=0.0))) == l.upper() for _ in range(20))
    with pytest.raises(ValueError): messy_line(ph, 2, rng)

def test_noise_level_increases_mess(hs):
    share = [np.mean([l.lower() == p for l, p in zip(d.line, d.phrase)])
             for d in (simulate_manifest(800, lv, seed=2, hs=hs) for lv in (0, 0.5, 1))]
    assert share[0] == 1 and share[0] > share[1] > share[2]

def test_cleaning():
    assert clean_tokens("20 PLTS FRZN CHIKEN PORTIONS") == ["frzn", "chiken", "portions"]
    assert clean_tokens("x 3 CTNS 1200KG") == []

def test_labellers():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein_label(["steel bars", "steel bras", "steel bars"]) == "steel bars"
    assert levenshtein_label(["tyres", "frozen fish", "glass"]) is None
    assert shared_words_label([["frzn", "chicken"], ["chicken", "legs"], ["chicken"]]) == "chicken"
    assert fragment_label([["chiken"], ["chicken"], ["chickens"]]) == "*chicken*"
    assert fragment_label([["ab"], ["cd"]]) is None

def test_label_clusters_in_order(hs):
    ids = np.array([0, 0, 0, 1, 1, 1])
    docs = [["steel", "bars"], ["steel", "bars"], ["steel", "bras"], ["tyres"], ["fish"], ["glass"]]
    X = np.eye(6, 4, dtype=np.float32)
    idx = HSIndex(hs, lambda t: np.eye(len(t), 4, dtype=np.float32))
    tab = label_clusters(ids, docs, X, idx)
    assert list(tab.labeller) == ["levenshtein", "hs_parent"] and tab.loc[0, "label"] == "steel bars"
    assert set(tab.labeller) <= set(LABELLERS)
    assert list(TextSection(hs)(["frozen chicken", "red wine"])) == ["I", "IV"]

def test_metrics_match_sklearn():
    rng = np.random.default_rng(0)
    for _ in range(10):
        a, b = rng.integers(0, 6, 400), rng.integers(0, 9, 400); b[:200] = a[:200]
        assert abs(ari(a, b) - adjusted_rand_score(a, b)) < 1e-10
        assert abs(nmi(a, b) - normalized_mutual_info_score(a, b)) < 1e-10
    assert ari(list("aabb"), [1, 1, 0, 0]) == 1.0
    assert label_accuracy(["I", "II", "groupage"], ["I", "I", "V"]) == 0.5
    import pandas as pd
    assert coverage(np.array([0, 1, 1]), pd.DataFrame({"labeller": ["fragment", "hs_parent"]})) == 1/3
