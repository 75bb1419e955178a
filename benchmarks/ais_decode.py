"""AIS benchmark, end to end: pyais reading raw NMEA lines with its own iterator against the campus fast path, same run, same file.

The corpus is the raw bytes of the chapter's three real captures (every message type they contain, about 15% of the VDM
sentences in multipart messages, tag blocks, $PGHP timestamps), repeated until it holds at least --sentences VDM/VDO
sentences (default 1,000,000), written to one temporary file. Both sides start from that file:
  * pyais: `pyais.FileReaderStream(path)` (pyais's own line reading, NMEA parsing and reassembly), then `msg.decode().asdict()`
    for every message; decode-only is the same `decode().asdict()` on the messages already assembled by its iterator;
  * fast: `campus.ais.fast.decode_file_fast(path)` (read, split, checksums, tag blocks, reassembly, length checks, columnar
    decoding of every message type into tables, the rare types 22, 25 and 26 by pyais in the same call); decode-only is its
    decoding stage (assembled messages to tables), timed inside the same call.
Times are CPU seconds of this process (`time.process_time`), the fair measure on a shared machine; wall seconds are printed too.
Run it with one thread and low priority: `OMP_NUM_THREADS=1 NUMBA_NUM_THREADS=1 nice -n 10 python benchmarks/ais_decode.py`.
"""
import argparse, os, tempfile, time
from collections import Counter
from pathlib import Path
import pyais
from campus.data import fetch
from campus.ais.decode import file_bytes
from campus.ais.fast import decode_bytes_fast

CORPORA = ["ais/dma_aislib_stream_example.txt", "ais/aisdb_test_data_20211101.nm4", "ais/pyais_nmea_data_sample.txt"]

def corpus(n_sentences: int) -> tuple[bytes, int, float]:
    "The real captures' bytes repeated to at least `n_sentences` VDM/VDO sentences; the sentence count and multipart share."
    raw = b"".join(Path(fetch(c)).read_bytes().rstrip(b"\r\n") + b"\n" for c in CORPORA)
    lines = [l for l in raw.splitlines() if b"VDM," in l or b"VDO," in l]
    multi = sum(1 for l in lines if l[l.index(b"VD"):].split(b",")[1:2] != [b"1"])
    reps = -(-n_sentences // len(lines))
    return raw * reps, len(lines) * reps, multi / len(lines)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=1_000_000)
    a = ap.parse_args()
    data, n_sent, multi = corpus(a.sentences)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d)/"ais_benchmark.nmea"
        path.write_bytes(data)
        decode_bytes_fast(data[:200_000])                     # compile (or load the cached machine code) outside the timing
        print(f"corpus: {len(data)/1e6:,.1f} MB, {n_sent:,} VDM/VDO sentences ({multi:.1%} in multipart messages), "
              f"the three real captures repeated; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        # pyais end to end: its own iterator from the raw file, then decode().asdict()
        c0, w0 = time.process_time(), time.perf_counter()
        msgs = list(pyais.FileReaderStream(str(path)))
        c_iter, w_iter = time.process_time() - c0, time.perf_counter() - w0
        c0, w0 = time.process_time(), time.perf_counter()
        ok, failed = 0, Counter()
        for m in msgs:
            try: m.decode().asdict(); ok += 1
            except Exception as e: failed[type(e).__name__] += 1
        c_dec, w_dec = time.process_time() - c0, time.perf_counter() - w0
        c_py, w_py = c_iter + c_dec, w_iter + w_dec
        # the fast path end to end, with its decoding stage timed inside the call
        stages = {}
        c0, w0 = time.process_time(), time.perf_counter()
        raw, fault = file_bytes(path)
        tables, acc, how = decode_bytes_fast(raw, path.name, fault, timings=stages)
        c_fast, w_fast = time.process_time() - c0, time.perf_counter() - w0
    n_fast = acc.messages
    binary = sum(len(t) for k, t in tables.items() if k in ("6", "8", "17"))
    print(f"pyais     : {len(msgs):,} messages from its iterator, {ok:,} decoded ({ok/len(msgs):.2%}; failures {dict(failed) or 'none'})")
    print(f"fast path : {n_fast:,} messages decoded, {how['fast']:,} by the columnar decoder ({how['fast']/n_fast:.2%}), "
          f"{how.get('reference', 0):,} by pyais in the same call ({how.get('reference', 0)/n_fast:.2%}); "
          f"rejected lines {acc.lines_rejected:,}, unsupported {acc.lines_unsupported:,}")
    print(f"           (types 6, 8 and 17, {binary/n_fast:.2%} of the messages, are decoded to header and hex application data; "
          f"pyais also interprets the data of some applications)")
    print(f"end to end  pyais: {ok/c_py:12,.0f} msg per CPU second ({c_py:6.2f} CPU s, {w_py:6.2f} wall s)")
    print(f"end to end  fast : {n_fast/c_fast:12,.0f} msg per CPU second ({c_fast:6.2f} CPU s, {w_fast:6.2f} wall s)")
    print(f"decode only pyais: {ok/c_dec:12,.0f} msg per CPU second ({c_dec:6.2f} CPU s)")
    print(f"decode only fast : {n_fast/stages['decode']:12,.0f} msg per CPU second ({stages['decode']:6.2f} CPU s; parsing and reassembly "
          f"{stages['parse']:.2f} CPU s)")
    print(f"ratio end to end: {(n_fast/c_fast)/(ok/c_py):.1f}x CPU ({(n_fast/w_fast)/(ok/w_py):.1f}x wall); "
          f"decode only: {(n_fast/stages['decode'])/(ok/c_dec):.1f}x CPU; goal 10x end to end")

if __name__ == "__main__":
    main()
