"Unit tests for the patents chapter's acceptance items (the notebooks hold the full set)."
import numpy as np, pytest
from campus.patents.emergence import porter_escore, porter_candidates, simulate_trends
from campus.patents.terms import absorb_nested, TermModel, lemmatise
from campus.patents.forecast import relative_rmse, trimmed_mean
from campus.patents.classify import wilson

def test_porter_hand_computed():
    # active trend 18/30 - 6/30 = 0.4; recent 10*(13/20 - 9/20) = 2; slope 10*(0.7 - 0.4)/3 = 1 -> 2*0.4 + 2 + 1
    assert porter_escore([1, 2, 3, 4, 5, 6, 7], [100] * 7) == pytest.approx(3.8)
    assert porter_escore([7, 6, 5, 4, 3, 2, 1], [100] * 7) == pytest.approx(-3.8)
    assert porter_escore([4] * 7, [100] * 7) == pytest.approx(0.0)

def test_porter_ranks_planted_emergence():
    from sklearn.metrics import roc_auc_score
    tot = np.full(10, 800)
    cnt, lab, _ = simulate_trends(tot, n_per_class=200, seed=3)
    assert roc_auc_score(lab == "emergent", porter_escore(cnt[:, 3:], tot[3:])) > 0.85

def test_phrase_deduplication():
    vocab = ["fuel", "cell", "stack", "fuel cell", "cell stack", "fuel cell stack"]
    keep, absorbed = absorb_nested(vocab, [3, 9, 2, 3, 2, 2])
    assert [t for t, k in zip(vocab, keep) if k] == ["cell", "fuel cell", "fuel cell stack"]
    assert absorbed == {"fuel": "fuel cell", "stack": "fuel cell stack", "cell stack": "fuel cell stack"}
    tm = TermModel(min_df=2, max_df=1.0).fit(["A fuel cell stack here.", "The fuel cell stack there.", "Fuel cells alone."] * 2)
    assert "fuel cell stack" in tm.vocab and "fuel cell" in tm.vocab and "stack" not in tm.vocab

def test_trimmed_relative_rmse():
    assert relative_rmse([2, 2], [1, 3], train=[0, 5, 10]) == pytest.approx(0.1)
    assert trimmed_mean(list(range(1, 10)) + [1000]) == pytest.approx(5.5)
    assert np.isnan(relative_rmse([1, 2], [1, np.nan], [1, 2]))

def test_lemmatiser_and_wilson():
    assert [lemmatise(w) for w in ("batteries", "gas", "processes", "analyses")] == ["battery", "gas", "process", "analysis"]
    from statsmodels.stats.proportion import proportion_confint
    assert wilson(87, 100) == pytest.approx(proportion_confint(87, 100, method="wilson"))

# --- terms: stop list, Unicode, ranking, reference --------------------------------------------------------------------------
from campus.patents.terms import phrase_analyzer, tokenise, load_patents, pygrams_reference_scores, pygrams_analyzer

def test_patent_stop_list_keeps_technical_nouns():
    ph = set(phrase_analyzer()("thin film transistor in a computer system has a top surface"))
    assert {"thin film transistor", "computer system", "top surface", "thin film"} <= ph
    assert not {"system", "top", "surface", "wall"} & ph                         # generic single words are unigram-stopped only
    assert not any(w in p.split() for p in ph for w in ("in", "a", "has"))
    assert phrase_analyzer()("wherein said at least one comprising") == []

def test_unicode_folded_before_tokenising():
    assert tokenise("Le système") == ["le", "systeme"]
    assert tokenise("5 µm α-olefin β sheet") == ["μm", "α-olefin", "β", "sheet"]
    assert tokenise("CO₂, 3D and Li‑ion, li–ion") == ["co2", "3d", "and", "li-ion", "li-ion"]
    ph = set(phrase_analyzer()("3D li-ion cells store CO2 in a β sheet"))
    assert {"3d", "li-ion", "co2", "3d li-ion cell", "β sheet"} <= ph

def test_default_ranking_is_phrases_with_subsumed_parts_discounted():
    docs = ["A thin film transistor and a gate.", "A thin film transistor.", "A thin film here.", "Solar cell module."] * 3
    tm = TermModel(min_df=1, max_df=1.0, absorb=False).fit(docs)
    s = tm.scores()
    assert all(" " in t for t in s.index) and not all(" " in t for t in tm.scores(1).index)
    # 'thin film' occurs 9 times, 6 of them inside 'thin film transistor': it must rank below the longer phrase
    assert s["thin film transistor"] > s["thin film"] > 0
    raw = TermModel(min_df=1, max_df=1.0, absorb=False, dedupe=False).fit(docs).scores()
    assert raw["thin film"] > raw["thin film transistor"]

def test_reference_scorer_bridges_removed_words_and_masks_parts():
    assert "compound formula" in pygrams_analyzer()("a compound of formula")
    docs = ["fuel cell stack with membrane"] * 3 + [f"other abstract number {w}" for w in "abcdefghijklmnop"] * 2
    s = pygrams_reference_scores(docs, max_df=0.5, min_df=2)
    assert "fuel cell stack" in s.index and "fuel cell" not in s.index and "fuel" not in s.index

# --- bad input --------------------------------------------------------------------------------------------------------------
def _csv(tmp_path, rows, name="c.csv"):
    import pandas as pd
    p = tmp_path / name
    pd.DataFrame(rows, columns=["patent_id", "abstract", "classifications_cpc", "publication_date"]).to_csv(p, index=False)
    return p

