"""Adversarial corpus for the transport chapter's GTFS reader: small broken (and awkward but valid) feeds with expected outcomes.

Every case starts from the chapter's toy feed (`toy_tables`) and breaks one thing, at the level of bytes where that is the point
(encodings, empty files, ragged CSV). `build(folder)` writes one feed per case (a folder, or a zip for the zip cases) and returns
the manifest: name, path, expected outcome ("ok", "warn" = read with a `GTFSWarning`, "error" = `GTFSError`), the text the
warning or error must contain, and for readable cases the rows that must come through (no silent drops).

Usage: python tests/make_transport_corpus.py OUT_FOLDER   (writes the feeds and OUT_FOLDER/manifest.json)
"""
import json, shutil, sys, zipfile
from pathlib import Path

from campus.transport.gtfs import toy_tables, write_gtfs, WEEKDAYS


def _times(T, i, arr=None, dep=None):
    if arr is not None: T["stop_times"][i]["arrival_time"] = arr
    if dep is not None: T["stop_times"][i]["departure_time"] = dep


def _edit(fn):
    "A case that edits the tables (dicts) before they are written."
    def make(folder):
        T = toy_tables(); fn(T); write_gtfs(folder, T); return folder
    return make


def _bytes(fn):
    "A case that edits the written bytes: fn(folder) changes files in place."
    def make(folder):
        write_gtfs(folder, toy_tables()); fn(folder); return folder
    return make


def _sub(name, old: bytes, new: bytes):
    def fn(folder):
        p = folder/name; b = p.read_bytes(); assert old in b, (name, old); p.write_bytes(b.replace(old, new, 1))
    return fn


def _zip(fn_folder, subdir=""):
    def make(folder):
        src = folder.with_name(folder.name + "_src"); fn_folder(src)
        z = folder.with_suffix(".zip")
        with zipfile.ZipFile(z, "w") as zf:
            for f in sorted(src.glob("*.txt")): zf.write(f, subdir + f.name)
        shutil.rmtree(src); return z
    return make


def _all_bom(folder):
    for f in folder.glob("*.txt"): f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())


def _crlf(folder):
    for f in folder.glob("*.txt"): f.write_bytes(f.read_bytes().replace(b"\n", b"\r\n"))


def _utf16(folder):
    p = folder/"stops.txt"; p.write_bytes(p.read_text().encode("utf-16"))          # with its BOM


def _utf16_nobom(folder):
    p = folder/"stops.txt"; p.write_bytes(p.read_text().encode("utf-16-le"))


def _empty(*names, header=False):
    def fn(folder):
        for n in names:
            p = folder/n; p.write_bytes(p.read_bytes().split(b"\n")[0] + b"\n" if header else b"")
    return fn


def _junk_shapes(folder): (folder/"shapes.txt").write_bytes(b"\x00\x01garbage\xff")


def _ragged(folder):
    p = folder/"stop_times.txt"; lines = p.read_bytes().split(b"\n"); lines[3] += b",extra,fields"; p.write_bytes(b"\n".join(lines))


def _unclosed(folder):
    p = folder/"stops.txt"; lines = p.read_bytes().split(b"\n"); lines[2] = lines[2].replace(b",B,", b',"B,', 1); p.write_bytes(b"\n".join(lines))


def _nul(folder): (folder/"routes.txt").write_bytes(b"route_id\x00\x00\nL1\x00\nF1\n")


def _quoted(T): T["stops"][0]["stop_name"] = 'Station Road, "Stop A"'


def _single_stop(T):
    T["trips"].append(dict(route_id="L1", service_id="WK", trip_id="lonely"))
    T["stop_times"].append(dict(trip_id="lonely", arrival_time="09:00:00", departure_time="09:00:00", stop_id="A", stop_sequence=0))


def _blank_mid(T): _times(T, 1, "", "")


