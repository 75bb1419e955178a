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
