"Payments: generator determinism and totals, disclosure control, release round trip, anomaly scoring (fast unit tests)."
import datetime as dt
import numpy as np
import pandas as pd
import pytest

from campus.payments.simulate import SimParams, Shock, generate, intensity, bank_holidays, random_shocks, truth_nighttime
from campus.payments.aggregate import add_keys, aggregate, simulate_aggregates, disclose, check_disclosure, write_release, read_release
from campus.payments.nighttime import diversity, night_share
from campus.payments.indicators import shock_truth, score

SMALL = SimParams(start=dt.date(2024, 1, 1), end=dt.date(2024, 2, 25), n_transactions=30_000, n_cardholders=3_000, n_merchants=1_500)

@pytest.fixture(scope="module")
def agg(): return simulate_aggregates(SMALL, seed=5)

def test_generator_deterministic_and_chunk_independent():
    a = list(generate(SMALL, seed=5)); b = list(generate(SMALL, seed=5))
    for x, y in zip(a, b): pd.testing.assert_frame_equal(x, y)
    pd.testing.assert_frame_equal(next(generate(SMALL, seed=5, weeks=[3])), a[3])
    assert not next(generate(SMALL, seed=6, weeks=[3])).equals(a[3])

def test_aggregate_totals_equal_raw_chunks(agg):
    raw = list(generate(SMALL, seed=5))
    n, spend = sum(len(w) for w in raw), sum(w.amount.sum() for w in raw)
    assert agg.stats["n_transactions"] == n
    for t in agg.tables.values():
        assert int(t.n_transactions.sum()) == n
        assert abs(t.spend.sum() - spend) < 0.01*len(t)       # cells are rounded to the penny
    np.testing.assert_array_equal(agg.ledger.n_transactions.to_numpy(), [len(w) for w in raw])

def test_distinct_counts_by_hand():
    hand = pd.DataFrame({"k": [0, 0, 0, 1], "merchant": [1, 1, 2, 3], "cardholder": [7, 8, 7, 7], "amount": [1.0, 2, 3, 4]})
    a = aggregate(hand, ["k"])
    assert a.n_merchants.tolist() == [2, 1] and a.n_cardholders.tolist() == [2, 1] and a.n_transactions.tolist() == [3, 1]

def test_disclosure_no_published_cell_under_k(agg):
    for t in agg.tables.values():
        for k in (5, 10, 20):
            pub, acc = disclose(t, k, k, 0.8)
            assert check_disclosure(pub, t, k, k) == acc["cells"] - acc["suppressed"]
            shown = ~pub.suppressed
            assert (t.loc[shown, "n_merchants"] >= k).all() and (t.loc[shown, "n_cardholders"] >= k).all()
            assert pub.loc[~shown, ["n_transactions", "spend"]].isna().all().all()
            assert not {"n_merchants", "n_cardholders", "top_share"} & set(pub.columns)

def test_disclosure_check_catches_a_leak(agg):
    t = agg.tables["region_category_band"]
    pub, _ = disclose(t, 10, 10)
    i = np.flatnonzero((t.n_merchants < 10).to_numpy())[0]
    pub.loc[i, "suppressed"] = False; pub.loc[i, "spend"] = 1.0; pub.loc[i, "n_transactions"] = 1.0
    with pytest.raises(AssertionError): check_disclosure(pub, t, 10, 10)

def test_release_round_trip(agg, tmp_path):
    pub, _ = disclose(agg.tables["category_hour"], 10, 10)
    back, rep = read_release(write_release(pub, tmp_path/"h.csv"))
    assert rep == {"rows": len(pub), "rejected": {}}
    np.testing.assert_allclose(back.spend.fillna(-1).to_numpy(), pub.spend.fillna(-1).to_numpy())
    assert back.hour.tolist() == pub.hour.tolist()

def test_bank_holidays_known_years():
    assert len(bank_holidays(2022, "EW")) == 10          # incl. the Jubilee pair and the State funeral
    assert dt.date(2023, 11, 30) in bank_holidays(2023, "SC") and dt.date(2023, 7, 12) in bank_holidays(2023, "NI")

def test_shock_multiplies_its_window():
    s = Shock("x", dt.date(2024, 1, 10), 3, 0.5, (2,), (3,))
    r = intensity(SimParams(**{**SMALL.__dict__, "shocks": (s,)}))/intensity(SMALL)
    assert np.allclose(r[9:12, 2, 3], 0.5) and np.allclose(r[8], 1) and np.allclose(r[12], 1) and np.allclose(r[10, 1], 1)

def test_nighttime_truth_and_diversity():
    tr = truth_nighttime(SMALL)
    assert np.allclose((tr["night_spend"]/tr["total_spend"]).to_numpy(), tr["night_share"].to_numpy())
    assert tr["region_night_share"].idxmax() == "London"
    d = diversity(np.array([[1.0, 1, 1, 1], [1, 0, 0, 0]]))
    assert np.allclose(d.simpson, [0.75, 0]) and np.allclose(d.shannon, [np.log(4), 0])

def test_anomaly_scoring_hand_made():
    wk = pd.date_range("2024-01-01", periods=8, freq="W-MON")
    cols = ["A | x", "B | x"]
    s1 = Shock("one", dt.date(2024, 1, 15), 14, 0.5, (0,), (0,))     # weeks 2-3, series A
    s2 = Shock("two", dt.date(2024, 2, 12), 7, 1.5, (1,), (0,))      # week 6, series B
    truth, events = shock_truth([s1, s2], wk, cols, ["A", "B"], ["x"])
    f = pd.DataFrame(False, index=wk, columns=cols)
    f.iloc[3, 0] = True; f.iloc[0, 1] = True                          # a late hit on event 1, a false alarm
    r = score(f, truth, events)
    assert (r["precision"], r["recall"], r["delays"], r["n_flags"]) == (0.5, 0.5, [1], 2)
    f.iloc[6, 1] = True
    assert score(f, truth, events)["recall"] == 1.0
