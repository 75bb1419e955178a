"""Transport chapter: malformed inputs give clear errors; RAPTOR's worked answers; engine invariants on the toy city."""
import numpy as np, pandas as pd, pytest
from campus.transport.gtfs import GTFSError, read_gtfs, write_gtfs, toy_tables
from campus.transport.network import OSMError, walk_network, toy_osm
from campus.transport.raptor import build_timetable, stop_times_from, csa_reference
from campus.transport.engine import load_model, travel_time_matrix

@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    d = tmp_path_factory.mktemp("toy")
    return load_model(write_gtfs(d/"gtfs", toy_tables()), toy_osm(d/"toy.osm.pbf"))

@pytest.mark.parametrize("edit,msg", [
    (lambda T: T.pop("stop_times"), "missing required GTFS file"),
    (lambda T: T["stop_times"][0].update(stop_id="nope"), "unknown stop_id"),
    (lambda T: T["stop_times"][0].update(arrival_time="7:0"), "bad stop_times arrival_time format"),
])
def test_malformed_gtfs(tmp_path, edit, msg):
    T = toy_tables(); edit(T)
    with pytest.raises(GTFSError, match=msg): read_gtfs(write_gtfs(tmp_path/"g", T))

def test_empty_and_wrong_area_osm(tmp_path):
    with pytest.raises(OSMError, match="no walkable ways"): walk_network(toy_osm(tmp_path/"e.osm.pbf", ways=False))
    T = toy_tables()
    for s in T["stops"]: s["stop_lat"] += 2
    with pytest.raises(OSMError, match="wrong area"): load_model(write_gtfs(tmp_path/"far", T), toy_osm(tmp_path/"t.osm.pbf"))

def test_worked_answers(toy):
    tue = toy.timetable("2023-06-13")
    assert stop_times_from(tue, "A", "07:05")["C"] == 35          # one line
    assert stop_times_from(tue, "A", "07:00")["D"] == 35          # transfer onto a frequency route
    assert stop_times_from(tue, "B", "00:00")["C"] == 10          # Monday's overnight trip
    assert np.isinf(stop_times_from(toy.timetable("2023-06-14"), "A", "07:00")["C"])   # calendar_dates removal
    V = csa_reference(tue, tue.stop_index(["A"])[0], 7*3600)
    assert V[tue.stop_index(["D"])[0]] == 7*3600 + 35*60

def test_engine_invariants(toy):
    home = pd.DataFrame({"id": ["h"], "lon": [-3.0], "lat": [51.5810]}); shop = pd.DataFrame({"id": ["s"], "lon": [-2.9712], "lat": [51.5801]})
    walk = travel_time_matrix(toy, home, shop, "2023-06-13 07:18", modes=("walk",)).travel_time[0]
    pt = travel_time_matrix(toy, home, shop, "2023-06-13 07:18", max_walk=10).travel_time[0]
    assert pt < walk and abs(pt - (22 + 12/60)) < 0.1
    w = travel_time_matrix(toy, home, shop, "2023-06-13 07:00", window=60, percentiles=(50, 90))
    assert (w.travel_time_p50 <= w.travel_time_p90).all()


# ---- any city, any set of feeds -------------------------------------------------------------------------------------------
import importlib.util, os, subprocess, sys, warnings, zipfile
from pathlib import Path
from campus.transport.gtfs import GTFSWarning, NoServiceError, WEEKDAYS
from campus.transport.engine import BackendWarning, OffMapWarning, choose_backend
from campus.transport.network import toy_osm as _toy_osm

def _corpus_module():
    spec = importlib.util.spec_from_file_location("make_transport_corpus", Path(__file__).with_name("make_transport_corpus.py"))
    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); return m

