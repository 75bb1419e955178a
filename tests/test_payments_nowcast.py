"Payments nowcast: the release calendar in days, one vintage for every model, h-step benchmarks."
import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.ar_model import AutoReg

from campus.payments.nowcast import vintage, backtest, ARBench, random_walk, historical_mean, release_dates, months_old

CAL = {"fast": 3, "mid": 20, "slow": 45, "card": "week+3", "quarterly": 90}

@pytest.fixture(scope="module")
def mq():
    idx = pd.period_range("2015-01", "2019-12", freq="M")
    rng = np.random.default_rng(3)
    m = pd.DataFrame(rng.normal(size=(len(idx), 4)), index=idx, columns=["fast", "mid", "slow", "card"])
    qi = pd.period_range("2015Q1", "2019Q4", freq="Q")
    return m, pd.DataFrame({"quarterly": rng.normal(size=len(qi))}, index=qi)

def _known_by_hand(col, t, day):
    "The months of `col` public `day` days after the end of month t, worked out from dates (not from vintage's code)."
    now = pd.Timestamp(t.end_time.date()) + pd.Timedelta(days=day)
    out = []
    for p in pd.period_range("2015-01", t, freq="M"):
        end = pd.Timestamp(p.end_time.date())
        if CAL[col] == "week+3": rel = end + pd.Timedelta(days=(6 - end.weekday()) + 3)
        else: rel = end + pd.Timedelta(days=CAL[col])
        if rel <= now: out.append(p)
    return out

@pytest.mark.parametrize("day", [-7, 0, 3, 10, 15, 20, 25, 45, 60])
def test_vintage_holds_exactly_what_the_calendar_allows(mq, day):
    m, q = mq
    t = pd.Period("2019-06", "M")              # 30 June 2019 is a Sunday
    mv, qv = vintage(m, q, t, day, CAL)
    assert mv.index[-1] == t
    for c in m.columns:
        known = list(mv.index[mv[c].notna()])
        assert known == _known_by_hand(c, t, day), (c, day)
        np.testing.assert_array_equal(mv[c].dropna().to_numpy(), m.loc[known, c].to_numpy())
    q_known = [p for p in qv.index if pd.Timestamp(p.end_time.date()) + pd.Timedelta(days=90) <= pd.Timestamp("2019-06-30") + pd.Timedelta(days=day)]
    assert list(qv.index[qv.quarterly.notna()]) == q_known

def test_card_release_is_three_days_after_its_week():
    # May 2024 ends on a Friday: the week ends Sunday 2 June, the aggregate is out Wednesday 5 June
    # June 2024 ends on a Sunday: out Wednesday 3 July
    r = release_dates(pd.period_range("2024-05", "2024-06", freq="M"), "week+3")
    assert [d.date().isoformat() for d in r] == ["2024-06-05", "2024-07-03"]

def test_models_and_benchmarks_see_the_same_vintage(mq):
    m, q = mq
    seen = {}
    def spy(name, f):
        def g(mv, qv, t, target):
            seen.setdefault(name, []).append((t, mv, qv)); return f(mv, qv, t, target)
        return g
    models = {"ar": spy("ar", ARBench(2)), "rw": spy("rw", random_walk), "mean": spy("mean", historical_mean),
              "other": spy("other", lambda mv, qv, t, target: float(mv["fast"].loc[t]))}
    bt = backtest(m, q, "2018-01", "2018-06", days=(-7, 10, 15), calendar=CAL, target="mid", models=models)
    assert len(bt) == 18 and {len(v) for v in seen.values()} == {18}
    for i, (t, mv, qv) in enumerate(seen["ar"]):
        d = (-7, 10, 15)[i % 3]
        ref_m, ref_q = vintage(m, q, t, d, CAL)
        for name in models:
            pd.testing.assert_frame_equal(seen[name][i][1], ref_m); pd.testing.assert_frame_equal(seen[name][i][2], ref_q)
    # the benchmarks' numbers come from that vintage: the random walk is the last published value
    for (t, d), r in bt.set_index(["month", "day"]).iterrows():
        mv = vintage(m, q, t, d, CAL)[0]
        assert r["rw"] == mv["mid"].dropna().iloc[-1] and r["h"] == months_old(mv["mid"], t)

