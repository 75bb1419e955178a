"Lorries on your own data: `campus lorries cluster` and the manifest reader behind it, on small files written here (bad ones included)."
import subprocess, sys
from pathlib import Path
import pandas as pd
import pytest

from campus.lorries.own import read_manifest, cluster_file, cluster_lines, ManifestError

CAMPUS = Path(sys.executable).parent/"campus"
GOODS = ["FROZEN CHICKEN LEGS", "frzn chicken breast 20 PLTS", "chilled chicken thighs", "RED WINE IN BOTTLES", "white wine 1x40HC",
         "sparkling wine cases", "CAR TYRES", "truck tyres 33 plts", "winter tyres and wheels"]

def _cli(*args):
    return subprocess.run([str(CAMPUS), "lorries", *map(str, args)], capture_output=True, text=True, timeout=300)

@pytest.fixture
def manifest(tmp_path):
    "A haulier's file: a text column among others, `;`-separated, with an empty cell, a NULL, a code-only cell and a short row."
    rows = [f"{i};{g};{10 + i}" for i, g in enumerate(GOODS * 3)]
    rows += ["90;;5", "91;NULL;5", "92;PO#4500123;5", "93;Reifen"]
    p = tmp_path/"declarations.csv"
    p.write_text("id;Goods Description;weight\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return p

def test_cli_clusters_a_file_and_accounts_for_every_row(manifest, tmp_path):
    out = tmp_path/"clusters.csv"
    r = _cli("cluster", manifest, "-o", out, "-k", "3", "--no-hs")
    assert r.returncode == 0, r.stderr
    assert "31 rows read" in r.stdout and "27 clustered" in r.stdout, r.stdout
    assert "2 empty cell" in r.stdout and "1 wrong number of fields" in r.stdout and "1 no goods words" in r.stdout, r.stdout
    got = pd.read_csv(out, keep_default_na=False)
    assert list(got.columns) == ["file_line", "line", "cluster", "cluster_name", "status"]
    assert len(got) == 31 and got.file_line.tolist() == list(range(2, 33))       # every row, in the file's order
    assert set(got.cluster[got.status == "clustered"]) == {0, 1, 2}
    assert (got.cluster[got.status != "clustered"] == -1).all() and (got.cluster_name[got.status != "clustered"] == "").all()
    summ = pd.read_csv(tmp_path/"clusters_summary.csv")
    assert summ.cluster.tolist() == [0, 1, 2] and summ.lines.sum() == 27 and summ.lines.is_monotonic_decreasing
    # identical lines share a cluster, and each cluster's name is made of its own members' words
    ok = got.status == "clustered"
    assert got[ok].groupby("line").cluster.nunique().eq(1).all()
    for c, g in got[ok].groupby("cluster"):
        words = set(" ".join(g.line).lower().split())
        assert set(g.cluster_name.iloc[0].split()) <= words, (c, g.cluster_name.iloc[0])

def test_cli_bad_files_are_one_line_and_exit_1(tmp_path):
    xlsx = tmp_path/"manifest.xlsx"; xlsx.write_bytes(b"PK\x03\x04" + bytes(64))
    two = tmp_path/"two.csv"; two.write_text("id,weight\n1,20\n")
    codes = tmp_path/"codes.csv"; codes.write_text("description\nPO#4500123\n1x40HC\n\n20 PLTS\n")
    for f, msg in ((xlsx, "manifest.xlsx: is a zip archive or an Excel workbook"), (two, "name the one that holds the goods text"),
                   (codes, "codes.csv: none of its 3 usable lines has a goods word"), (tmp_path/"absent.csv", "absent.csv: no such file")):
        r = _cli("cluster", f, "-o", tmp_path/"x.csv", "--no-hs")
        assert r.returncode == 1, (f.name, r.returncode, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and msg in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert not (tmp_path/"x.csv").exists()

def test_cli_usage_errors_and_help(manifest, tmp_path):
    r = _cli("cluster", manifest, "-o", tmp_path/"x.csv", "-k", "1")
    assert r.returncode == 2 and "at least 2" in r.stderr
    r = _cli("cluster", manifest, "-o", tmp_path/"x.csv", "--column", "weightx", "--no-hs")
    assert r.returncode == 1 and "has no column 'weightx' (it has: id, Goods Description, weight)" in r.stderr, r.stderr
    h = _cli("cluster", "--help")
    assert h.returncode == 0 and "example" in h.stdout and "campus lorries cluster manifest.csv -o clusters.csv" in h.stdout

def test_reader_counts_what_it_cannot_use(tmp_path):
    p = tmp_path/"m.csv"
    p.write_bytes(b"description\n" + "KÄSE".encode() + b"\n\nn/a\n\x01\x02\nabc\x81\x8d\nfrozen fish, 20 plts\n" + b"x" * 3000 + b"\n")
    df, acc = read_manifest(p)
    assert acc["read"] == 7 and acc["usable"] == 3
    assert acc["rejected"] == {"empty cell": 2, "not text": 1, "undecodable bytes": 1}
    assert acc["notes"]["cut at max_chars"] == 1 and acc["notes"]["unquoted separators kept in the text"] == 1
    assert df.line.iloc[0] == "KÄSE" and df.line.iloc[5] == "frozen fish, 20 plts" and len(df.line.iloc[6]) == 1000

def test_cluster_lines_is_deterministic_and_validates_k():
    lines = GOODS * 2 + ["", "PO#4500123"]
    a, ta, ia = cluster_lines(lines, k=3, hs=None)
    b, tb, ib = cluster_lines(lines, k=3, hs=None)
    assert (a == b).all() and ta.name.tolist() == tb.name.tolist()
    assert (a[-2:] == -1).all() and (a[:-2] >= 0).all()
    auto, _, info = cluster_lines(lines, hs=None, k_max=6)
    assert 2 <= info["k"] <= 6 and info["k"] == max(info["silhouette"], key=info["silhouette"].get)
    with pytest.raises(ValueError, match="k must be"): cluster_lines(lines, k=0, hs=None)
    with pytest.raises(ManifestError): read_manifest(Path("/nonexistent/manifest.csv"))

def test_cluster_file_with_hs_names(manifest, tmp_path):
    "With the HS vocabulary (the registry's public dataset) every cluster also gets its nearest heading."
    res = cluster_file(manifest, tmp_path/"c.csv", k=3)
    summ = pd.read_csv(tmp_path/"c_summary.csv", dtype={"hs_code": str})
    assert res["k"] == 3 and res["hs_vocabulary"] and summ.hs_code.str.fullmatch(r"\d{4}").all()
    assert summ.hs_similarity.between(-1, 1).all() and set(summ.source) <= {"c-TF-IDF", "HS heading"}
