"AIS chapter: decoding invariants on the real corpora (fast path vs pyais, balanced accounting, malformed input, scale-out)."
import gzip, os
import numpy as np
import pandas as pd
import pytest
from campus.data import fetch
from campus.ais.decode import ingest, ingest_parallel, assemble, read_lines, decode_reference, nmea_checksum
from campus.ais.fast import decode_fast, compare_with_pyais, positions, decode_file_fast, compare_tables

CORPORA = ["ais/dma_aislib_stream_example.txt", "ais/aisdb_test_data_20211101.nm4", "ais/pyais_nmea_data_sample.txt"]

@pytest.mark.parametrize("name", CORPORA)
def test_accounting_balances(name):
    df, acc = ingest(fetch(name))
    assert acc.balanced() and acc.messages == len(df) > 0

@pytest.mark.parametrize("name", CORPORA)
def test_fast_agrees_with_pyais_except_standard_rules(name):
    msgs, _ = assemble(read_lines(fetch(name)))
    diffs, n = compare_with_pyais(msgs, decode_reference(msgs))
    assert n > 1000
    assert diffs.rule.notna().all(), diffs[diffs.rule.isna()]
    assert set(diffs.rule) <= {"text-padding", "reserved-code"}

@pytest.mark.parametrize("name", CORPORA)
def test_fast_path_from_raw_bytes_equals_reference(name):
    "The compiled path from the raw file: the same accounting line for line, a row for every decoded message, the same fields."
    tables, acc, how = decode_file_fast(fetch(name))
    ref, acc_ref = ingest(fetch(name))
    assert acc.key() == acc_ref.key()
    assert sum(len(t) for t in tables.values()) == len(ref) == acc.messages
    diffs, n = compare_tables(tables, ref)
    assert n > 1000 and diffs.rule.notna().all(), diffs[diffs.rule.isna()]

def test_malformed_lines_are_rejected_with_reasons(tmp_path):
    good = "!BSVDM,1,1,,B,13P;DhPP@M0RrVfOmDm=`9BJ00S;,0*5B"
    body = "BSVDM,1,1,,B,13P;DhPP@M0RrVfO"
    lines = [good, good[:-1] + "C", "\x07\xfe\x00garbage", "", f"!{body}*{nmea_checksum(body):02X}", "!AIVDM,2,2,5,A,53mp88888888880,2*3A",
             good[:25], "!AIVDM,1,1,,B,,0*25"]
    with gzip.open(tmp_path/"x.gz", "wt", encoding="latin-1") as fh: fh.write("\n".join(lines) + "\n")
    df, acc = ingest(tmp_path)
    assert acc.messages == 1 and acc.lines_read == len(lines)
    assert dict(acc.rejected) == {"bad_checksum": 1, "missing_checksum": 1, "not_ais": 1, "empty_line": 1, "malformed": 1, "orphan_fragment": 1,
                                  "empty_payload": 1}

def test_parallel_equals_serial(tmp_path):
    for name in CORPORA: os.symlink(fetch(name), tmp_path/os.path.basename(fetch(name)))
    a, acc_a = ingest_parallel(tmp_path, workers=1)
    b, acc_b = ingest_parallel(tmp_path, workers=2)
    pd.testing.assert_frame_equal(a, b)
    assert str(acc_a) == str(acc_b)

def test_positions_have_valid_ranges():
    msgs, _ = assemble(read_lines(fetch(CORPORA[0])))
    pos = positions(decode_fast(msgs)[0])
    ok = (pos.lat != 91) & (pos.lon != 181)
    assert pos.lat[ok].abs().le(90).all() and pos.lon[ok].abs().le(180).all()
