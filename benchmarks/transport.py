"""Transport benchmark: travel-time matrices with the project's RAPTOR vs cafein, same run, same inputs, same settings.

A 1,000 x 50 origin-destination matrix on the real Newport OSM + GTFS (origins: residential grid cells, resampled to 1,000;
destinations: 50 OSM services), public transport + walking with identical caps (walking speed, walking time per leg, max_time,
eight rides), timed through `travel_time_matrix` (the user's whole path: snapping, walking searches, routing, the long table)
  * at one departure (08:00), goal: RAPTOR >= 1.5x cafein's speed, and
  * over a 60-minute departure window (every minute, median), goal: >= 3x.
Reported apart from those run times:
  * numba compilation: the first call in this process (a load from numba's on-disk cache, `cache=True`, when it is warm;
    a compilation when it is cold), with the kernels' cache hits and misses;
  * model preparation: RAPTOR's first full call on a fresh model (the day's timetable, the stops' walking searches, which the
    model keeps) against cafein's network build + first call. The timed runs then redo everything that depends on the origins
    and destinations (snapping, access/egress lookups, the door-to-door walking searches, routing, the table).
Each timed run is repeated (`--repeat`, default 3) and the median kept. Prints wall and CPU seconds and the ratios.
Usage: python benchmarks/transport.py [--origins 1000] [--destinations 50] [--window 60] [--repeat 3]
"""
import argparse, statistics, time, warnings
import numpy as np, pandas as pd

t_import = time.perf_counter()
from campus.data import fetch
from campus.transport.engine import load_model, travel_time_matrix, compare, agreement
from campus.transport.access import dwellings, grid_origins, osm_services
from campus.transport import raptor as _raptor, network as _network
t_import = time.perf_counter() - t_import


def timed(fn):
    w, c = time.perf_counter(), time.process_time(); r = fn(); return r, time.perf_counter() - w, time.process_time() - c


def _cache_stats():
    out = {}
    for f in (_raptor._scan, _raptor._all_origins, _network._search, _network._reach, _network._gather):
        s = getattr(f, "stats", None)
        if s is not None: out[f.__name__] = (sum(s.cache_hits.values()), sum(s.cache_misses.values()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--origins", type=int, default=1000); ap.add_argument("--destinations", type=int, default=50)
    ap.add_argument("--window", type=int, default=60); ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    from pyrosm import OSM
    pbf, gtfs = fetch("transport/newport-2023-06-13.osm.pbf"), fetch("transport/newport-20230613_gtfs.zip")
    M, t_model, _ = timed(lambda: load_model(gtfs, pbf))
    O = grid_origins(dwellings(OSM(str(pbf)).get_buildings(), M.net.crs), cell=100, area=1000)
    O = O.sample(a.origins, replace=len(O) < a.origins, random_state=a.seed).assign(id=np.arange(a.origins))
    S = osm_services(pbf).sample(a.destinations, random_state=a.seed)
    print(f"Newport: model {t_model:.1f} s (GTFS + OSM, shared by both engines' inputs); {len(O):,} origins x {len(S):,} destinations")
    dep = "2023-06-13 08:00"
    kw = dict(max_walk=20, walk_speed=3.6, max_time=120, max_rides=8)

    # numba: first call of a tiny problem on a throw-away model copy -> compile or cache load, apart from run time
    _, t_jit, _ = timed(lambda: travel_time_matrix(load_model(gtfs, pbf), O[:2], S[:2], dep, backend="raptor", **kw))
    _, t_tiny, _ = timed(lambda: travel_time_matrix(load_model(gtfs, pbf), O[:2], S[:2], dep, backend="raptor", **kw))
    st = _cache_stats()
    hits, misses = sum(h for h, _ in st.values()), sum(m for _, m in st.values())
    print(f"numba: first call {max(t_jit - t_tiny, 0):.2f} s beyond a warm one (cache {'loaded' if hits and not misses else 'compiled' if misses else 'n/a'}: "
          f"{hits} cache hits, {misses} misses over {len(st)} kernels); import {t_import:.1f} s")

    # model preparation, each engine's own: RAPTOR's timetable + stop searches (first full call), cafein's network build + first call
    _, t_prep_r, _ = timed(lambda: travel_time_matrix(M, O, S, dep, backend="raptor", **kw))
    _, t_prep_c, _ = timed(lambda: travel_time_matrix(M, O, S, dep, backend="cafein", **kw))
    print(f"preparation + first full call: raptor {t_prep_r:.2f} s, cafein {t_prep_c:.2f} s (network build)")

    goals = {1: 1.5, a.window: 3.0}
    for label, win in [("one departure", 1), (f"{a.window}-min window", a.window)]:
        res = {}
        for be in ("raptor", "cafein"):
            runs = []
            for _ in range(a.repeat):
                for k in [k for k in M.cache if k[0] == "walk"]: del M.cache[k]    # walks between these points: searched again every run
                runs.append(timed(lambda: travel_time_matrix(M, O, S, dep, window=win, backend=be, **kw)))
            w, c = statistics.median(r[1] for r in runs), statistics.median(r[2] for r in runs)
            res[be] = (w, c, runs[-1][0])
            print(f"{label:>16} {be:>7}: {w:7.2f} s wall, {c:7.2f} s CPU (median of {a.repeat}), {runs[-1][0].travel_time.notna().mean():.1%} reachable")
        (wr, cr, rr), (wc, cc, rc) = res["raptor"], res["cafein"]
        same = travel_time_matrix(M, O, S, dep, window=win, backend="raptor", chain_walks=True, **kw)
        g = goals[win]
        print(f"{label:>16} speed ratio cafein/raptor: {wc/wr:.2f}x wall ({'meets' if wc/wr >= g else 'misses'} the {g}x goal), {cc/cr:.2f}x CPU; "
              f"agreement within 60 s over reachable pairs: {agreement(compare(same, rc))['share_reachable']:.1%} with cafein's walking rule, "
              f"{agreement(compare(rr, rc))['share_reachable']:.1%} with R5's")


if __name__ == "__main__":
    main()
