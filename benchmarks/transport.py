"""Transport benchmark: travel-time matrices with the project's RAPTOR vs cafein, same run, same inputs.

A 1,000 x 50 origin-destination matrix on the real Newport OSM + GTFS (origins: residential grid cells, resampled to 1,000;
destinations: 50 OSM services), public transport + walking with identical caps, timed
  * at one departure (08:00), and
  * over a 60-minute departure window (every minute, median),
for `raptor` (numba, one thread) and `cafein` (its own thread pool), after one warm-up call each (numba compilation,
cafein's network build are timed separately). Prints wall and CPU seconds and the ratios.
Usage: python benchmarks/transport.py [--origins 1000] [--destinations 50] [--window 60]
"""
import argparse, time, warnings
import numpy as np, pandas as pd
from campus.data import fetch
from campus.transport.engine import load_model, travel_time_matrix, compare, agreement
from campus.transport.access import dwellings, grid_origins, osm_services

def timed(fn):
    w, c = time.perf_counter(), time.process_time(); r = fn(); return r, time.perf_counter() - w, time.process_time() - c

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--origins", type=int, default=1000); ap.add_argument("--destinations", type=int, default=50)
    ap.add_argument("--window", type=int, default=60); ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    from pyrosm import OSM
    pbf = fetch("transport/newport-2023-06-13.osm.pbf")
    M, t_model, _ = timed(lambda: load_model(fetch("transport/newport-20230613_gtfs.zip"), pbf))
    O = grid_origins(dwellings(OSM(str(pbf)).get_buildings(), M.net.crs), cell=100, area=1000)
    O = O.sample(a.origins, replace=len(O) < a.origins, random_state=a.seed).assign(id=np.arange(a.origins))
    S = osm_services(pbf).sample(a.destinations, random_state=a.seed)
    print(f"Newport: model {t_model:.1f} s; {len(O):,} origins x {len(S):,} destinations")
    dep = "2023-06-13 08:00"
    travel_time_matrix(M, O[:5], S[:5], dep, backend="raptor")                      # numba compile / cache load
    _, t_cb, _ = timed(lambda: travel_time_matrix(M, O[:5], S[:5], dep, backend="cafein"))   # cafein network build
    print(f"warm-up: cafein network build + first call {t_cb:.1f} s")
    rows = {}
    for label, win in [("one departure", 1), (f"{a.window}-min window", a.window)]:
        for be in ("raptor", "cafein"):
            r, w, c = timed(lambda: travel_time_matrix(M, O, S, dep, window=win, backend=be))
            rows[(label, be)] = (w, c, r)
            print(f"{label:>16} {be:>7}: {w:7.2f} s wall, {c:7.2f} s CPU, {r.travel_time.notna().mean():.1%} reachable")
        (wr, cr, rr), (wc, cc, rc) = rows[(label, "raptor")], rows[(label, "cafein")]
        same = travel_time_matrix(M, O, S, dep, window=win, backend="raptor", chain_walks=True)
        print(f"{label:>16} ratio cafein/raptor: {wc/wr:.2f}x wall, {cc/cr:.2f}x CPU; agreement within 60 s over reachable pairs: "
              f"{agreement(compare(same, rc))['share_reachable']:.1%} with cafein's walking rule, {agreement(compare(rr, rc))['share_reachable']:.1%} with R5's")

if __name__ == "__main__":
    main()
