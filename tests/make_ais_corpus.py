"""Adversarial AIS corpus: small files of raw NMEA lines, each line with its expected outcome.

`make_corpus(folder)` writes the files and returns the manifest: for every file, the expected outcome of each line, in order
(`decoded`: the line completes a message; `fragment`: part of a message completed on a later line; `timestamp`; a rejection
reason of `campus.ais.decode.REASONS`; `unsupported`), the expected file faults, and field values expected for some messages.
Lines after a fault in a damaged gzip file are not listed: they cannot be read. Run as a script to write the corpus to a
folder (default `tests/corpus/ais`) with the manifest as `manifest.json`.
"""
from __future__ import annotations
import gzip, json, random, sys
from pathlib import Path
import pyais

def _cs(body: str) -> int:
    c = 0
    for ch in body.encode("latin-1"): c ^= ch
    return c

def sentence(body: str) -> str:
    "`!body*hh` with a correct checksum."
    return f"!{body}*{_cs(body):02X}"

def tagged(tags: str, s: str) -> str:
    "A sentence behind an NMEA 4 tag block `\\tags*hh\\`."
    return f"\\{tags}*{_cs(tags):02X}\\{s}"

_ALPHABET = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"
def _armour(v: int) -> str: return _ALPHABET[v]
def _unarmour(c: str) -> int: return _ALPHABET.index(c)

def vdm(fields: dict, channel: str = "A", seq=None) -> list[str]:
    "The VDM sentences pyais encodes for `fields`."
    return pyais.encode_dict(fields, talker_id="AI", sentence_type="VDM", radio_channel=channel, seq_id=seq)

POS = {"msg_type": 1, "mmsi": 235012345, "status": 0, "speed": 12.3, "lon": -1.25, "lat": 53.75, "course": 90.0, "heading": 91}
STATIC = {"msg_type": 5, "mmsi": 235012345, "callsign": "MABC1", "shipname": "CORPUS TRIAL", "destination": "HULL", "to_bow": 100,
          "to_stern": 20, "to_port": 8, "to_starboard": 9, "ship_type": 70}

def _with_payload(body: str, f) -> str:
    fields = body.split(","); fields[5] = f(fields[5]); return ",".join(fields)

