"""`campus patents terms`: a CSV of abstracts with dates -> ranked and emerging terms (campus.patents.own), on small files written
here, including bad ones: every rejected row counted by its reason, every unusable file one plain line and exit status 1."""
import subprocess, sys
from pathlib import Path
import pandas as pd
import pytest
from campus.patents.own import (AbstractsError, PLANTED, REASONS, example_abstracts, looks_english, parse_dates, rank_terms,
                                read_abstracts, terms_file)

CAMPUS = [str(Path(sys.executable).parent/"campus")]


def _campus(*args):
    return subprocess.run([*CAMPUS, *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    "The example abstracts with known faults, in a practitioner's column names and day-first slashed dates."
    d = tmp_path_factory.mktemp("patents_own")
    ab = example_abstracts(seed=1)
    faults = {"missing id": [3], "missing date": [4, 5], "unparseable date": [6], "date in the future": [7], "empty text": [8, 9],
              "not English": [10, 11], "duplicate id": [len(ab), len(ab) + 1, len(ab) + 2]}
    ab = pd.concat([ab, ab.iloc[[40, 41, 41]].assign(abstract="Filed again under the same number.")], ignore_index=True)
    ab.loc[3, "id"] = " "
    ab.loc[[4, 5], "date"] = ["", "   "]
    ab.loc[6, "date"] = "sometime in 2012"
    ab.loc[7, "date"] = "2199-01-01"
    ab.loc[[8, 9], "abstract"] = ["", "\t"]
    ab.loc[10, "abstract"] = "Die Erfindung betrifft ein Verfahren zur Herstellung von Batterien mit einem festen Elektrolyten und einer Anode."
    ab.loc[11, "abstract"] = "La presente invención se refiere a un método para la fabricación de una batería con un electrolito sólido."
    ab["date"] = [pd.Timestamp(x).strftime("%d/%m/%Y") if x[:4].isdigit() and len(x) == 10 and x < "2100" else x for x in ab["date"]]
    ab = ab.rename(columns={"id": "Publication number", "date": "Publication date", "abstract": "Abstract"})
    path = d/"export.csv"
    ab.to_csv(path, index=False, sep=";", encoding="utf-8-sig")
    return path, ab, faults


def test_every_fault_is_counted_by_its_reason(faulty):
    path, ab, faults = faulty
    docs, acc = read_abstracts(path, "Publication number", "Publication date", "Abstract", dayfirst=True, sep=";")
    expected = {r: len(rows) for r, rows in faults.items()}
    assert acc["rejected"] == expected
    assert acc["kept"] == len(docs) == len(ab) - sum(expected.values())
    assert list(acc["rejected"]) == [r for r in REASONS if r in acc["rejected"]]
    assert docs["id"].is_unique and docs["date"].is_monotonic_increasing
    first = ab.iloc[40]      # the first of a repeated id keeps its own text
    assert docs.set_index("id").loc[first["Publication number"], "text"] == first["Abstract"]


def test_dayfirst_dates_are_read_as_written(faulty):
    path, ab, _ = faulty
    docs, _ = read_abstracts(path, "publication number", "publication date", "abstract", dayfirst=True, sep=";")
    row = ab.iloc[100]
    assert docs.set_index("id").loc[row["Publication number"], "date"] == pd.to_datetime(row["Publication date"], dayfirst=True)
    with pytest.raises(AbstractsError, match="day-first"):
        read_abstracts(path, "Publication number", "Publication date", "Abstract", sep=";")


def test_planted_rises_head_the_emergent_list(tmp_path):
    example_abstracts(seed=2).to_csv(tmp_path/"a.csv", index=False)
    docs, _ = read_abstracts(tmp_path/"a.csv")
    terms, lists, info = rank_terms(docs)
    rising = {t for t, kind in PLANTED.items() if kind == "emergent"}
    assert set(lists[lists.list == "emergent"].term[:len(rising)]) == rising
    assert info["window"] == "2008 to 2017"          # the partial last year is left out
    assert terms.set_index("term").loc[sorted(rising), "trend"].eq("emergent").all()
    assert terms["score"].is_monotonic_decreasing and (terms["words"] >= 2).all()


def test_window_and_min_df_change_the_result(tmp_path):
    example_abstracts(seed=0).to_csv(tmp_path/"a.csv", index=False)
    docs, _ = read_abstracts(tmp_path/"a.csv")
    t2, _, i2 = rank_terms(docs)
    t9, _, _ = rank_terms(docs, min_df=40)
    assert (t9["documents"] >= 40).all() and len(t9) < len(t2) and (t2["documents"] < 40).any()
    _, _, early = rank_terms(docs, end=2015)
    assert early["window"] == "2006 to 2015" != i2["window"]
    with pytest.raises(AbstractsError, match="needs 10 years"):
        rank_terms(docs, end=2014)
    with pytest.raises(AbstractsError, match="needs 10 quarters"):
        rank_terms(read_abstracts(tmp_path/"a.csv", period="quarter")[0].query("date >= '2016-01-01'"), period="quarter")


@pytest.mark.parametrize("text, english", [("The valve is held against the seat of the pump.", True),
                                           ("Le capteur est fixé sur la paroi du moteur et de la pompe.", False),
                                           ("Ein Sensor ist mit dem Gehäuse und der Pumpe verbunden.", False),
                                           ("Способ изготовления твердотельного аккумулятора.", False),
                                           ("Adhesion by van der Waals forces of the layer to the substrate.", True),
                                           ("", True)])
def test_language_screen(text, english):
    assert looks_english(text) is english


def test_dates_in_common_forms():
    d, p = parse_dates(["2015-03-04", "2015-03-04T23:30:00+02:00", "4 March 2015", "March 4, 2015", "03/04/2015", "2015-03", "2015"])
    assert d.dt.strftime("%Y-%m-%d").tolist() == ["2015-03-04", "2015-03-04", "2015-03-04", "2015-03-04", "2015-03-04", "2015-03-01", "2015-01-01"]
    assert p.tolist()[-2:] == ["month", "year"]


def test_cli_writes_both_files_and_prints_the_accounting(faulty, tmp_path):
    path, ab, _ = faulty
    r = _campus("patents", "terms", path, "-o", tmp_path/"terms.csv", "--emerging", tmp_path/"emerging.csv", "--sep", ";", "--dayfirst",
                "--id-col", "Publication number", "--date-col", "Publication date", "--text-col", "Abstract")
    assert r.returncode == 0, r.stderr
    terms, lists = pd.read_csv(tmp_path/"terms.csv"), pd.read_csv(tmp_path/"emerging.csv")
    assert f"{len(ab)} rows read" in r.stdout and "2 not English" in r.stdout and f"{len(terms):,} terms ranked" in r.stdout
    assert set(lists["list"]) == {"emergent", "declining"} and lists.groupby("list")["list_rank"].apply(lambda s: s.is_monotonic_increasing).all()
    assert set(lists.term) <= set(terms.term) and "Traceback" not in r.stderr


def test_cli_options_reach_the_method(tmp_path):
    example_abstracts(seed=0).to_csv(tmp_path/"a.csv", index=False)
    base = _campus("patents", "terms", tmp_path/"a.csv", "-o", tmp_path/"t1.csv")
    opts = _campus("patents", "terms", tmp_path/"a.csv", "-o", tmp_path/"t2.csv", "--period", "quarter", "--min-df", "40", "--max-df", "0.5", "--single-words")
    assert base.returncode == 0 and opts.returncode == 0, base.stderr + opts.stderr
    assert "window 2008 to 2017" in base.stdout and "window 2015Q4 to 2018Q1" in opts.stdout
    t1, t2 = pd.read_csv(tmp_path/"t1.csv"), pd.read_csv(tmp_path/"t2.csv")
    assert t1["words"].min() == 2 and t2["words"].min() == 1 and t2["documents"].min() >= 40


@pytest.mark.parametrize("content, args, message", [
    ("id,text\n1,a valve\n", [], "no date column 'date'; it has: id, text"),
    ("", [], "cannot be read as a CSV"),
    ("id;date;abstract\n1;2015-01-01;a valve\n", [], "separated by ';'"),
    (b"id,date,abstract\n1,2015-01-01,caf\xe9 valve\n", [], "not utf-8-sig text"),
    ("id,date,abstract\n1,2015-01-01,a thermal valve\n2,2015-02-01,a thermal valve\n", [], "window needs 10 years"),
    ("id,date,abstract\n1,2015-01-01,\n", [], "bad.csv: no usable abstracts (1 rows read, 1 empty text)"),
    ("id,date,abstract\n1,25/03/2015,a valve\n", [], "pass dayfirst=True"),
    ("id,date,abstract\n1,2015-01-01,a valve\n", ["--period", "week"], "invalid choice"),
])
def test_cli_bad_file_is_one_line_and_exit_1(tmp_path, content, args, message):
    f = tmp_path/"bad.csv"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    r = _campus("patents", "terms", f, "-o", tmp_path/"out.csv", *args)
    assert r.returncode == (2 if "invalid choice" in message else 1), r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    if r.returncode == 1: assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path/"out.csv").exists()


def test_missing_input_file_is_one_line(tmp_path):
    r = _campus("patents", "terms", tmp_path/"absent.csv", "-o", tmp_path/"out.csv")
    assert r.returncode == 1 and "absent.csv" in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_help_has_an_example():
    r = _campus("patents", "terms", "--help")
    assert r.returncode == 0 and "example: campus patents terms abstracts.csv -o terms.csv" in r.stdout


def test_odd_but_valid_files_are_read(tmp_path):
    "A byte-order mark, Windows line ends, a quoted newline inside an abstract, padded header names and extra columns."
    f = tmp_path/"odd.csv"
    f.write_bytes("\ufeff id ,date, abstract ,extra\r\n1,2015-01-01,\"A thermal valve.\r\nA second line.\",x\r\n2,2015-02-01,A pump,y\r\n".encode("utf-8"))
    docs, acc = read_abstracts(f)
    assert acc == {"file": "odd.csv", "read": 2, "kept": 2, "rejected": {}}
    assert "second line" in docs.loc[docs.id == "1", "text"].item()


@pytest.mark.parametrize("content, message", [(b"id,date,abstract\n", "no usable abstracts"),
                                              (bytes(range(256)) * 4, "bad.csv: ")])
def test_header_only_and_binary_files_are_one_line(tmp_path, content, message):
    f = tmp_path/"bad.csv"; f.write_bytes(content)
    r = _campus("patents", "terms", f, "-o", tmp_path/"out.csv")
    assert r.returncode == 1 and message in r.stderr and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
