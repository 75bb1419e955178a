"""Payments: throughput of the transaction generator and of the week-by-week aggregation, against the obvious peer.

The peer aggregates with pandas `groupby(...).nunique()` for the distinct merchant and cardholder counts; campus uses `np.unique`
on (cell, id) pairs. Both produce the same table (checked below); the script prints transactions per second of each and the ratio,
measured in the same run. With `--full` it also runs the chapter's full-scale simulation (>= 10 million transactions, all three
tables) and prints its wall time and peak memory, measured in this process (no torch import).

It also times the fast path for national totals (`national_daily`, counts and spend drawn per day and category) against the
peer it replaces for the nowcast, generating every transaction and summing them, over the same weeks.

Usage: python benchmarks/payments.py [--weeks N] [--full]
"""
import argparse, datetime as dt, resource, time
import numpy as np
import pandas as pd
from dataclasses import replace
from campus.payments.simulate import SimParams, generate, national_daily, weekly_totals
from campus.payments.aggregate import add_keys, aggregate, simulate_aggregates, TABLES

FULL = SimParams(start=dt.date(2022, 1, 3), end=dt.date(2024, 12, 29), n_transactions=11_000_000, n_cardholders=1_000_000, n_merchants=60_000)

def peer(tx: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    "pandas groupby with nunique: the straightforward way."
    return (tx.groupby(keys, sort=True, observed=True)
              .agg(n_transactions=("amount", "size"), spend=("amount", "sum"), n_merchants=("merchant", "nunique"),
                   n_cardholders=("cardholder", "nunique")).reset_index())

def main(weeks: int = 20, full: bool = False):
    t0 = time.perf_counter(); raw = list(generate(FULL, seed=0, weeks=range(weeks))); t_gen = time.perf_counter() - t0
    n = sum(len(w) for w in raw)
    print(f"generator: {n:,} transactions in {t_gen:.2f} s = {n/t_gen:,.0f} transactions/s (full-scale parameters, {weeks} weeks)")
    raw = [add_keys(w) for w in raw]
    keys = TABLES["region_category_band"]
    t0 = time.perf_counter(); ours = [aggregate(w, keys) for w in raw]; t_ours = time.perf_counter() - t0
    t0 = time.perf_counter(); theirs = [peer(w, keys) for w in raw]; t_peer = time.perf_counter() - t0
    for a, b in zip(ours, theirs):
        for c in ("n_transactions", "n_merchants", "n_cardholders"): np.testing.assert_array_equal(a[c].to_numpy(), b[c].to_numpy())
        np.testing.assert_allclose(a["spend"].to_numpy(), b["spend"].to_numpy(), atol=0.006)
    print(f"aggregation: campus {n/t_ours:,.0f} tx/s, pandas nunique peer {n/t_peer:,.0f} tx/s; speed-up {t_peer/t_ours:.2f}x "
          f"(campus also computes the top-merchant share)")
    sub = replace(FULL, end=FULL.start + dt.timedelta(7*weeks - 1))
    t0 = time.perf_counter(); tot_gen = [(len(w), w.amount.sum()) for w in generate(sub, seed=0)]; t_g = time.perf_counter() - t0
    t0 = time.perf_counter(); tot_fast = weekly_totals(national_daily(sub, seed=0)); t_f = time.perf_counter() - t0
    print(f"national weekly totals over {weeks} weeks: generator + sum {t_g:.2f} s, fast path {t_f:.3f} s; speed-up {t_g/t_f:,.0f}x "
          f"(mean weekly spend {np.mean([s for _, s in tot_gen]):,.0f} vs {tot_fast.spend.mean():,.0f})")
    if full:
        t0 = time.perf_counter(); agg = simulate_aggregates(FULL, seed=0); wall = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024
        print(f"full scale: {agg.stats['n_transactions']:,} transactions, {agg.stats['n_weeks']} weeks, {wall:.1f} s "
              f"({agg.stats['transactions_per_second']:,.0f} tx/s), at most {agg.stats['max_rows_in_memory']:,} rows in memory, "
              f"peak RSS {rss:,.0f} MiB")

if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--weeks", type=int, default=20); ap.add_argument("--full", action="store_true")
    a = ap.parse_args(); main(a.weeks, a.full)
