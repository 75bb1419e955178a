"The runner: a failing notebook exits non-zero naming the cell; an unchanged run is cached."
import json, subprocess, sys
from pathlib import Path
from campus.runner import _demo_nbs

def _campus(*args, env):
    return subprocess.run([str(Path(sys.executable).parent/"campus"), *args], capture_output=True, text=True, env=env)

def test_failure_and_cache(tmp_build):
    import os
    nbs = _demo_nbs(tmp_build)
    env = {**os.environ}
    r = _campus("run", "demo", "--nbs", str(nbs), "-j", "1", env=env)
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "FAILED chapter 'demo', notebook 10_demo/02_bad.ipynb, cell 1" in out and "deliberate failure" in out
    (nbs/"10_demo"/"02_bad.ipynb").unlink()
    r2 = _campus("run", "demo", "--nbs", str(nbs), "-j", "1", env=env)
    assert r2.returncode == 0 and "cached" in r2.stdout
    status = json.loads((tmp_build/"_build"/"executed"/"status.json").read_text())
    rec = status["notebooks"]["10_demo/01_good.ipynb"]
    assert rec["status"] == "ok" and rec["wall_s"] > 0 and rec["peak_rss_mb"] > 0