def test_ar_forecasts_h_steps_when_the_target_is_h_months_old(mq):
    m, q = mq
    t = pd.Period("2019-06", "M")
    mv, qv = vintage(m, q, t, 10, CAL)              # "slow" (45 days): last value April -> 2 months old
    assert months_old(mv["slow"], t) == 2
    y = mv["slow"].dropna().to_numpy()
    expect = AutoReg(y, lags=2, trend="c").fit().forecast(2)[-1]
    assert ARBench(2)(mv, qv, t, "slow") == pytest.approx(expect)
    assert ARBench(2)(mv, qv, t, "slow") != pytest.approx(AutoReg(y, lags=2, trend="c").fit().forecast(1)[0])

# --- card spending in the nowcast -------------------------------------------------------------------------------------------
import datetime as dt
from dataclasses import replace
from campus.payments.nowcast import Bridge, DFM, seasonal_adjust, rmse_ratio_ci
from campus.payments.simulate import SimParams, generate, national_daily, weekly_totals, monthly_totals, level_path

def test_card_series_without_noise_nowcasts_its_target_exactly():
    idx = pd.period_range("2005-01", "2012-12", freq="M")
    y = pd.Series(np.random.default_rng(4).normal(0.2, 1.0, len(idx)), index=idx)
    m = pd.DataFrame({"target": y, "card": y})
    q = pd.DataFrame(index=pd.period_range("2005Q1", "2012Q4", freq="Q"))
    cal = {"target": 20, "card": "week+3"}
    bt = backtest(m, q, "2010-01", "2012-12", days=(10,), calendar=cal, target="target",
                  models={"bridge": Bridge(), "dfm": DFM(maxiter=200), "ar": ARBench()})
    np.testing.assert_allclose(bt.bridge, bt.outturn, atol=1e-9)
    assert np.sqrt(np.mean((bt.dfm - bt.outturn)**2)) < 0.05*np.sqrt(np.mean((bt.ar - bt.outturn)**2))
    assert np.sqrt(np.mean((bt.ar - bt.outturn)**2)) > 0.5          # the benchmark, without the card, is far off

def test_fast_path_matches_the_transaction_generator_in_mean_and_variance():
    sm = SimParams(start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 28), n_transactions=8_000, n_cardholders=2_000, n_merchants=800)
    gen = np.array([[(len(w), w.amount.sum()) for w in generate(sm, seed=s)] for s in range(80)])
    fast = np.array([weekly_totals(national_daily(sm, seed=s))[["n_transactions", "spend"]].to_numpy() for s in range(80)])
    expect = weekly_totals(national_daily(sm, sample=False))[["n_transactions", "spend"]].to_numpy()
    np.testing.assert_allclose(gen.mean(0), expect, rtol=0.02); np.testing.assert_allclose(fast.mean(0), expect, rtol=0.02)
    v_gen, v_fast = gen.var(0, ddof=1).mean(0), fast.var(0, ddof=1).mean(0)     # averaged over the 4 weeks
    assert np.all(np.abs(v_fast/v_gen - 1) < 0.3)

def test_national_spending_tracks_the_level_path():
    lv = pd.Series([100.0, 104, 95, 99], index=pd.period_range("2024-01", "2024-04", freq="M"))
    p = SimParams(start=dt.date(2024, 1, 1), end=dt.date(2024, 4, 28), n_transactions=100_000)
    on = national_daily(replace(p, level=tuple((str(k), v) for k, v in level_path(lv, k=0).items())), sample=False)
    off = national_daily(p, sample=False)
    r = monthly_totals(on).spend/monthly_totals(off).spend
    np.testing.assert_allclose(r.to_numpy(), (lv/lv.iloc[0]).iloc[:3].to_numpy(), rtol=1e-12)

def test_block_bootstrap_interval_covers_and_is_degenerate_for_equal_errors():
    e = np.random.default_rng(0).normal(size=100)
    assert rmse_ratio_ci(e, e) == (1.0, 1.0, 1.0)
    r, lo, hi = rmse_ratio_ci(0.8*e, e)
    assert lo == pytest.approx(0.8) and hi == pytest.approx(0.8) and r == pytest.approx(0.8)