def test_one_document_corpus_gives_a_clear_error():
    with pytest.raises(ValueError, match="1 document.*give at least 40 documents"):
        TermModel().fit(["A single fuel cell abstract."])
    with pytest.raises(ValueError, match="too small"):
        pygrams_reference_scores(["A single abstract."])

def test_pygrams_pickle_needs_consent(tmp_path):
    import pandas as pd
    p = tmp_path / "USPTO-random-3.pkl.bz2"
    pd.DataFrame({"patent_id": ["a", "b"], "abstract": ["Solar cells.", "Gears."], "classifications_cpc": [["Y02E10/50"], []],
                  "publication_date": pd.to_datetime(["2015-01-06", "2015-01-13"])}).to_pickle(p)
    with pytest.raises(ValueError, match="pickled pandas DataFrame.*allow_pickle=True"):
        load_patents(p)
    df, acc = load_patents(p, allow_pickle=True)
    assert df["cpc"].tolist() == [["Y02E10/50"], []] and df["y02"].tolist() == [True, False] and acc["rows_kept"] == 2

def test_duplicate_abstracts_under_other_ids_are_counted(tmp_path):
    p = _csv(tmp_path, [["a", "Solar cells.", "", "2015-01-06"], ["b", " solar  CELLS.", "", "2015-01-06"], ["c", "Gears.", "", "2015-01-06"]])
    df, acc = load_patents(p)
    assert (len(df), acc["duplicate_abstract_other_id"], acc["rejected_duplicate_abstract"]) == (3, 1, 0)
    df, acc = load_patents(p, drop_duplicate_abstracts=True)
    assert (len(df), acc["rejected_duplicate_abstract"]) == (2, 1)
    assert acc["rows_read"] - sum(v for k, v in acc.items() if k.startswith("rejected_")) == acc["rows_kept"]

# --- emergence and forecasts ------------------------------------------------------------------------------------------------
from campus.patents.emergence import period_counts, porter_scores, porter_lists, declining_candidates
from campus.patents.forecast import backtest, forecast_linear, smooth_savgol, summarise_backtest
import scipy.sparse as sp, pandas as pd, warnings

def test_period_counts_keeps_empty_periods():
    C = sp.csr_matrix(np.array([[1, 0], [1, 1], [0, 1]]))
    tc, tot, lab = period_counts(C, ["2010Q1", "2010Q1", "2011Q1"])
    assert lab == ["2010Q1", "2010Q2", "2010Q3", "2010Q4", "2011Q1"] and tot.tolist() == [2, 0, 0, 0, 1]
    assert period_counts(C, [2008, 2008, 2011])[2] == [2008, 2009, 2010, 2011]

def test_porter_needs_ten_periods_and_says_so():
    with pytest.raises(ValueError, match="3 base and 7 active periods.*the series has 6"):
        porter_scores(np.ones((3, 6)), np.full(6, 100))

def test_emergent_and_declining_lists_both_from_porter():
    tot = np.full(10, 100)
    rise, fall, flat = [0, 1, 1, 1, 2, 3, 4, 6, 8, 10], [9, 9, 9, 8, 7, 6, 4, 3, 2, 1], [3] * 10
    bad_candidate = [0, 1, 1, 6, 6, 5, 4, 3, 2, 2]          # rare in the base, higher active share, but falling over the active years
    tc = np.array([rise, fall, flat, bad_candidate])
    esc = porter_scores(tc, tot)
    assert esc[3] < 0
    em, de = porter_lists(esc, [True, False, False, True], declining_candidates(tc, tot, min_docs=5))
    assert em.tolist() == [0] and de.tolist()[0] == 1 and 3 not in em

def test_too_short_series_warns_and_returns_rows():
    S = pd.DataFrame(np.random.default_rng(0).random((2, 10)), index=["a", "b"])
    with pytest.warns(UserWarning, match="needs min_train=12 \\+ h=5 = 17 periods"):
        bt = backtest(S, h=5, methods=["naive", "linear"])
    assert len(bt) == 4 and bt.rel_rmse.isna().all() and summarise_backtest(bt)["failed"].sum() == 4

def test_linear_forecaster_and_savgol():
    assert np.allclose(forecast_linear([1, 2, 3], 2), [4, 5]) and np.allclose(forecast_linear([3, 2, 1], 3), [0, 0, 0])
    y = np.r_[np.zeros(10), np.ones(10)] + np.random.default_rng(0).normal(0, 0.2, 20)
    assert np.abs(np.diff(smooth_savgol(y))).mean() < np.abs(np.diff(y)).mean() and (smooth_savgol(y - 1) >= 0).all()

# --- classifier --------------------------------------------------------------------------------------------------------------
from campus.patents.classify import y02_era, majority_out_of_fold, redraw_accuracy, text_model, out_of_fold

def test_y02_era_and_baselines():
    assert y02_era(["2014-07-31", "2014-08-01"]).tolist() == [False, True]
    y = np.r_[np.zeros(90), np.ones(10)].astype(int)
    assert (majority_out_of_fold(y) == 0).all() and np.allclose(redraw_accuracy(y, np.zeros(100), n=20, redraws=3), 0.5)

def test_text_model_vocabulary_from_training_rows_only():
    m = text_model(min_df=1).fit([["solar", "cell"], ["gear", "box"]], [1, 0])
    assert set(m[0].vocabulary_) == {"solar", "cell", "solar cell", "gear", "box", "gear box"}
