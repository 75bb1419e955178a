"Payments alarms: the real-time detector uses only earlier weeks; the truth is what moves expected spend; delays in days."
import datetime as dt
import numpy as np
import pandas as pd
from dataclasses import replace

from campus.payments.simulate import SimParams, Shock
from campus.payments.indicators import seasonal_scores_realtime, detect, effect_truth, score, series_holidays

def _index(n=130, seed=0):
    wk = pd.date_range("2022-01-03", periods=n, freq="W-MON")
    rng = np.random.default_rng(seed)
    season = 1 + 0.1*np.cos(2*np.pi*np.arange(n)/52)
    return pd.DataFrame({"A | x": 100*season*np.exp(rng.normal(0, 0.03, n)), "B | x": 50*season*np.exp(rng.normal(0, 0.05, n))}, index=wk)

def test_realtime_detector_never_uses_a_later_week():
    ix = _index()
    z = seasonal_scores_realtime(ix, min_weeks=60)
    for w in (60, 75, 100):
        later = ix.copy(); later.iloc[w + 1:] *= np.exp(np.random.default_rng(w).normal(0, 0.5, later.iloc[w + 1:].shape))
        z2 = seasonal_scores_realtime(later, min_weeks=60)
        pd.testing.assert_frame_equal(z2.iloc[:w + 1], z.iloc[:w + 1])         # weeks up to w are untouched
        assert not np.allclose(z2.iloc[w + 1:].to_numpy(), z.iloc[w + 1:].to_numpy())
    assert z.iloc[:60].isna().all().all()

def test_detect_is_realtime_by_default():
    ix = _index()
    a = detect(ix, min_weeks=60)["_scores"]["seasonal"]
    pd.testing.assert_frame_equal(a, seasonal_scores_realtime(ix, min_weeks=60))

def test_effect_truth_targets_large_moves_and_ignores_small_ones():
    p = SimParams(start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), n_transactions=2_000_000, n_cardholders=5_000, n_merchants=2_000,
                  shocks=(Shock("big", dt.date(2024, 1, 15), 14, 0.5, (6,), (1,)),         # London daytime retail halved two weeks
                          Shock("tiny", dt.date(2024, 2, 18), 1, 0.95, (11,), (6,))))     # one Sunday, -5%, NI taxis
    cols = ["London | daytime_retail", "Northern Ireland | taxis", "Wales | grocery"]
    target, ignore, events, n_undet = effect_truth(p, cols)
    assert list(np.flatnonzero(target["London | daytime_retail"])) == [2, 3]
    assert list(np.flatnonzero(ignore["Northern Ireland | taxis"])) == [6] and not target["Northern Ireland | taxis"].any()
    assert [e["name"] for e in events] == ["big"] and n_undet == 1
    f = pd.DataFrame(False, index=target.index, columns=cols)
    f.loc[target.index[6], "Northern Ireland | taxis"] = True                  # the ignored cell: neither hit nor false alarm
    f.loc[target.index[3], "London | daytime_retail"] = True                   # a hit in the second week of the shock
    r = score(f, target, events, ignore)
    assert (r["precision"], r["recall"], r["n_flags"]) == (1.0, 1.0, 1)
    # published the Wednesday after the week of 22-28 January: 3 + 6 + 7 = 16 days after the shock began on the 15th
    assert r["delay_days"] == [16]

def test_each_series_gets_its_own_nations_holidays():
    h = series_holidays(["Scotland | bars", "London | bars", "Northern Ireland | bars"], [2024])
    assert dt.date(2024, 8, 5) in h["Scotland | bars"] and dt.date(2024, 8, 5) not in h["London | bars"]
    assert dt.date(2024, 3, 18) in h["Northern Ireland | bars"] and dt.date(2024, 3, 18) not in h["London | bars"]

# --- known real breaks: real-time robust z ----------------------------------------------------------------------------------
import pytest
from campus.payments.indicators import realtime_z, ar_realtime_z

def test_realtime_z_never_uses_the_scored_value_or_later():
    x = pd.Series(np.random.default_rng(5).normal(size=80))
    z = realtime_z(x, min_obs=14)
    for i in (14, 30, 60):
        later = x.copy(); later.iloc[i:] = later.iloc[i:]*10 + 3            # the scored value and everything after it change
        zl = realtime_z(later, min_obs=14)
        pd.testing.assert_series_equal(zl.iloc[:i], z.iloc[:i])
        past = x.iloc[:i]; med = past.median(); mad = 1.4826*(past - med).abs().median()
        assert zl.iloc[i] == pytest.approx((later.iloc[i] - med)/mad)         # the baseline is the earlier values only
    assert z.iloc[:14].isna().all() and z.iloc[14:].notna().all()

def test_ar_realtime_z_scores_each_month_with_a_model_that_has_not_seen_it():
    idx = pd.period_range("2000-01", periods=90, freq="M")
    y = pd.Series(np.random.default_rng(6).normal(size=90), index=idx)
    z = ar_realtime_z(y, "2003-01")
    shocked = y.copy(); shocked.loc["2005-06"] = 25.0
    zs = ar_realtime_z(shocked, "2003-01")
    pd.testing.assert_series_equal(zs.loc[:"2005-05"], z.loc[:"2005-05"])
    assert zs.loc["2005-06"] > 10 and abs(z.loc["2005-06"]) < 5

@pytest.mark.parametrize("call,msg", [(lambda: realtime_z(pd.Series(["a", "b"])), "numeric"),
                                      (lambda: realtime_z(pd.Series([1.0, 2.0]), min_obs=1), "min_obs"),
                                      (lambda: realtime_z(pd.Series([1.0, 2.0]), min_obs=5, window=3), "window"),
                                      (lambda: ar_realtime_z(pd.Series([1.0]*20), "2000-01"), "PeriodIndex")])
def test_realtime_z_bad_input(call, msg):
    with pytest.raises(ValueError, match=msg): call()
