"Payments: bad input gets a clear ValueError naming the argument, file or row, or a counted rejection (one test per case)."
import datetime as dt
import numpy as np
import pandas as pd
import pytest

from campus.payments.simulate import SimParams, Shock
from campus.payments.indicators import weekly_index, stl_scores, seasonal_scores, score, shock_truth
from campus.payments.nowcast import read_ons, model_data, vintage, backtest, ar_forecast, fit_dfm, MONTHLY, QUARTERLY

def _ons_file(path, months=None, extra=()):
    "A small file in the ONS time-series layout holding every CDID the model uses (positive random-walk indices)."
    cd = [c for c, _ in MONTHLY.values()] + [c for c, _ in QUARTERLY.values()]
    rng = np.random.default_rng(0)
    lines = ["Title," + ",".join(f"series {c}" for c in cd), "CDID," + ",".join(cd), "Source dataset ID," + ",".join("X" for _ in cd),
             "PreUnit," + ",".join("" for _ in cd), "Unit," + ",".join('"Index, base year = 100"' for _ in cd),
             "Release date," + ",".join("17/01/2025" for _ in cd)]
    for y in range(2000, 2003):
        for qq in range(1, 5): lines.append(f"{y} Q{qq}," + ",".join(f"{100 + rng.normal():.1f}" for _ in cd))
    months = months or [f"{y} {m}" for y in range(2000, 2003) for m in ("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())]
    for lab in months: lines.append(f"{lab}," + ",".join(f"{100 + rng.normal():.1f}" for _ in cd))
    lines += list(extra)
    path.write_text("\n".join(lines) + "\n")
    return path, cd

def test_read_ons_counts_non_numbers(tmp_path):
    f, cd = _ons_file(tmp_path/"a.csv")
    lines = f.read_text().splitlines(); i = next(k for k, l in enumerate(lines) if l.startswith("2001 MAR,"))
    p = lines[i].split(","); p[1] = "abc"; lines[i] = ",".join(p); f.write_text("\n".join(lines))
    o = read_ons(f)
    assert o["rejected"] == {"value not a number": 1}
    r = o["rejections"].iloc[0]
    assert (r["label"], r["cdid"], r["row"]) == ("2001 MAR", cd[0], i + 1)

def test_read_ons_rejects_duplicated_month(tmp_path):
    ms = [f"2001 {m}" for m in "JAN FEB MAR MAR APR".split()]
    f, _ = _ons_file(tmp_path/"a.csv", months=ms)
    o = read_ons(f)
    assert len(o["monthly"]) == 4 and o["monthly"].index.is_unique
    assert o["rejected"] == {"repeated monthly period (first row kept)": 1}

def test_read_ons_rejects_non_positive_index(tmp_path):
    f, cd = _ons_file(tmp_path/"a.csv")
    lines = f.read_text().splitlines()
    for lab, v in (("2001 MAR", "0"), ("2001 APR", "-3.5")):
        i = next(k for k, l in enumerate(lines) if l.startswith(lab + ",")); p = lines[i].split(","); p[1] = v; lines[i] = ",".join(p)
    f.write_text("\n".join(lines))
    o = read_ons(f)
    assert o["rejected"] == {"index value <= 0": 2}
    assert o["monthly"][cd[0]].loc["2001-03":"2001-04"].isna().all()

def test_read_ons_names_unrecognised_rows_and_missing_cdid(tmp_path):
    f, cd = _ons_file(tmp_path/"a.csv", extra=["2001 MARCH,1,2", "notes,x"])
    o = read_ons(f)
    assert o["rejected"] == {"unrecognised row label": 2}
    assert sorted(o["rejections"]["label"]) == ["2001 MARCH", "notes"]
    ons = {**o, "monthly": o["monthly"].drop(columns="J5EK")}
    with pytest.raises(ValueError, match="J5EK"): model_data(ons, start="2000-01", end="2002-12")

@pytest.fixture(scope="module")
def mq():
    idx = pd.period_range("2000-01", "2009-12", freq="M")
    rng = np.random.default_rng(1)
    m = pd.DataFrame(rng.normal(size=(len(idx), len(MONTHLY))), index=idx, columns=list(MONTHLY))
    qi = pd.period_range("2000Q1", "2009Q4", freq="Q")
    q = pd.DataFrame(rng.normal(size=(len(qi), len(QUARTERLY))), index=qi, columns=list(QUARTERLY))
    return m, q

def test_vintage_past_the_data(mq):
    with pytest.raises(ValueError, match="outside the data"): vintage(*mq, "2030-01")

def test_vintage_bad_moment(mq):
    with pytest.raises(ValueError, match="mid"): vintage(*mq, "2005-06", "mid")

def test_backtest_start_after_end(mq):
    with pytest.raises(ValueError, match="after end"): backtest(*mq, "2008-06", "2008-01")

def test_backtest_window_past_data(mq):
    with pytest.raises(ValueError, match="outside the data"): backtest(*mq, "2009-06", "2010-06")

def test_ar_forecast_short_series():
    with pytest.raises(ValueError, match="AR\\(2\\) needs at least"): ar_forecast(pd.Series([0.1, 0.3, -0.2]), lags=2)

def test_fit_dfm_empty_column(mq):
    m, q = mq
    with pytest.raises(ValueError, match="cpi"): fit_dfm(m.assign(cpi=np.nan), q, maxiter=2)

def _pub(spend, suppressed=None):
    wk = pd.date_range("2024-01-01", periods=len(spend), freq="W-MON")
    return pd.DataFrame({"week": wk, "region": "A", "category": "x", "spend": np.asarray(spend, float),
                         "suppressed": np.zeros(len(spend), bool) if suppressed is None else suppressed})

def test_weekly_index_all_suppressed():
    with pytest.raises(ValueError, match="suppressed"): weekly_index(_pub([np.nan]*6, np.ones(6, bool)), base_weeks=2)

def test_weekly_index_zero_spend_is_a_counted_gap():
    ix, acc = weekly_index(_pub([10, 12, 0, 11, 13, 12]), base_weeks=2, max_gap_share=0.5)
    assert acc["zero_spend_weeks"] == 1 and acc["interpolated_weeks"] == 1
    assert (ix.to_numpy() > 0).all()

def test_weekly_index_negative_spend():
    with pytest.raises(ValueError, match="negative spend"): weekly_index(_pub([10, 12, -4, 11, 13, 12]), base_weeks=2)

def _weekly(n=156):
    wk = pd.date_range("2022-01-03", periods=n, freq="W-MON")
    return pd.Series(100*np.exp(np.random.default_rng(0).normal(0, 0.03, n)), index=wk, name="A | x")

def test_stl_scores_missing_week():
    y = _weekly(); y.iloc[60] = np.nan
    with pytest.raises(ValueError, match="missing weeks"): stl_scores(y)

def test_seasonal_scores_non_date_index():
    with pytest.raises(ValueError, match="DatetimeIndex"): seasonal_scores(_weekly().reset_index(drop=True))

def test_score_with_non_matching_flags():
    wk = pd.date_range("2024-01-01", periods=6, freq="W-MON")
    s = Shock("s", dt.date(2024, 1, 15), 14, 0.5, (0,), (0,))
    truth, events = shock_truth([s], wk, ["A | x"], ["A"], ["x"])
    with pytest.raises(ValueError, match="none of"): score(pd.DataFrame(True, index=wk, columns=["B | y"]), truth, events)

def test_simparams_non_positive_transactions():
    with pytest.raises(ValueError, match="n_transactions"): SimParams(n_transactions=-5)

def test_simparams_end_before_start():
    with pytest.raises(ValueError, match="before start"): SimParams(start=dt.date(2024, 1, 1), end=dt.date(2023, 1, 1))

def test_shock_negative_size():
    with pytest.raises(ValueError, match="size"): Shock("x", dt.date(2024, 1, 1), 3, -0.5)

def test_shock_region_out_of_range():
    with pytest.raises(ValueError, match="regions"): Shock("x", dt.date(2024, 1, 1), 3, 0.5, regions=(40,))