def _files() -> dict:
    out = {}
    p1, p2 = vdm(POS)[0], vdm(dict(POS, mmsi=235099999))[0]
    s5 = vdm(STATIC, seq=3)
    # receiver metadata after the checksum: the fill bits and payload are the sentence's own
    t27 = vdm({"msg_type": 27, "mmsi": 235012346, "speed": 1, "course": 45, "lon": 1.5, "lat": 53.2})[0]
    t8 = vdm({"msg_type": 8, "mmsi": 235012347, "dac": 1, "fid": 99, "data": b"\x01\x02\x03"})[0]
    t23 = vdm({"msg_type": 23, "mmsi": 2350123, "ne_lon": 100, "ne_lat": 100, "sw_lon": 50, "sw_lat": 50, "station_type": 2})[0]
    t14 = vdm({"msg_type": 14, "mmsi": 235012348, "text": "SAFETY TEXT X"})[0]
    out["metadata.txt"] = {"lines": [(t27 + ",b003669952,1426118822", "decoded"), (t8 + ",d-128,T40.3", "decoded"),
                                     (t23 + ",s22,d-090,T12.5*42", "decoded"), (t14 + ",1426118822", "decoded"),
                                     (s5[0] + ",b1", "fragment"), (s5[1] + ",b2*00", "decoded")],
                           "fields": {1: {"speed": 1.0, "course": 45.0}, 2: {"data": "010203"}, 3: {"mmsi": 2350123},
                                      4: {"text": "SAFETY TEXT X"}, 6: {"shipname": "CORPUS TRIAL", "destination": "HULL"}}}
    # two stations reuse a group id and sequence id, interleaved; channels A and B share a sequence id
    a, b = vdm(dict(STATIC, mmsi=235000001), seq=1), vdm(dict(STATIC, mmsi=235000002), seq=1)
    g = lambda n, st: f"g:{n}-2-42,s:{st},c:1700000000"
    out["stations.nm4"] = {"lines": [(tagged(g(1, "north"), a[0]), "fragment"), (tagged(g(1, "south"), b[0]), "fragment"),
                                     (tagged(g(2, "south"), b[1]), "decoded"), (tagged(g(2, "north"), a[1]), "decoded")],
                           "fields": {3: {"mmsi": 235000002, "station": "south"}, 4: {"mmsi": 235000001, "station": "north"}}}
    ca, cb = vdm(dict(STATIC, mmsi=235000003), "A", 7), vdm(dict(STATIC, mmsi=235000004), "B", 7)
    out["channels.txt"] = {"lines": [(ca[0], "fragment"), (cb[0], "fragment"), (ca[1], "decoded"), (cb[1], "decoded")],
                           "fields": {3: {"mmsi": 235000003}, 4: {"mmsi": 235000004}}}
    # lengths, part numbers, unsupported types
    short = sentence("AIVDM,1,1,,A," + p1.split(",")[5][:20] + ",0")
    long_ = sentence("AIVDM,1,1,,A," + "1" * 1_000_000 + ",0")          # a 1 MB position report with a valid checksum
    p24 = vdm({"msg_type": 24, "mmsi": 235012349, "partno": 1, "ship_type": 36})[0]
    pl = p24.split(",")[5]
    part3 = sentence(f"AIVDM,1,1,,A,{pl[:6]}{_armour((_unarmour(pl[6]) & 0b110011) | (3 << 2))}{pl[7:]},0")   # part number 3
    t30 = sentence("AIVDM,1,1,,A,N" + "0" * 27 + ",0")                  # type 30 does not exist
    aux = vdm({"msg_type": 24, "mmsi": 981234567, "partno": 1, "ship_type": 36, "callsign": "AUX1", "mothership_mmsi": 235012345})[0]
    own = vdm({"msg_type": 24, "mmsi": 235012345, "partno": 1, "ship_type": 36, "callsign": "MOTHER", "to_bow": 30, "to_stern": 10,
               "to_port": 5, "to_starboard": 4})[0]
    out["lengths.txt"] = {"lines": [(short, "too_short"), (long_, "too_long"), (part3, "bad_part_number"), (t30, "unsupported"),
                                    (aux, "decoded"), (own, "decoded"), (p1, "decoded")],
                          "fields": {5: {"mmsi": 981234567, "mothership_mmsi": 235012345}, 6: {"to_bow": 30, "to_stern": 10}}}
    # damaged lines
    body = p1[1:p1.index("*")]
    frag2 = s5[1]
    out["damaged.txt"] = {"lines": [
        (p1[:-2] + ("00" if p1[-2:] != "00" else "11"), "bad_checksum"), (p1[:p1.index("*")], "missing_checksum"),
        (p1[:-1], "missing_checksum"), (sentence(_with_payload(body, lambda p: p[:3] + "|" + p[4:])), "bad_payload_chars"),
        (sentence(body[:-1] + "6"), "bad_fill_bits"), (sentence(body[:-1] + "9"), "bad_fill_bits"),
        (sentence("AIVDM,1,1,,A,,0"), "empty_payload"), (sentence("AIVDM,3,4,,A,13P,0"), "malformed"),
        (sentence("AIVDM,1,1,12,A," + body.split(",")[5] + ",0"), "malformed"), (frag2, "orphan_fragment"),
        (tagged("s:lonely,c:1700000000", ""), "no_sentence"), ("\\s:x*00\\" + p1, "bad_tag_block"), ("", "empty_line"),
        ("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", "not_ais"),
        ("\x00\xff\xfe garbage \x07", "not_ais"), (p2, "decoded")],
        "fields": {16: {"mmsi": 235099999}}}
    # out of order fragments, duplicates, a proprietary timestamp
    ts = "$PGHP,1,2010,6,11,11,46,12,386,219,24,992190924,1,12*20"
    out["order.txt"] = {"lines": [(s5[1], "fragment"), (s5[0], "decoded"), (ts, "timestamp"), (p1, "decoded"), (p1, "decoded"),
                                  (s5[0], "fragment"), (s5[0], "duplicate_fragment"), (s5[1], "decoded")],
                        "fields": {4: {"time": 1276256772.386}, 2: {"shipname": "CORPUS TRIAL"}}}
    return out