def test_gtfs_corpus(tmp_path):
    "Every broken feed is read or refused as expected: no crash, no silent drop, each rejection counted with its reason."
    manifest = _corpus_module().build(tmp_path/"corpus")
    outcomes, crashes, rejected = {}, [], {}
    for c in manifest:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try: f = read_gtfs(c["path"]); err = None
            except GTFSError as e: f, err = None, str(e)
            except Exception as e: crashes.append((c["name"], repr(e))); continue
        warned = [str(x.message) for x in w if issubclass(x.category, GTFSWarning)]
        got = "error" if err else "warn" if warned else "ok"
        outcomes[c["name"]] = got
        assert got == c["expect"], (c["name"], got, err, warned)
        text = err if got == "error" else " ".join(warned)
        assert c["match"] in text, (c["name"], text)
        if got == "error": rejected[c["name"]] = err
        else:
            for t, n in c["rows"].items(): assert len(f[t]) == n, (c["name"], t, len(f[t]), n)   # nothing dropped silently
    assert not crashes, crashes
    assert len(rejected) == sum(c["expect"] == "error" for c in manifest) >= 25
    assert all(len(r) > 20 for r in rejected.values())                        # every rejection says why
    assert sum(v != "error" for v in outcomes.values()) >= 12

def test_gtfs_notes_on_awkward_feeds(tmp_path):
    m = _corpus_module().build(tmp_path/"c")
    p = {c["name"]: c["path"] for c in m}
    assert any("single stop time" in n for n in read_gtfs(p["trip_with_one_stop_time"]).notes)
    assert any("interpolated 1 blank" in n for n in read_gtfs(p["blank_intermediate_time"]).notes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert "Café A" in set(read_gtfs(p["latin1_stop_name"])["stops"].stop_name)
        assert "“C”" in set(read_gtfs(p["cp1252_smart_quotes"])["stops"].stop_name)
    assert "stop_id" in read_gtfs(p["bom_every_table"])["stops"].columns

def _abc(tmp_path, shape=None):
    "A-B-C with 1 km then 3 km, B untimed."
    stops = [dict(stop_id=s, stop_lat=51.58, stop_lon=-3.0 + x) for s, x in zip("ABC", [0, 0.0144, 4*0.0144])]
    st = [dict(trip_id="t", arrival_time=t, departure_time=t, stop_id=s, stop_sequence=i) for i, (s, t) in enumerate(zip("ABC", ["08:00:00", "", "08:40:00"]))]
    if shape: [r.update(shape_dist_traveled=v) for r, v in zip(st, shape)]
    T = dict(stops=stops, routes=[dict(route_id="r")], trips=[dict(route_id="r", service_id="s", trip_id="t")], stop_times=st,
             calendar_dates=[dict(service_id="s", date="20230613", exception_type=1)])
    f = read_gtfs(write_gtfs(tmp_path/f"abc{bool(shape)}", T))["stop_times"].set_index("stop_id")
    return int(f.arr["B"]), int(f.dep["B"])

def test_blank_times_by_distance(tmp_path):
    assert _abc(tmp_path) == (8*3600 + 10*60,)*2                       # a quarter of A->C, not half
    assert _abc(tmp_path, shape=[0, 3000, 4000])[0] == 8*3600 + 30*60   # shape_dist_traveled when complete

def _shifted(dlon, dmin):
    T = toy_tables()
    for s in T["stops"]: s["stop_lon"] += dlon
    for r in T["stop_times"]:
        for c in ("arrival_time", "departure_time"):
            h, m, s_ = map(int, r[c].split(":")); t = h*60 + m + dmin; r[c] = f"{t//60:02d}:{t%60:02d}:{s_:02d}"
    return T

def test_two_synthetic_feeds_reusing_ids(tmp_path):
    a, b = write_gtfs(tmp_path/"op1", toy_tables()), write_gtfs(tmp_path/"op2", _shifted(0.0295, 25))
    f = read_gtfs([a, b])
    assert len(f["stops"]) == 8 and f["stops"].stop_id.is_unique and f["trips"].trip_id.is_unique
    assert {"op1:A", "op2:A"} <= set(f["stops"].stop_id) and set(f["trips"].service_id) == {"op1:WK", "op2:WK"}
    assert len(f["stop_times"]) == 2*len(read_gtfs(a)["stop_times"])
    osm = _toy_osm(tmp_path/"long.osm.pbf", lon1=-2.92)
    home = pd.DataFrame({"id": ["h"], "lon": [-3.0], "lat": [51.5810]}); shop = pd.DataFrame({"id": ["s"], "lon": [-2.9417], "lat": [51.5801]})
    both = travel_time_matrix(load_model([a, b], osm), home, shop, "2023-06-13 06:58", max_walk=10).travel_time[0]
    one = travel_time_matrix(load_model(a, osm), home, shop, "2023-06-13 06:58", max_walk=10).travel_time[0]
    assert abs(both - (47 + 11/60)) < 0.3 and np.isnan(one)          # op1's bus, a walking transfer, op2's bus

def test_newport_and_chester_together():
    from campus.data import fetch
    n, c = fetch("transport/newport-20230613_gtfs.zip"), fetch("transport/chester-20230816-small_gtfs.zip")
    fn, fc, f = read_gtfs(n), read_gtfs(c), read_gtfs([n, c])
    for t in ("stops", "trips", "stop_times", "routes"): assert len(f[t]) == len(fn[t]) + len(fc[t])
    assert f["stops"].stop_id.is_unique and f["trips"].trip_id.is_unique
    shared = set(fn["stops"].stop_id) & set(fc["stops"].stop_id)
    assert not shared or any("stop_id" in x for x in f.notes)
    day = "2023-08-16"
    from campus.transport.raptor import build_timetable
    assert len(build_timetable(f, day).trip_ids) == len(build_timetable(fn, day).trip_ids) + len(build_timetable(fc, day).trip_ids)
    with pytest.warns(OffMapWarning, match="chester"):
        M = load_model([n, c], fetch("transport/newport-2023-06-13.osm.pbf"))
    M1 = load_model(n, fetch("transport/newport-2023-06-13.osm.pbf"))
    core = M1.stops[M1.stops.in_map & M1.stops.snapped].sample(12, random_state=0)
    pts = pd.DataFrame({"id": range(12), "lon": core.lon.to_numpy() + 0.001, "lat": core.lat.to_numpy()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = travel_time_matrix(M, pts, pts, f"{day} 08:00", backend="raptor")
        b = travel_time_matrix(M1, pts, pts, f"{day} 08:00", backend="raptor")
    assert a.attrs["trips_in_window"] > b.attrs["trips_in_window"] > 0
    np.testing.assert_allclose(a.travel_time.fillna(-1), b.travel_time.fillna(-1), atol=1/60)   # Chester's buses do not reach Newport

def test_no_service_is_an_error(toy, tmp_path):
    home = pd.DataFrame({"id": ["h"], "lon": [-3.0], "lat": [51.5810]}); shop = pd.DataFrame({"id": ["s"], "lon": [-2.9712], "lat": [51.5801]})
    with pytest.raises(NoServiceError, match=r"2023-01-01 to 2023-12-31, 0 of its 1 services active"):
        travel_time_matrix(toy, home, shop, "2024-06-13 07:05")
    T = toy_tables(); T["calendar"][0].update({d: 0 for d in WEEKDAYS})
    zero = load_model(write_gtfs(tmp_path/"zero", T), _toy_osm(tmp_path/"t.osm.pbf"))
    with pytest.raises(NoServiceError, match="0 of 1 services are active.*every weekday set to 0"):
        travel_time_matrix(zero, home, shop, "2023-06-13 07:05")
    with pytest.warns(UserWarning, match="walking-only"):
        r = travel_time_matrix(toy, home, shop, "2024-06-13 07:05", allow_no_service=True)
    assert r.attrs["trips_in_window"] == 0
    ok = travel_time_matrix(toy, home, shop, "2023-06-13 07:05")
    assert ok.attrs["trips_in_window"] == 14 and ok.attrs["active_services"] == 1

def test_modes_and_off_map(toy):
    home = pd.DataFrame({"id": ["h", "far"], "lon": [-3.0, -3.0], "lat": [51.5810, 51.70]}); shop = pd.DataFrame({"id": ["s"], "lon": [-2.9712], "lat": [51.5801]})
    with pytest.warns(OffMapWarning, match="1 of 2 origins are off the street map: no walkable street within 500 m"):
        t = travel_time_matrix(toy, home, shop, "2023-06-13 07:05", mode="transit", max_walk=10).travel_time
    w = travel_time_matrix(toy, home, shop, "2023-06-13 07:05", mode="walk").travel_time
    b = travel_time_matrix(toy, home, shop, "2023-06-13 07:05", mode="best", max_walk=10).travel_time
    assert t[0] > w[0] and abs(b[0] - w[0]) < 1/60 and b[1:].isna().all()
    b2 = travel_time_matrix(toy, home[:1], shop, "2023-06-13 07:18", mode="best", max_walk=10).travel_time[0]
    t2 = travel_time_matrix(toy, home[:1], shop, "2023-06-13 07:18", mode="transit", max_walk=10).travel_time[0]
    assert b2 == t2 < w[0]
    with pytest.raises(ValueError, match="mode must be one of"): travel_time_matrix(toy, home, shop, "2023-06-13 07:05", mode="car")

def test_r5_reasons(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))            # no r5py config file
    monkeypatch.delenv("R5_CLASSPATH", raising=False)
    assert "R5_CLASSPATH is unset" in choose_backend()[1]
    monkeypatch.setenv("R5_CLASSPATH", str(tmp_path/"r5-all.jar"))
    assert "r5-all.jar, which does not exist" in choose_backend()[1] and str(tmp_path) not in choose_backend()[1]
    (tmp_path/"r5-all.jar").write_text("not a jar")
    assert "not a jar" in choose_backend()[1]

def test_r5py_failure_falls_back(toy, tmp_path, monkeypatch):
    "A jar that looks right but R5 cannot start: RAPTOR with a warning carrying r5py's own error; sys.argv untouched."
    jar = tmp_path/"r5-all.jar"
    with zipfile.ZipFile(jar, "w") as z: z.writestr("com/conveyal/r5/Fake.class", b"")
    fake = tmp_path/"fake"; (fake/"r5py").mkdir(parents=True)
    (fake/"r5py"/"__init__.py").write_text(                      # r5py's own way of reading its classpath, then R5 failing to load
        "import sys, configargparse\np = configargparse.get_argument_parser()\np.add('-r', '--r5-classpath', default='')\n"
        "sys.modules['_r5py_seen'] = (list(sys.argv), p.parse_known_args(args=[])[0].r5_classpath)\n"
        "raise ImportError(\"Failed to import 'com.conveyal'\")\n")
    monkeypatch.syspath_prepend(str(fake)); monkeypatch.setenv("R5_CLASSPATH", str(jar)); monkeypatch.delitem(sys.modules, "r5py", raising=False)
    import configargparse; monkeypatch.setattr(configargparse, "_parsers", {})     # a fresh shared parser, restored afterwards
    argv = list(sys.argv)
    assert choose_backend()[0] == "r5py"
    home = pd.DataFrame({"id": ["h"], "lon": [-3.0], "lat": [51.5810]}); shop = pd.DataFrame({"id": ["s"], "lon": [-2.9712], "lat": [51.5801]})
    with pytest.warns(BackendWarning, match=r"falls back to raptor.*Failed to import 'com.conveyal'"):
        r = travel_time_matrix(toy, home, shop, "2023-06-13 07:18", max_walk=10)
    assert r.attrs["backend"] == "raptor" and "Failed to import" in r.attrs["reason"]
    seen_argv, seen_jar = sys.modules.pop("_r5py_seen")
    assert sys.argv == argv and seen_argv == argv and seen_jar == str(jar)        # r5py got the jar; sys.argv never changed
    with pytest.raises(ImportError): travel_time_matrix(toy, home, shop, "2023-06-13 07:18", backend="r5py")

def test_r5py_imported_lazily():
    code = "import sys, campus.transport.engine as e; e.choose_backend(); print('r5py' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ | {"R5_CLASSPATH": ""})
    assert out.stdout.strip() == "False", out.stderr
