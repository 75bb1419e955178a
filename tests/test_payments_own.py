"Payments on your own data: a long CSV of monthly series with release dates -> a CSV of nowcasts, in Python and on the command line."
import subprocess, sys
from pathlib import Path
import numpy as np
import pandas as pd
import pytest

from campus.payments.own import read_series_table, nowcast_files, series_tables, vintage_on, SeriesTableError

CAMPUS = [str(Path(sys.executable).parent/"campus")] if (Path(sys.executable).parent/"campus").exists() else [sys.executable, "-m", "campus.cli"]

def _write(path, n=60, noise=0.3, seed=1):
    rng = np.random.default_rng(seed)
    months = pd.period_range("2015-01", periods=n, freq="M")
    y = rng.normal(0.2, 1.0, n)
    end = months.end_time.normalize()
    t = pd.concat([pd.DataFrame({"series": "target", "month": months.strftime("%Y-%m"), "value": y,
                                 "released": (end + pd.Timedelta(days=20)).strftime("%Y-%m-%d")}),
                   pd.DataFrame({"series": "card", "month": months.strftime("%Y-%m"), "value": y + rng.normal(0, noise, n) if noise else y,
                                 "released": (end + pd.Timedelta(days=4)).strftime("%Y-%m-%d")})], ignore_index=True)
    t.to_csv(path, index=False)
    return t

def test_rejections_are_counted_by_reason(tmp_path):
    t = _write(tmp_path/"s.csv").astype(str)
    t.loc[0, "value"] = "abc"; t.loc[1, "month"] = "2015/02"; t.loc[2, "released"] = "2014-12-31"
    t = pd.concat([t, t.iloc[[5]]]); t.to_csv(tmp_path/"s.csv", index=False)
    rows, acc = read_series_table(tmp_path/"s.csv")
    assert acc["read"] == 121 and acc["kept"] == 117 and len(rows) == 117
    assert acc["rejected"] == {"value not a number": 1, "month not YYYY-MM": 1, "released before its month began": 1,
                               "repeated series and month (first row kept)": 1}

def test_vintage_holds_what_was_released_by_the_day(tmp_path):
    _write(tmp_path/"s.csv")
    v, r = series_tables(read_series_table(tmp_path/"s.csv")[0])
    now = pd.Timestamp("2016-07-10")                       # June's card (out 4 July) is public, June's target (20 July) is not
    vin = vintage_on(v, r, now)
    assert vin.loc["2016-06", "card"] == v.loc["2016-06", "card"] and np.isnan(vin.loc["2016-06", "target"])
    assert vin.loc["2016-05", "target"] == v.loc["2016-05", "target"] and vin.loc["2016-07":].isna().all().all()

def test_a_card_series_without_noise_nowcasts_exactly(tmp_path):
    _write(tmp_path/"s.csv", noise=0)
    s = nowcast_files(tmp_path/"s.csv", "target", tmp_path/"o.csv", day=10)
    out = pd.read_csv(tmp_path/"o.csv")
    np.testing.assert_allclose(out.nowcast, out.outturn, atol=1e-9)
    assert s["rmse_ratio"] < 1e-6 and (out.target_age_months == 1).all()

def test_cli_writes_the_nowcast_and_prints_the_accounting(tmp_path):
    _write(tmp_path/"s.csv")
    r = subprocess.run(CAMPUS + ["payments", "nowcast", str(tmp_path/"s.csv"), "--target", "target", "--day", "10", "-o", str(tmp_path/"o.csv")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "120 rows read, 120 used" in r.stdout and "ratio" in r.stdout
    out = pd.read_csv(tmp_path/"o.csv")
    assert list(out.columns) == ["month", "nowcast_date", "target_age_months", "indicators", "nowcast", "ar2", "outturn"]
    assert len(out) == 36 and out.month.iloc[0] == "2017-01"           # after 24 months of the target

@pytest.mark.parametrize("content,args,message", [
    ("series,month,val\nx,2020-01,1\n", ["--target", "x"], "lacks the column(s) value, released"),
    (None, ["--target", "target"], "not a series of the file"),
    (None, ["--target", "target", "--start", "2019-99"], "--start must be a month"),
])
def test_cli_bad_input_is_one_line_and_exit_1(tmp_path, content, args, message):
    if content is None: _write(tmp_path/"bad.csv")
    else: (tmp_path/"bad.csv").write_text(content)
    if "not a series" in message: args = ["--target", "gdp"]
    r = subprocess.run(CAMPUS + ["payments", "nowcast", str(tmp_path/"bad.csv"), *args, "-o", str(tmp_path/"o.csv")], capture_output=True, text=True)
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path/"o.csv").exists()

def test_cli_help_has_an_example():
    r = subprocess.run(CAMPUS + ["payments", "nowcast", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "example: campus payments nowcast" in r.stdout
