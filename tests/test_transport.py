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