# name -> (maker, expected outcome, text the error/warning must contain)
CASES = {
    "clean": (_edit(lambda T: None), "ok", ""),
    "bom_every_table": (_bytes(_all_bom), "ok", ""),
    "crlf_line_endings": (_bytes(_crlf), "ok", ""),
    "spaces_in_header": (_bytes(_sub("stops.txt", b"stop_id,", b" stop_id ,")), "ok", ""),
    "quoted_commas_in_names": (_edit(_quoted), "ok", ""),
    "utf16_with_bom": (_bytes(_utf16), "ok", ""),
    "blank_intermediate_time": (_edit(_blank_mid), "ok", ""),
    "trip_with_one_stop_time": (_edit(_single_stop), "ok", ""),
    "header_only_calendar_dates": (_bytes(_empty("calendar_dates.txt", header=True)), "ok", ""),
    "junk_shapes_ignored": (_bytes(_junk_shapes), "ok", ""),
    "zip_in_subfolder": (_zip(lambda f: write_gtfs(f, toy_tables()), "feed/"), "ok", ""),
    "latin1_stop_name": (_bytes(_sub("stops.txt", b",A,", b",Caf\xe9 A,")), "warn", "stops.txt is not UTF-8"),
    "bom_then_latin1": (_bytes(lambda f: (_all_bom(f), _sub("stops.txt", b",B,", b",Gr\xfcn B,")(f))), "warn", "stops.txt is not UTF-8"),
    "cp1252_smart_quotes": (_bytes(_sub("stops.txt", b",C,", b",\x93C\x94,")), "warn", "decoded as cp1252"),
    "zero_byte_calendar_dates": (_bytes(_empty("calendar_dates.txt")), "warn", "calendar_dates.txt is empty (zero bytes); treated as absent"),
    "zero_byte_stops": (_bytes(_empty("stops.txt")), "error", "stops.txt is empty (zero bytes)"),
    "zero_byte_stop_times": (_bytes(_empty("stop_times.txt")), "error", "stop_times.txt is empty (zero bytes)"),
    "header_only_stop_times": (_bytes(_empty("stop_times.txt", header=True)), "error", "stop_times.txt has a header but no rows"),
    "header_only_trips": (_bytes(_empty("trips.txt", header=True)), "error", "trips.txt has a header but no rows"),
    "both_calendars_empty": (_bytes(_empty("calendar.txt", "calendar_dates.txt")), "error", "calendar.txt and calendar_dates.txt are both empty"),
    "ragged_row": (_bytes(_ragged), "error", "stop_times.txt cannot be read as CSV"),
    "unclosed_quote": (_bytes(_unclosed), "error", "stops.txt cannot be read as CSV"),
    "nul_bytes": (_bytes(_nul), "error", "routes.txt contains NUL bytes"),
    "utf16_without_bom": (_bytes(_utf16_nobom), "error", "stops.txt contains NUL bytes"),
    "missing_stops_file": (_edit(lambda T: T.pop("stops")), "error", "missing required GTFS file(s): stops.txt"),
    "no_calendar_at_all": (_edit(lambda T: (T.pop("calendar"), T.pop("calendar_dates"))), "error", "calendar.txt or calendar_dates.txt"),
    "missing_column": (_edit(lambda T: [s.pop("stop_lat") for s in T["stops"]]), "error", "stops.txt lacks required column(s) ['stop_lat']"),
    "duplicate_stop_id": (_edit(lambda T: T["stops"].append(dict(T["stops"][0]))), "error", "stops.txt: 2 row(s) share a stop_id"),
    "duplicate_trip_id": (_edit(lambda T: T["trips"].append(dict(T["trips"][0]))), "error", "trips.txt: 2 row(s) share a trip_id"),
    "duplicate_stop_sequence": (_edit(lambda T: T["stop_times"][1].update(stop_sequence=0)), "error", "share a trip_id + stop_sequence"),
    "unknown_stop_id": (_edit(lambda T: T["stop_times"][0].update(stop_id="ZZ")), "error", "unknown stop_id"),
    "unknown_route_id": (_edit(lambda T: T["trips"][0].update(route_id="ZZ")), "error", "unknown route_id"),
    "unknown_service_id": (_edit(lambda T: T["trips"][0].update(service_id="ZZ")), "error", "unknown service_id"),
    "bad_time_format": (_edit(lambda T: _times(T, 1, "7h10")), "error", "bad stop_times arrival_time format"),
    "times_backwards": (_edit(lambda T: _times(T, 2, "06:00:00", "06:00:00")), "error", "times run backwards"),
    "untimed_first_stop": (_edit(lambda T: _times(T, 0, "", "")), "error", "untimed first or last stop"),
    "non_numeric_lat": (_edit(lambda T: T["stops"][0].update(stop_lat="north")), "error", "non-numeric stop_lat"),
    "lat_out_of_range": (_edit(lambda T: T["stops"][0].update(stop_lat=151.58)), "error", "stop_lat beyond ±90"),
    "non_integer_stop_sequence": (_edit(lambda T: T["stop_times"][0].update(stop_sequence="first")), "error", "non-integer stop_sequence"),
    "iso_dates_in_calendar": (_edit(lambda T: T["calendar"][0].update(start_date="2023-01-01")), "error", "bad start_date"),
    "weekday_flag_2": (_edit(lambda T: T["calendar"][0].update(monday=2)), "error", "bad monday (expected 0 or 1)"),
    "exception_type_3": (_edit(lambda T: T["calendar_dates"][0].update(exception_type=3)), "error", "bad exception_type"),
    "zero_headway": (_edit(lambda T: T["frequencies"][0].update(headway_secs=0)), "error", "positive headway_secs"),
    "frequency_ends_before_start": (_edit(lambda T: T["frequencies"][0].update(end_time="06:00:00")), "error", "start_time < end_time"),
    "not_a_zip": (lambda f: (f.with_suffix(".zip").write_text("this is not a zip"), f.with_suffix(".zip"))[1], "error", "is not a zip file"),
    "empty_folder": (lambda f: (f.mkdir(parents=True), f)[1], "error", "missing required GTFS file(s)"),
}


def _rows(T: dict) -> dict:
    return {k: len(T[k]) for k in ("stops", "trips", "stop_times")}


ROWS = {"trip_with_one_stop_time": {"stops": 4, "trips": 9, "stop_times": 24}}


def build(folder) -> list:
    "Write every case under `folder`; return the manifest (one dict per case)."
    folder = Path(folder); folder.mkdir(parents=True, exist_ok=True)
    base = _rows(toy_tables())
    out = []
    for name, (make, expect, text) in CASES.items():
        p = make(folder/name)
        out.append(dict(name=name, path=str(p), expect=expect, match=text,
                        rows=ROWS.get(name, base) if expect in ("ok", "warn") else None))
    (folder/"manifest.json").write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    m = build(sys.argv[1] if len(sys.argv) > 1 else "gtfs_corpus")
    print(f"{len(m)} cases: " + ", ".join(f"{k} {sum(c['expect'] == k for c in m)}" for k in ("ok", "warn", "error")))
