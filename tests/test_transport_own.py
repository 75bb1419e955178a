"""`campus transport matrix` on small files: an OSM PBF, two operators' GTFS zips (one with an expired calendar), origins and
destinations CSVs with bad rows; the matrix and access table it writes, the accounting it prints, and one-line errors for bad files."""
import subprocess, sys, zipfile
from pathlib import Path
import numpy as np, pandas as pd, pytest
from campus.transport.gtfs import toy_tables, write_gtfs
from campus.transport.network import toy_osm
from campus.transport.own import read_points, PointsError

CAMPUS = str(Path(sys.executable).parent/"campus")


def _zip(tables, path: Path) -> Path:
    src = write_gtfs(path.with_suffix(""), tables)
    with zipfile.ZipFile(path, "w") as z:
        for f in sorted(src.glob("*.txt")): z.write(f, f.name)
    return path


def _expired():
    T = toy_tables()
    T["calendar"][0].update(start_date="20220101", end_date="20221231")
    T["calendar_dates"][0].update(date="20220614")
    return T


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("own")
    f = dict(osm=toy_osm(d/"street.osm.pbf"), a=_zip(toy_tables(), d/"toy.zip"), b=_zip(_expired(), d/"old.zip"), d=d)
    # the home and the shop of the worked answer in test_transport.py (walk to A, L1 to C, walk on: 22 min 12 s at 07:18)
    pd.DataFrame({"id": ["home", "", "typo", "home", "far"], "lon": ["-3.0", "-3.0", "-3,0", "-3.0", "-1.0"],
                  "lat": ["51.5810", "51.5810", "51.58", "51.5812", "53.0"]}).to_csv(d/"homes.csv", index=False)
    pd.DataFrame({"Name": ["shop"], "Longitude": [-2.9712], "Latitude": [51.5801], "Service": ["food"]}).to_csv(d/"shops.csv", index=False)
    return f


def _run(*args):
    return subprocess.run([CAMPUS, "transport", "matrix", *map(str, args)], capture_output=True, text=True)


def _args(f, **over):
    a = dict(osm=f["osm"], gtfs=[f["a"], f["b"]], origins=f["d"]/"homes.csv", destinations=f["d"]/"shops.csv", departure="2023-06-13 07:18")
    a.update(over)
    out = []
    for k, v in a.items(): out += [f"--{k}", *(v if isinstance(v, list) else [v])]
    return out


def test_read_points_counts_every_row(files):
    kept, acc = read_points(files["d"]/"homes.csv", "origins")
    assert acc["read"] == 5 and acc["kept"] == len(kept) == 2
    assert acc["kept"] + sum(acc["rejected"].values()) == acc["read"]          # nothing dropped silently
    assert acc["rejected"] == {"blank id": 1, "non-numeric lon": 1, "repeated id": 1}
    assert list(kept.id) == ["home", "far"]                                    # the first of a repeated id is kept


def test_matrix_command_writes_matrix_and_access(files):
    d = files["d"]
    r = _run(*_args(files, mode="transit"), "--max-walk", "10", "-o", d/"tt.parquet", "--access", d/"access.csv")
    assert r.returncode == 0, r.stderr
    assert "homes.csv: 5 rows read, 2 used, 1 blank id, 1 non-numeric lon, 1 repeated id; 1 off the street map" in r.stdout
    assert "(expired)" in r.stdout and "(runs)" in r.stdout
    tt = pd.read_parquet(d/"tt.parquet")
    assert list(tt.columns) == ["from_id", "to_id", "travel_time"] and len(tt) == 2
    t = tt.set_index("from_id").travel_time
    assert abs(t["home"] - (22 + 12/60)) < 0.1                                  # the worked answer, through the second feed too
    assert np.isnan(t["far"])                                                   # off the map: kept, time empty
    acc = pd.read_csv(d/"access.csv").set_index("from_id")
    assert acc.loc["home", "category"] == "food" and acc.loc["home", "nearest_id"] == "shop"
    assert abs(acc.loc["home", "nearest_min"] - t["home"]) < 1e-9 and acc.loc["home", "within_30_min"] == 1
    assert acc.loc["far", "within_30_min"] == 0


def test_help_has_an_example():
    r = subprocess.run([CAMPUS, "transport", "matrix", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "example: campus transport matrix --osm" in r.stdout


def _bad(files, case):
    d = files["d"]
    if case == "origins without lat":
        (d/"nolat.csv").write_text("id,lon\nh,-3.0\n"); return _args(files, origins=d/"nolat.csv"), "lacks the column(s) lat"
    if case == "a feed that is not a zip":
        (d/"bad.zip").write_text("not a zip"); return _args(files, gtfs=[files["a"], d/"bad.zip"]), "bad.zip is not a zip"
    if case == "a map that is not PBF":
        (d/"map.osm").write_text("<osm/>"); return _args(files, osm=d/"map.osm"), "not an OpenStreetMap PBF"
    if case == "a truncated PBF":
        b = files["osm"].read_bytes(); (d/"cut.osm.pbf").write_bytes(b[:len(b)//2])
        return _args(files, osm=d/"cut.osm.pbf"), "cut.osm.pbf: cannot be read as an OSM PBF extract"
    if case == "only the expired feed":
        return _args(files, gtfs=[files["b"]]), "2022-12-31"
    if case == "a departure that is not a time":
        return _args(files, departure="soon"), "expected a date and time"


@pytest.mark.parametrize("case", ["origins without lat", "a feed that is not a zip", "a map that is not PBF", "a truncated PBF", "only the expired feed",
                                  "a departure that is not a time"])
def test_bad_file_is_one_line_and_exit_1(files, case):
    args, text = _bad(files, case)
    r = _run(*args, "-o", files["d"]/"x.parquet")
    assert r.returncode == 1, (r.stdout, r.stderr)
    err = r.stderr.strip()
    assert text in err and "Traceback" not in err and len(err.splitlines()) <= 2, err
    assert not (files["d"]/"x.parquet").exists()


def test_r5py_without_a_jar_is_one_line(files, tmp_path):
    "Asking for R5 where no valid jar is configured is the user's to fix: one line naming why, not a traceback."
    import os
    if Path("/etc/r5py.yml").exists(): pytest.skip("a system-wide r5py configuration exists")
    env = dict(os.environ, R5_CLASSPATH=str(tmp_path/"missing-r5.jar"), XDG_CONFIG_HOME=str(tmp_path))
    r = subprocess.run([CAMPUS, "transport", "matrix", *map(str, _args(files)), "--backend", "r5py", "-o", str(tmp_path/"x.parquet")],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1 and "R5 is unavailable" in r.stderr and "missing-r5.jar" in r.stderr and "Traceback" not in r.stderr, r.stderr
