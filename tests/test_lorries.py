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


# ---- inputs a real manifest holds (each of these failed before the reading and clustering rules were added) ----
import json, time, warnings
from pathlib import Path
import pandas as pd
from campus.lorries.embed import as_text, read_lines, prepare, line_items, normalise
from campus.lorries.cluster import two_level, FewerClustersWarning
from campus.lorries.evaluate import Config, fasttext_pipeline, tfidf_vectors

CORPUS = Path(__file__).parent/"corpus"/"lorries"

def _cases():
    for line in open(CORPUS/"cases.jsonl", encoding="utf-8"):
        c = json.loads(line)
        c["x"] = bytes.fromhex(c["input_hex"]) if "input_hex" in c else float("nan") if "input_float" in c else c["input"]
        yield c

def test_corpus_is_current(tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("mk", Path(__file__).parent/"make_lorries_corpus.py")
    mk = importlib.util.module_from_spec(spec); spec.loader.exec_module(mk)
    mk.main(tmp_path)
    for f in ("cases.jsonl", "manifest.csv"):
        assert (tmp_path/f).read_bytes() == (CORPUS/f).read_bytes(), f"{f}: rerun tests/make_lorries_corpus.py"

def test_adversarial_corpus_line_by_line():
    cases = list(_cases())
    assert {c["kind"] for c in cases} >= {"missing", "blank", "bytes", "language", "codes", "reference", "weight", "multi", "junk"}
    bad = []
    for c in cases:
        pr = prepare([c["x"]])
        got = (as_text(c["x"])[1], pr.docs[0], int(pr.n_items[0]))
        want = (c["expect_read"], c["expect_tokens"], c["expect_items"])
        if got != want: bad.append((c["id"], c["kind"], got, want))
    assert not bad, bad
    texts, rep = read_lines([c["x"] for c in cases])        # nothing dropped: every cell is counted once
    assert rep.n == len(cases) == sum(rep.counts.values()) and rep.counts["rejected"] == 3

def test_csv_blank_cells_are_empty_lines_not_nan():
    df = pd.read_csv(CORPUS/"manifest.csv")
    assert df.description.isna().sum() >= 3                   # pandas reads blank cells as NaN
    pr = prepare(df.description)
    assert not any("nan" in d for d in pr.docs)
    assert pr.report.counts["missing"] == df.description.isna().sum()
    assert sum(1 for d in pr.docs if not d) >= pr.report.counts["missing"]

def test_missing_values_are_empty():
    for x in (None, float("nan"), np.nan, pd.NA, "", "  ", "nan", "NULL"):
        assert clean_tokens(x) == [], x
    texts, rep = read_lines([None, np.nan, "", "TYRES", pd.NA])
    assert texts[3] == "TYRES" and rep.counts == {"missing": 3, "text": 2} and rep.blank == 4

def test_bytes_decoded_or_rejected():
    assert as_text("KÄSE".encode()) == ("KÄSE", "utf8")
    assert as_text("Möbel".encode("cp1252")) == ("Möbel", "fallback")
    assert as_text("\ufeffREIFEN".encode("utf-16-le")) == ("REIFEN", "bom")
    assert as_text(b"\x81\x8d") == ("", "rejected")
    assert clean_tokens(b"\xff\xfeT\x00Y\x00R\x00E\x00S\x00") == ["tyres"]       # not 'xff', 'xfe'
    assert clean_tokens(b"\x81\x8d\x90") == []

def test_accented_words_stay_whole():
    assert clean_tokens("KÄSE") == ["kase"]
    assert clean_tokens("Möbel") == ["mobel"]
    assert clean_tokens("pièces détachées") == ["pieces", "detachees"]
    assert normalise("ŁÓDŹ") == "lodz"

def test_container_and_packaging_codes_are_not_words():
    for s in ("1x40HC", "20GP", "40HQ", "20 FT", "33 COLLI", "26 PLTS", "PO#4500123", "INV-2023-0042", "12,500 KGS", "1.250,5 KG"):
        assert clean_tokens(s) == [], s
    assert clean_tokens("1x40HC TYRES 12,500 KGS PO 4500123") == ["tyres"]

def test_multi_item_rule():
    assert line_items("TYRES AND WHEEL RIMS, BRAKE PADS") == ["TYRES", "WHEEL RIMS", "BRAKE PADS"]
    pr = prepare(["TYRES AND WHEEL RIMS, BRAKE PADS", "STEEL BARS 12,500 KGS"])
    assert pr.docs == [["tyres"], ["steel", "bars"]] and list(pr.multi_item) == [True, False]
    assert prepare(["TYRES AND WHEEL RIMS"], multi="whole").docs == [["tyres", "wheel", "rims"]]

def _no_scipy_error(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always"); r = f()
    return r, [str(x.message) for x in w if issubclass(x.category, FewerClustersWarning)]

def test_identical_lines_make_one_cluster():
    X = np.tile(np.array([[0.6, 0.8, 0.0]], np.float32), (400, 1))
    h, msg = _no_scipy_error(lambda: two_level(X, n_sub=150, n_top=22))
    assert (h.n_sub, h.n_top) == (1, 1) and (h.top == 0).all() and msg and "1 distinct" in msg[0]

def test_input_too_small_for_n_sub():
    X = np.random.default_rng(0).normal(size=(12, 5)).astype(np.float32)
    h, msg = _no_scipy_error(lambda: two_level(X, n_sub=150, n_top=22))
    assert h.n_sub == 12 and h.n_top == 12 and len(msg) == 2
    h, _ = _no_scipy_error(lambda: two_level(X[np.arange(60) % 3], n_sub=150, n_top=22))
    assert h.n_sub == 3 and len(set(h.top)) == 3

def test_single_commodity_manifest_pipeline(hs):
    h, msg = _no_scipy_error(lambda: fasttext_pipeline(["26 PLTS TYRES"]*200 + ["", None], hs,
                                                        Config(dim=8, epochs=1, n_sub=150, n_top=22))["hier"])
    assert h.n_top == 1 and (h.sub[-2:] == -1).all() and msg

def test_blank_manifest_refused_before_training(hs):
    t0 = time.perf_counter()
    with pytest.raises(ValueError, match="none of 3 lines"):
        fasttext_pipeline([None, np.nan, "20 PLTS"], hs, Config(epochs=20))
    assert time.perf_counter() - t0 < 2                      # FastText never started

def test_tfidf_one_line_corpus():
    Z = tfidf_vectors([["frozen", "fish"]])
    assert Z.shape[0] == 1 and abs(np.linalg.norm(Z[0]) - 1) < 1e-5
    assert tfidf_vectors([[], []]).any() == False

def test_ctfidf_names_and_sources(hs):
    from campus.lorries.label import ctfidf_names, name_clusters, name_source_shares
    ids = np.array([0, 0, 0, 1, 1, -1])
    docs = [["frozen", "fish"], ["fish", "fillets"], ["fish"], ["parts", "brake"], ["tyres"], []]
    ct = ctfidf_names(ids, docs, n_words=1)
    assert list(ct.words) == ["fish", "brake"] or list(ct.words) == ["fish", "parts"]
    assert ct.loc[0, "support"] == 1.0 and ct.loc[1, "support"] == 0.5
    X = np.eye(6, 4, dtype=np.float32); X[5] = 0
    idx = HSIndex(hs, lambda t: np.tile(np.eye(1, 4, dtype=np.float32), (len(t), 1)))
    nm = name_clusters(ids, docs, X, idx, n_words=1, min_support=0.75)
    assert list(nm.source) == ["c-TF-IDF", "HS heading"] and (nm.hs_similarity <= 1).all()
    sh = name_source_shares(ids, nm)
    assert abs(sh.sum() - 1) < 1e-12 and sh["empty"] == 1/6

def test_noise_kinds_same_goods(hs):
    from campus.lorries.evaluate import kinds_manifest, NOISE_KINDS
    km = kinds_manifest(30, 4, hs)
    g = {k: d.hscode.to_numpy() for k, d in km.groupby("kind")}
    assert set(g) == set(NOISE_KINDS)
    assert all(((v == g["clean"]) | (v == "junk")).all() for v in g.values())      # junk cells replace goods, nothing else differs
    assert (km[km.kind == "packaging and codes"].line.str.contains(r"\d")).mean() > 0.8
    assert km[km.kind == "other-language words"].line.str.contains(r"[^\x00-\x7f]").any()
