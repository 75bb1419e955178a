"""AIS decode benchmark: pyais decode loop vs the campus fast columnar path, same run, same messages.

The real sentences of the chapter's three raw corpora are assembled into messages once, then replicated to >= N messages
(default 1,000,000). Both decoders get the same assembled messages of the fast-path types (1-5, 11, 18, 19, 24):
  * pyais: `pyais.decode(*sentences).asdict()` per message (timed on a sample of the list, extrapolated to N, because a full
    pyais loop over 1M messages takes minutes; pass --full-pyais to time all of it);
  * fast: `campus.ais.fast.decode_fast(messages)` over the whole list, in batches.
Also timed: parsing + reassembly of the raw lines (shared by both paths).
Usage: python benchmarks/ais_decode.py [--n 1000000] [--pyais-sample 50000] [--full-pyais]
"""
import argparse, time
import numpy as np
import pyais
from campus.data import fetch
from campus.ais.decode import assemble, read_lines
from campus.ais.fast import decode_fast, message_types, LAYOUT_OF_TYPE

CORPORA = ["ais/dma_aislib_stream_example.txt", "ais/aisdb_test_data_20211101.nm4", "ais/pyais_nmea_data_sample.txt"]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--pyais-sample", type=int, default=50_000)
    ap.add_argument("--batch", type=int, default=200_000)
    ap.add_argument("--full-pyais", action="store_true")
    a = ap.parse_args()
    lines = [l for c in CORPORA for l in read_lines(fetch(c))]
    t0 = time.perf_counter(); msgs, acc = assemble(lines); t_asm = time.perf_counter() - t0
    types, part = message_types([m.payload for m in msgs])
    keep = [m for m, t, p in zip(msgs, types, part) if t in LAYOUT_OF_TYPE or (t == 24 and p in (0, 1))]
    reps = -(-a.n // len(keep))
    big = (keep * reps)[:max(a.n, len(keep))]
    print(f"real corpora: {len(lines):,} lines -> {len(msgs):,} messages ({len(keep):,} of fast-path types); replicated to {len(big):,}")
    print(f"parse + reassembly (shared): {len(lines)/t_asm:,.0f} lines/s")
    sample = big if a.full_pyais else big[:a.pyais_sample]
    w0, c0 = time.perf_counter(), time.process_time()
    for m in sample: pyais.decode(*m.raws).asdict()
    k = len(big) / len(sample)
    w_py, c_py = (time.perf_counter() - w0) * k, (time.process_time() - c0) * k
    w0, c0 = time.perf_counter(), time.process_time(); n = 0
    for i in range(0, len(big), a.batch):
        tables, _ = decode_fast(big[i:i+a.batch]); n += sum(len(t) for t in tables.values())
    w_fast, c_fast = time.perf_counter() - w0, time.process_time() - c0
    assert n == len(big)
    note = "" if a.full_pyais else f"  (timed on {len(sample):,}, extrapolated)"
    print(f"pyais loop : {len(big)/w_py:12,.0f} messages/s wall, {len(big)/c_py:12,.0f} per CPU second{note}")
    print(f"fast path  : {len(big)/w_fast:12,.0f} messages/s wall, {len(big)/c_fast:12,.0f} per CPU second ({len(big):,} decoded)")
    print(f"ratio fast/pyais: {w_py/w_fast:.1f}x wall, {c_py/c_fast:.1f}x CPU")

if __name__ == "__main__":
    main()