# line separators: every one of them must split, none may lose a sentence
SEPARATORS = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r", "literal": b"\\r\\n", "ls": "\u2028".encode(), "nel": "\u0085".encode(),
              "ps": "\u2029".encode()}

def make_corpus(folder) -> dict:
    "Write the corpus into `folder` (created) and return the manifest {file: {'lines': [outcome...], 'faults': [...], 'fields': {...}}}."
    folder = Path(folder); folder.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name, spec in _files().items():
        (folder/name).write_bytes(("\n".join(l for l, _ in spec["lines"]) + "\n").encode("latin-1"))
        manifest[name] = {"lines": [o for _, o in spec["lines"]], "faults": [], "fields": spec.get("fields", {})}
    good = [vdm(dict(POS, mmsi=235000100 + i))[0] for i in range(3)] + vdm(STATIC, seq=5)
    outcomes = ["decoded"] * 3 + ["fragment", "decoded"]
    for k, sep in SEPARATORS.items():
        data = b"\xef\xbb\xbf" + sep.join(l.encode() for l in good) + (sep if k != "cr" else b"")   # a byte order mark first
        (folder/f"ends_{k}.txt").write_bytes(data)
        manifest[f"ends_{k}.txt"] = {"lines": outcomes, "faults": [], "fields": {1: {"mmsi": 235000100}}}
    # damaged gzip files: everything before the fault, the fault recorded, the next file read as usual
    rng = random.Random(0)
    many = [vdm(dict(POS, mmsi=235100000 + i))[0] for i in range(400)]
    gz = gzip.compress(("\n".join(many) + "\n").encode())
    (folder/"cut.gz").write_bytes(gz[:len(gz)*2//3])
    import zlib
    dobj = zlib.decompressobj(31); got = dobj.decompress(gz[:len(gz)*2//3])
    n_complete = got.count(b"\n")
    manifest["cut.gz"] = {"lines": ["decoded"] * n_complete + (["cut_by_file_fault"] if not got.endswith(b"\n") else []),
                          "faults": ["truncated"], "fields": {1: {"mmsi": 235100000}}}
    first = gzip.compress(("\n".join(many[:300]) + "\n").encode())
    (folder/"corrupt.gz").write_bytes(first + b"\x1f\x8b\x09" + bytes(rng.randrange(256) for _ in range(100)))   # a second member that is not gzip
    manifest["corrupt.gz"] = {"lines": ["decoded"] * 300, "faults": ["corrupt"], "fields": {300: {"mmsi": 235100299}}}
    (folder/"z_after.txt").write_bytes((many[0] + "\n").encode())         # read after the damaged files
    manifest["z_after.txt"] = {"lines": ["decoded"], "faults": [], "fields": {1: {"mmsi": 235100000}}}
    (folder/"empty.txt").write_bytes(b"")
    manifest["empty.txt"] = {"lines": [], "faults": [], "fields": {}}
    blob = bytes(rng.randrange(256) for _ in range(3000)).replace(b"!", b"?").replace(b"\\", b"/").replace(b"$", b"%")
    (folder/"binary.bin").write_bytes(blob)
    from campus.ais.decode import split_lines
    manifest["binary.bin"] = {"lines": [("empty_line" if not l.strip(b" \t\x0b\x0c\r\n") else "not_ais") for l in split_lines(blob)],
                              "faults": [], "fields": {}}
    return manifest

if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent/"corpus"/"ais"
    m = make_corpus(out)
    (out/"manifest.json").write_text(json.dumps(m, indent=1))
    print(f"{len(m)} files, {sum(len(v['lines']) for v in m.values())} lines with expected outcomes, in {out.name}/")
