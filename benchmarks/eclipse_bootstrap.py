"""ECLIPSE bootstrap: campus's least-squares resampling against the obvious peer, refitting statsmodels OLS each time.

Both compute the same plug-in adjusted means on the same resamples (checked below); the script prints the time per resample of
each and the speed-up ratio, measured in the same run. Usage: python benchmarks/eclipse_bootstrap.py [n_boot]
"""
import sys, time
import numpy as np
import statsmodels.formula.api as smf
from campus.eclipse.simulate import simulate_survey
from campus.eclipse.method import MODEL_FORMULA, CAP_PCT, bootstrap, adjust, under_reporting_pct

def peer(dlw, survey, n_boot, rng):
    "The straightforward version: statsmodels formula OLS refitted on every resample, pandas predict."
    d = dlw.assign(under_pct=under_reporting_pct(dlw["tee_kcal"], dlw["ei_kcal"]))
    draws = np.empty((n_boot, 3))
    male = (survey["sex"] == "M").to_numpy()
    for b in range(n_boot):
        i = rng.integers(0, len(d), len(d)); j = rng.integers(0, len(survey), len(survey))
        fit = smf.ols(MODEL_FORMULA, data=d.iloc[i]).fit()
        s = survey.iloc[j]
        adj = adjust(s["ei_kcal"].to_numpy(), fit.predict(s).to_numpy(), cap=CAP_PCT)
        m = male[j]
        draws[b] = adj.mean(), adj[m].mean(), adj[~m].mean()
    return draws

def main(n_boot=200):
    survey = simulate_survey(seed=0); dlw = survey[survey["dlw"]]
    t0 = time.perf_counter(); ours = bootstrap(dlw, survey, n_boot, np.random.default_rng(1), smear=False); t_ours = time.perf_counter() - t0
    t0 = time.perf_counter(); theirs = peer(dlw, survey, n_boot, np.random.default_rng(1)); t_peer = time.perf_counter() - t0
    lo, hi = np.percentile(theirs, [2.5, 97.5], axis=0)
    assert np.allclose(ours["ci_low"].to_numpy(), lo) and np.allclose(ours["ci_high"].to_numpy(), hi), "the two disagree"
    print(f"n_boot={n_boot}: campus {1e3*t_ours/n_boot:.2f} ms/resample, statsmodels refit {1e3*t_peer/n_boot:.2f} ms/resample, "
          f"ratio {t_peer/t_ours:.1f}x (same intervals)")

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
