"""`campus synthetic fit` and `campus.synthetic.own` on small files: a good table, a bad table, a bad schema (one line, exit 1)."""
import json, subprocess, sys
from pathlib import Path
import numpy as np, pandas as pd, pytest
from campus.synthetic.own import read_schema, read_own_table, synthesise_file, OwnTableError

CLI = [sys.executable, "-c", "import sys; from campus.cli import main; sys.exit(main())"]   # the `campus` script, on this interpreter
SCHEMA = "target: y\ncolumns:\n  a: numeric\n  b: numeric\n  c: categorical\n  y: categorical\n"

@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(1); n = 240
    a = rng.normal(0, 1, n); c = rng.choice(["p", "q", "r"], n)
    y = np.where(a + (c == "p") + rng.normal(0, 0.7, n) > 0.6, "hi", "lo")
    df = pd.DataFrame({"id": range(n), "a": a.round(3), "b": rng.integers(0, 50, n), "c": c, "y": y}).astype(str)
    df.loc[0, "a"] = "n/a"; df.loc[1, "b"] = ""; df.loc[2, "b"] = "-inf"; df.loc[3, "c"] = ""
    df.to_csv(tmp_path/"t.csv", index=False)
    (tmp_path/"s.yaml").write_text(SCHEMA)
    return tmp_path

def run(*args):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, timeout=600)

def test_read_counts_every_rejection(files):
    d, acc = read_own_table(files/"t.csv", read_schema(files/"s.yaml"))
    assert acc["read"] == 240 and acc["kept"] == 237 == len(d)
    assert acc["rejected"] == {"non-numeric a": 1, "missing b": 1, "infinite b": 1} and acc["missing_levels"] == {"c": 1}
    assert list(d.columns) == ["a", "b", "c", "y"] and (d.c == "<missing>").sum() == 1

def test_cli_fit_writes_csv_and_report(files):
    r = run("synthetic", "fit", files/"t.csv", "--schema", files/"s.yaml", "--generator", "copula", "-n", "300", "-o", files/"out"/"syn.csv")
    assert r.returncode == 0, r.stderr
    assert "240 rows read, 237 used" in r.stdout and "1 infinite b" in r.stdout
    syn = pd.read_csv(files/"out"/"syn.csv")
    assert len(syn) == 300 and list(syn.columns) == ["a", "b", "c", "y"] and set(syn.y) == {"hi", "lo"}
    rep = json.loads((files/"out"/"syn.report.json").read_text())
    assert rep["rows_fitted"] + rep["rows_held_back"] == 237 and rep["rows_written"] == 300
    assert 0.5 < rep["utility"]["tstr_auc"] <= 1 and rep["privacy"]["dcr_ratio"] > 0
    assert str(files) not in (files/"out"/"syn.report.json").read_text()      # file names only, no machine paths

def test_cli_ctgan_few_epochs(files):
    r = run("synthetic", "fit", files/"t.csv", "--schema", files/"s.yaml", "--generator", "ctgan", "--epochs", "2", "-o", files/"g.csv",
            "--report", files/"g.json", "--device", "cpu")
    assert r.returncode == 0, r.stderr
    assert json.loads((files/"g.json").read_text())["epochs_run"] <= 2 and len(pd.read_csv(files/"g.csv")) == 237

@pytest.mark.parametrize("make,expect", [
    (lambda p: (p/"bad.csv").write_text("a,b\n1,2\n"), "bad.csv: lacks the column(s) c, y"),
    (lambda p: (p/"bad.csv").write_bytes(b"\xff\xfe\x00a,b"), "bad.csv: cannot be read as a CSV"),
    (lambda p: (p/"bad.csv").write_text("a,b,c,y\n" + "x,1,p,hi\n"*30), "bad.csv: 0 usable row(s) of 30"),
])
def test_cli_bad_table_is_one_line(files, make, expect):
    make(files)
    r = run("synthetic", "fit", files/"bad.csv", "--schema", files/"s.yaml", "--generator", "copula", "-o", files/"x.csv")
    assert r.returncode == 1 and expect in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 2 and not (files/"x.csv").exists()

@pytest.mark.parametrize("text,expect", [
    ("target: y\ncolumns:\n  a: number\n  y: categorical\n", "unknown column type"),
    ("target: [y\n", "is not valid YAML"),
    ("columns:\n  a: numeric\n", "`target:` and `columns:`"),
    ("target: a\ncolumns:\n  a: numeric\n  y: categorical\n", "must be categorical"),
    ("target: z\ncolumns:\n  a: numeric\n  y: categorical\n", "is not a column of the schema"),
])
def test_cli_bad_schema_is_one_line(files, text, expect):
    (files/"bad.yaml").write_text(text)
    r = run("synthetic", "fit", files/"t.csv", "--schema", files/"bad.yaml", "-o", files/"x.csv")
    assert r.returncode == 1 and "bad.yaml" in r.stderr and expect in r.stderr, r.stderr
    assert "Traceback" not in r.stderr

def test_cli_bad_arguments(files):
    r = run("synthetic", "fit", files/"t.csv", "--schema", files/"s.yaml", "--epochs", "many", "-o", files/"x.csv")
    assert r.returncode == 1 and "--epochs must be 'auto' or a positive whole number" in r.stderr
    r = run("synthetic", "fit", files/"t.csv", "--schema", files/"s.yaml", "--holdout", "1.5", "-o", files/"x.csv")
    assert r.returncode == 1 and "holdout_share must be between 0 and 1" in r.stderr
    r = run("synthetic", "fit", files/"nope.csv", "--schema", files/"s.yaml", "-o", files/"x.csv")
    assert r.returncode == 1 and "nope.csv" in r.stderr and "Traceback" not in r.stderr

def test_help_has_an_example():
    r = run("synthetic", "fit", "--help")
    assert r.returncode == 0 and "example: campus synthetic fit table.csv --schema S.yaml --generator ctgan -n 10000 -o synth.csv" in r.stdout

def test_small_table_refused(files):
    pd.read_csv(files/"t.csv").head(15).to_csv(files/"small.csv", index=False)
    with pytest.raises(OwnTableError, match="small.csv: 1[0-9] usable rows; holding back"):
        synthesise_file(files/"small.csv", files/"s.yaml", files/"x.csv", generator="copula")
