"AIS chapter: the adversarial corpus (tests/make_ais_corpus.py), line by line expected outcomes, for the reference path and the fast path."
import math, sys
from collections import Counter
from pathlib import Path
import pandas as pd
import pytest
sys.path.insert(0, str(Path(__file__).parent))
from make_ais_corpus import make_corpus
from campus.ais.decode import ingest, ingest_file, ingest_parallel, REASONS
from campus.ais.fast import decode_file_fast, ingest_fast, compare_tables

KINDS = {"decoded", "fragment", "timestamp", "unsupported"}

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ais_corpus")
    return folder, make_corpus(folder)

def expected(spec: dict) -> dict:
    "What the accounting of one file must say, from its lines' expected outcomes."
    out = spec["lines"]
    assert set(out) - KINDS <= set(REASONS), set(out) - KINDS - set(REASONS)
    return {"read": len(out), "decoded_lines": sum(o in ("decoded", "fragment") for o in out), "messages": out.count("decoded"),
            "timestamps": out.count("timestamp"), "unsupported": out.count("unsupported"),
            "rejected": Counter(o for o in out if o not in KINDS), "faults": spec["faults"],
            "lines": {i + 1 for i, o in enumerate(out) if o == "decoded"}}

def check(acc, lines: set, spec: dict, name: str):
    e = expected(spec)
    assert acc.lines_read == e["read"], name
    assert +acc.rejected == e["rejected"], name
    assert (acc.lines_decoded, acc.messages, acc.lines_timestamp, acc.lines_unsupported) == \
           (e["decoded_lines"], e["messages"], e["timestamps"], e["unsupported"]), name
    assert [k for _, k in acc.faults] == e["faults"], name
    assert lines == e["lines"], name
    assert acc.balanced()

def _row(frames, line: int) -> dict:
    for df in frames:
        hit = df[df.line == line]
        if len(hit): return hit.iloc[0].to_dict()
    raise AssertionError(f"no row for line {line}")

def check_fields(frames, spec: dict, name: str):
    for line, want in spec["fields"].items():
        row = _row(frames, int(line))
        for k, v in want.items():
            got = row[k]
            assert (str(got) == v) if k == "station" else (math.isclose(got, v) if isinstance(v, float) else got == v), (name, line, k, got, v)

@pytest.mark.parametrize("name", ["metadata.txt", "stations.nm4", "channels.txt", "lengths.txt", "damaged.txt", "order.txt", "cut.gz",
                                  "corrupt.gz", "z_after.txt", "empty.txt", "binary.bin"] + [f"ends_{k}.txt" for k in
                                  ("lf", "crlf", "cr", "literal", "ls", "nel", "ps")])
def test_each_file_both_paths(corpus, name):
    folder, manifest = corpus
    spec = manifest[name]
    df, acc = ingest_file(folder/name)                                  # the reference path (pyais)
    check(acc, set(df.line) if len(df) else set(), spec, f"reference {name}")
    if len(df): check_fields([df], spec, f"reference {name}")
    tables, facc, how = decode_file_fast(folder/name)                   # the fast path
    check(facc, {l for t in tables.values() for l in t.line}, spec, f"fast {name}")
    check_fields(list(tables.values()), spec, f"fast {name}")
    assert facc.key() == acc.key()
    diffs, _ = compare_tables(tables, df)
    assert diffs.rule.notna().all(), diffs[diffs.rule.isna()]

def test_directory_single_pool_agree(corpus):
    folder, manifest = corpus
    ref, acc = ingest(folder)
    par, acc_p = ingest_parallel(folder, workers=2)
    fast, acc_f, how = ingest_fast(folder)
    pool, acc_fp, how_p = ingest_fast(folder, workers=2)
    assert acc.key() == acc_p.key() == acc_f.key() == acc_fp.key()
    pd.testing.assert_frame_equal(ref, par)
    for lay in fast: pd.testing.assert_frame_equal(fast[lay], pool[lay])
    # nothing silently dropped: every line of every file is in the books, the damaged files' faults included
    assert acc.lines_read == sum(len(s["lines"]) for s in manifest.values())
    assert sorted(acc.faults) == [("corrupt.gz", "corrupt"), ("cut.gz", "truncated")]
    assert sum(len(t) for t in fast.values()) == acc_f.messages == len(ref)
    assert how["fast"] > 0 and how["fast"] + how.get("reference", 0) == acc_f.messages

def test_null_island_never_emitted(corpus):
    "A position report cut short is rejected, never decoded as 0 N 0 E."
    folder, _ = corpus
    tables, acc, _ = decode_file_fast(folder/"lengths.txt")
    assert acc.rejected["too_short"] == 1 and acc.rejected["too_long"] == 1
    pos = tables["1"]
    assert not ((pos.lat == 0) & (pos.lon == 0)).any()
