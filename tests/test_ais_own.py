"AIS chapter, own data (campus.ais.own): a folder of logs to one message table and the accounting of every line; `campus ais decode`."
import gzip, json, math, os, subprocess, sys
from collections import Counter
from pathlib import Path
import pandas as pd
import pytest
sys.path.insert(0, str(Path(__file__).parent))
from make_ais_corpus import make_corpus, sentence, tagged, vdm, POS, STATIC
from campus.ais.decode import REASONS
from campus.ais.own import LogError, decode_logs, decode_to_file, log_files, strip_prefixes

CAMPUS = [str(Path(sys.executable).parent/"campus")]
KINDS = {"decoded", "fragment", "timestamp", "unsupported"}

def campus(*args, timeout=600):
    return subprocess.run(CAMPUS + [str(a) for a in args], capture_output=True, text=True, timeout=timeout)

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ais_own_corpus")
    return folder, make_corpus(folder)

@pytest.fixture(scope="module")
def receivers(tmp_path_factory):
    "Three receivers' logs, written here: bare sentences with one bad checksum and a blank line; tag blocks, gzipped; a truncated gzip."
    d = tmp_path_factory.mktemp("ais_own_logs")
    (d/"rx2").mkdir()
    bare = [vdm(dict(POS, mmsi=235000001 + i))[0] for i in range(4)] + vdm(STATIC, seq=2)
    bad = bare[1][:-2] + ("00" if not bare[1].endswith("00") else "11")                  # a wrong checksum
    (d/"rx1.nmea").write_text("\n".join([bare[0], bad, "", *bare[2:]]) + "\n")
    tags = [tagged(f"s:rx2,c:{1700000000 + i}", vdm(dict(POS, mmsi=235000101 + i))[0]) for i in range(3)]
    (d/"rx2"/"day1.nm4.gz").write_bytes(gzip.compress(("\r\n".join(tags) + "\r\n").encode()))
    many = [vdm(dict(POS, mmsi=235100000 + i))[0] for i in range(300)]
    gz = gzip.compress(("\n".join(many) + "\n").encode())
    (d/"rx2"/"day2.nm4.gz").write_bytes(gz[:len(gz)//2])
    return d

def test_log_files_names_and_errors(receivers, tmp_path):
    names = [n for _, n in log_files(receivers)]
    assert names == ["rx1.nmea", "rx2/day1.nm4.gz", "rx2/day2.nm4.gz"]           # relative to the folder given, sorted
    with pytest.raises(LogError, match="absent.log: no such file or folder"): log_files([receivers/"rx1.nmea", tmp_path/"absent.log"])
    (tmp_path/"empty").mkdir()
    with pytest.raises(LogError, match="holds no file"): log_files(tmp_path/"empty")
    with pytest.raises(LogError, match="no log file"): log_files([])

def test_receivers_accounting(receivers):
    msgs, acc = decode_logs(receivers)
    per = acc.set_index("file")
    assert per.loc["rx1.nmea", ["read", "decoded", "messages", "rejected"]].tolist() == [7, 5, 4, 2]
    assert per.loc["rx1.nmea", ["rejected_bad_checksum", "rejected_empty_line"]].tolist() == [1, 1]
    assert per.loc["rx2/day1.nm4.gz", ["read", "messages", "rejected"]].tolist() == [3, 3, 0]
    assert per.loc["rx2/day2.nm4.gz", "fault"] == "truncated"
    cut = per.loc["rx2/day2.nm4.gz"]
    assert 0 < cut.messages < 300 and cut.read == cut.messages + cut.rejected_cut_by_file_fault
    for _, r in acc.iterrows(): assert r.read == r.decoded + r.timestamps + r.rejected + r.unsupported, r.file
    assert (acc.drop(columns=["file", "fault"]).iloc[:-1].sum() == acc.drop(columns=["file", "fault"]).iloc[-1]).all()
    assert len(msgs) == per.loc["total", "messages"]
    assert msgs.loc[msgs.msg_type == 5, "shipname"].str.strip().tolist() == ["CORPUS TRIAL"]
    day1 = msgs[msgs.source == "rx2/day1.nm4.gz"]
    assert day1.station.tolist() == ["rx2"] * 3 and day1.time.tolist() == [1700000000, 1700000001, 1700000002]
    assert msgs.source.is_monotonic_increasing and str(msgs.mmsi.dtype) == "Int64" and msgs.lat.dtype == float and msgs.speed.dtype == float

def test_adversarial_corpus_line_by_line(corpus):
    "Every file of the chapter's adversarial corpus: the accounting row and the message rows are what its manifest says."
    folder, manifest = corpus
    msgs, acc = decode_logs(folder)
    per = acc.set_index("file")
    assert set(per.index) - {"total"} == set(manifest)
    for name, spec in manifest.items():
        out, row = spec["lines"], per.loc[name]
        rejected = Counter(o for o in out if o not in KINDS)
        assert set(rejected) <= set(REASONS)
        assert (row.read, row.decoded, row.messages, row.timestamps, row.unsupported) == (
            len(out), sum(o in ("decoded", "fragment") for o in out), out.count("decoded"), out.count("timestamp"),
            out.count("unsupported")), name
        got = {c.removeprefix("rejected_"): int(row[c]) for c in acc.columns if c.startswith("rejected_") and row[c]}
        assert got == dict(rejected), name
        assert (row.fault or "") == "; ".join(spec["faults"]), name
        mine = msgs[msgs.source == name]
        assert set(mine.line) == {i + 1 for i, o in enumerate(out) if o == "decoded"}, name
        for line, want in spec["fields"].items():
            r = mine[mine.line == int(line)].iloc[0]
            for k, v in want.items():
                assert (str(r[k]) == v) if k == "station" else (math.isclose(r[k], v) if isinstance(v, float) else r[k] == v), (name, line, k)

def test_strip_prefix_and_window(tmp_path):
    s = vdm(dict(POS, mmsi=235000009))[0]
    (tmp_path/"dated.log").write_text(f"2023-06-01T00:00:00Z {s}\n12: {s}\n{s}\n")
    assert strip_prefixes(b"x \\t:1*00\\!AIVDM\n!AIVDM\n") == b"\\t:1*00\\!AIVDM\n!AIVDM\n"
    plain = decode_logs(tmp_path)[1].iloc[-1]
    stripped = decode_logs(tmp_path, strip_prefix=True)[1].iloc[-1]
    assert (plain.messages, plain.rejected_not_ais) == (1, 2) and (stripped.messages, stripped.read) == (3, 3)
    two = vdm(STATIC, seq=1)
    filler = [vdm(dict(POS, mmsi=235000200 + i))[0] for i in range(5)]
    (tmp_path/"dated.log").unlink()
    (tmp_path/"gap.txt").write_text("\n".join([two[0], *filler, two[1]]) + "\n")
    wide, narrow = decode_logs(tmp_path, window=100)[1].iloc[-1], decode_logs(tmp_path, window=2)[1].iloc[-1]
    assert (wide.messages, narrow.messages, narrow.rejected_orphan_fragment) == (6, 5, 2)
    with pytest.raises(LogError, match="window"): decode_logs(tmp_path, window=0)

def test_decode_to_file_formats(receivers, tmp_path):
    import pyarrow.parquet as pq
    s = decode_to_file(receivers, tmp_path/"m.parquet", accounting=tmp_path/"acc.json")
    t = pq.read_table(tmp_path/"m.parquet").to_pandas()
    assert len(t) == s["messages"] and {"source", "line", "time", "mmsi", "lat", "lon", "shipname"} <= set(t.columns)
    j = json.loads((tmp_path/"acc.json").read_text())
    assert j["total"]["read"] == s["read"] == sum(f["read"] for f in j["files"]) and "bad_checksum" in j["reasons"]
    s2 = decode_to_file(receivers, tmp_path/"m.csv", accounting=tmp_path/"acc.csv")
    assert len(pd.read_csv(tmp_path/"m.csv")) == s2["messages"] == s["messages"]
    assert pd.read_csv(tmp_path/"acc.csv").file.tolist()[-1] == "total"
    with pytest.raises(LogError, match="must end in .parquet or .csv"): decode_to_file(receivers, tmp_path/"m.xlsx")
    with pytest.raises(LogError, match="must end in .csv or .json"): decode_to_file(receivers, tmp_path/"m.parquet", accounting=tmp_path/"a.txt")

def test_cli_decodes_a_folder_and_files(receivers, tmp_path):
    r = campus("ais", "decode", receivers, "-o", tmp_path/"out.parquet", "--accounting", tmp_path/"acc.csv")
    assert r.returncode == 0, r.stdout + r.stderr
    acc = pd.read_csv(tmp_path/"acc.csv")
    tot = acc.iloc[-1]
    assert f"{tot.read:,} lines read" in r.stdout and "rx2/day2.nm4.gz: truncated" in r.stdout and "out.parquet" in r.stdout
    import pyarrow.parquet as pq
    assert pq.read_metadata(tmp_path/"out.parquet").num_rows == tot.messages
    r2 = campus("ais", "decode", receivers/"rx1.nmea", receivers/"rx2"/"day1.nm4.gz", "-o", tmp_path/"two.csv")
    assert r2.returncode == 0 and "2 file(s)" in r2.stdout, r2.stdout + r2.stderr

@pytest.mark.parametrize("bad, says", [("export.csv", "no AIS message in 1 file(s)"), ("absent.nmea", "absent.nmea: no such file or folder"),
                                       ("empty_dir", "holds no file")])
def test_cli_bad_input_is_one_line(tmp_path, bad, says):
    (tmp_path/"export.csv").write_text("mmsi,lat,lon\n235000001,53.7,-1.2\n")
    (tmp_path/"empty_dir").mkdir()
    r = campus("ais", "decode", tmp_path/bad, "-o", tmp_path/"out.parquet")
    assert r.returncode == 1 and says in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path/"out.parquet").exists()

@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_cli_unreadable_file(tmp_path):
    f = tmp_path/"locked.nmea"; f.write_text(sentence("AIVDM,1,1,,A,15M67FC000G?ufbE`@FepT@3n00Sa,0") + "\n"); f.chmod(0)
    try:
        r = campus("ais", "decode", f, "-o", tmp_path/"out.parquet")
        assert r.returncode == 1 and "locked.nmea: the file cannot be read" in r.stderr and "Traceback" not in r.stderr, r.stderr
    finally: f.chmod(0o644)

def test_cli_help_has_an_example():
    r = campus("ais", "decode", "--help")
    assert r.returncode == 0 and "example: campus ais decode" in r.stdout and "--accounting" in r.stdout
