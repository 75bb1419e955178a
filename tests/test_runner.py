"""The runner: failures name the source cell and line; the cache is verified, never assumed; a killed run leaves nothing that a
later run would take for its own; two runs on one build folder never write at once; arguments are checked before anything runs."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import nbformat, pytest
from nbformat.v4 import new_notebook, new_code_cell
from campus.runner import _demo_nbs

CAMPUS = str(Path(sys.executable).parent/"campus")

def _campus(*args, env=None, **kw):
    return subprocess.run([CAMPUS, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, **kw)

def _status(build: Path) -> dict: return json.loads((build/"executed"/"status.json").read_text())

def test_failure_and_cache(tmp_build):
    nbs = _demo_nbs(tmp_build)
    r = _campus("run", "demo", "--nbs", str(nbs), "-j", "1")
    assert r.returncode != 0
    out = r.stdout + r.stderr
    assert "FAILED chapter 'demo', notebook 10_demo/02_bad.ipynb, cell 2 of 2, line 3: f()" in out and "deliberate failure" in out
    assert not (tmp_build/"_build"/"executed"/"10_demo"/"02_bad.ipynb").exists()          # only a finished notebook has an output
    assert (tmp_build/"_build"/"executed"/"10_demo"/"02_bad.failed.ipynb").exists()       # the failed one is kept, by another name
    (nbs/"10_demo"/"02_bad.ipynb").unlink()
    r2 = _campus("run", "demo", "--nbs", str(nbs), "-j", "1")
    assert r2.returncode == 0 and "cached" in r2.stdout
    rec = _status(tmp_build/"_build")["notebooks"]["10_demo/01_good.ipynb"]
    assert rec["status"] == "ok" and rec["wall_s"] > 0 and rec["peak_rss_mb"] > 0 and len(rec["output_sha256"]) == 64

def _chapter(root: Path, cells_after_params: list[str]) -> Path:
    "A one-notebook chapter `slow` whose report takes parameters, writes results/slow.json, and runs `cells_after_params`."
    d = root/"nbs"/"10_slow"; d.mkdir(parents=True, exist_ok=True)
    cells = [new_code_cell("scale = 'smoke'\ndevice = 'auto'\nseed = 0", metadata={"tags": ["parameters"]}),
             new_code_cell("from campus.core import Results\nR = Results('slow', scale=scale, seed=seed)")]
    cells += [new_code_cell(s) for s in cells_after_params]
    cells.append(new_code_cell("R.record('seed_used', seed + 100, 'the seed, shifted'); R.save()"))
    nbformat.write(new_notebook(cells=cells), d/"09_report.ipynb")
    return root/"nbs"

def test_failure_names_the_source_cell_after_injected_parameters(tmp_build):
    nbs = _chapter(tmp_build, ["x = 1\ny = 2\nraise RuntimeError('third line fails')"])
    r = _campus("run", "slow", "--nbs", str(nbs), "-j", "1")
    out = r.stdout + r.stderr
    # papermill adds an injected-parameters cell, so its index is one more than the source notebook's cell 3 (counting from 1)
    assert r.returncode == 1 and "cell 3 of 4, line 3: raise RuntimeError('third line fails')" in out, out

def _children_of(pid: int) -> set[int]:
    "Every descendant process id of `pid` (from /proc/*/stat on Linux)."
    parent = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try: parent[int(d.name)] = int((d/"stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError): pass
    kids, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for c, pp in parent.items():
            if pp == p and c not in kids: kids.add(c); todo.append(c)
    return kids

def _alive(pid: int) -> bool:
    try: return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError: return False

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc to find the worker and kernel")
def test_kill_mid_run_then_rerun_with_another_seed(tmp_build):
    "kill -9 of `campus run` during the report: its worker and kernel die too, and a rerun with another seed reruns."
    marker = tmp_build/"started"
    nbs = _chapter(tmp_build, [f"open({str(marker)!r}, 'w').close()\nimport time\ntime.sleep(8)"])
    build = tmp_build/"_build"
    assert _campus("run", "slow", "--nbs", str(nbs), "-j", "1", "--seed", "0").returncode == 0
    first = json.loads((build/"results"/"slow.json").read_text())
    assert first["results"]["seed_used"] == 100
    marker.unlink()
    p = subprocess.Popen([CAMPUS, "run", "slow", "--nbs", str(nbs), "-j", "1", "--seed", "1"], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    for _ in range(600):
        if marker.exists(): break
        time.sleep(0.1)
    assert marker.exists(), "the report never started"
    kids = _children_of(p.pid)
    assert kids, "no worker or kernel found"
    os.kill(p.pid, signal.SIGKILL); p.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(k) for k in kids): time.sleep(0.2)
    assert not any(_alive(k) for k in kids), "a worker or kernel outlived the killed run"
    time.sleep(9)                                   # long enough for an orphan to have finished the notebook, had it lived
    assert json.loads((build/"results"/"slow.json").read_text())["results"]["seed_used"] == 100   # nobody wrote seed 1's results
    assert not (build/"executed"/"10_slow"/"09_report.ipynb").exists()   # the seed-0 page was removed when seed 1 started
    marker.unlink()
    r = _campus("run", "slow", "--nbs", str(nbs), "-j", "1", "--seed", "0")
    assert r.returncode == 0 and "1 run, 0 cached" in r.stdout, r.stdout
    assert json.loads((build/"results"/"slow.json").read_text())["results"]["seed_used"] == 100

@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_damaged_results_json_means_not_cached(tmp_build, damage):
    nbs = _chapter(tmp_build, [])
    build = tmp_build/"_build"
    assert _campus("run", "slow", "--nbs", str(nbs), "-j", "1").returncode == 0
    res = build/"results"/"slow.json"
    if damage == "truncate": res.write_text(res.read_text()[:20])
    else: res.unlink()
    r = _campus("run", "slow", "--nbs", str(nbs), "-j", "1")
    assert r.returncode == 0 and "1 run, 0 cached" in r.stdout, r.stdout
    assert json.loads(res.read_text())["results"]["seed_used"] == 100

def test_edited_executed_notebook_means_not_cached(tmp_build):
    nbs = _chapter(tmp_build, [])
    assert _campus("run", "slow", "--nbs", str(nbs), "-j", "1").returncode == 0
    out = tmp_build/"_build"/"executed"/"10_slow"/"09_report.ipynb"
    nb = nbformat.read(out, as_version=4); nb.cells = nb.cells[:3]; nbformat.write(nb, out)   # half a notebook
    r = _campus("run", "slow", "--nbs", str(nbs), "-j", "1")
    assert "1 run, 0 cached" in r.stdout, r.stdout

def test_second_run_waits_for_the_lock(tmp_build):
    "No fixed sleeps: the first run holds the lock until the test releases it, after the second has said that it waits."
    marker, release = tmp_build/"started", tmp_build/"release"
    nbs = _chapter(tmp_build, [f"import os, time\nopen({str(marker)!r}, 'w').close()\n"
                               f"for _ in range(1200):\n    if os.path.exists({str(release)!r}): break\n    time.sleep(0.1)"])
    p = subprocess.Popen([CAMPUS, "run", "slow", "--nbs", str(nbs), "-j", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(1200):
            if marker.exists(): break
            time.sleep(0.1)
        busy = _campus("run", "slow", "--nbs", str(nbs), "-j", "1", "--no-wait")
        assert busy.returncode == 1 and "in use by `campus run` (pid" in busy.stderr and "Traceback" not in busy.stderr, busy.stderr
        second = subprocess.Popen([CAMPUS, "run", "slow", "--nbs", str(nbs), "-j", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        seen = []
        for line in second.stdout:                 # it says whom it waits for, while the first still holds the lock
            seen.append(line)
            if "waiting for `campus run` (pid" in line: break
        assert any("waiting for `campus run` (pid" in l for l in seen), seen
    finally:
        release.touch()
    out, _ = second.communicate(timeout=300)
    p.wait(timeout=300)
    assert p.returncode == 0 and second.returncode == 0
    assert "0 run, 1 cached" in "".join(seen) + out, out

@pytest.mark.parametrize("args,msg", [(["--seed", "-1"], "non-negative integer"), (["--seed", "x"], "non-negative integer"),
                                      (["--device", "gpu"], "auto, cpu, cuda"), (["nosuchchapter"], "unknown chapter")])
def test_bad_arguments_are_one_line_errors(tmp_build, args, msg):
    r = _campus("run", *args)
    assert r.returncode != 0 and msg in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_build/"_build"/"executed").exists()                # nothing ran

def test_cuda_without_gpu_is_refused(tmp_build):
    import torch
    if torch.cuda.is_available(): pytest.skip("this machine has a GPU")
    r = _campus("run", "core", "--device", "cuda")
    assert r.returncode == 1 and "no CUDA GPU" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_build/"_build"/"executed").exists()

def test_debug_shows_the_traceback(tmp_build):
    r = _campus("--debug", "run", "nosuchchapter")
    assert r.returncode != 0 and "Traceback" in r.stderr

def test_read_only_build_dir_is_a_plain_error(tmp_build):
    if os.geteuid() == 0: pytest.skip("root can write anywhere")
    ro = tmp_build/"ro"; ro.mkdir(); ro.chmod(0o500)
    r = _campus("run", "core", env={"CAMPUS_BUILD_DIR": str(ro/"_build")})
    assert r.returncode == 1 and "Traceback" not in r.stderr

def test_build_dir_that_is_a_file_is_a_plain_error(tmp_build):
    f = tmp_build/"afile"; f.write_text("not a folder")
    r = _campus("run", "core", env={"CAMPUS_BUILD_DIR": str(f)})
    assert r.returncode == 1 and "cannot write to the build folder" in r.stderr and "Traceback" not in r.stderr, r.stderr

def test_no_tcp_warning_in_output(tmp_build):
    nbs = _chapter(tmp_build, [])
    r = _campus("run", "slow", "--nbs", str(nbs), "-j", "1")
    assert r.returncode == 0 and "without encryption" not in r.stdout + r.stderr

def test_run_says_what_it_starts_and_records_times(tmp_build):
    "Before anything runs: the chapters and their measured times; as it goes: each chapter done; --record-times feeds the next estimate."
    nbs = _demo_nbs(tmp_build, fail=False)
    times = tmp_build/"run_times.csv"
    r = _campus("run", "demo", "--nbs", str(nbs), "-j", "1", "--record-times", env={"CAMPUS_RUN_TIMES": str(times)})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("campus run: 1 chapter(s) at the smoke scale") and "demo (not measured" in lines[0], lines[0]
    assert any(l.startswith("campus run: [1/1 chapters] demo ok in ") for l in lines), r.stdout
    assert "10_demo/01_good.ipynb: ok in " in r.stdout
    rows = times.read_text().splitlines()
    assert rows[0].startswith("chapter,scale,device,cores,seconds") and rows[1].startswith("demo,smoke,cpu,")
    r2 = _campus("run", "demo", "--nbs", str(nbs), "-j", "1", "--force", env={"CAMPUS_RUN_TIMES": str(times)})
    first = r2.stdout.splitlines()[0]
    assert "demo (not measured" not in first and "Expected time about" in first, first
    r3 = _campus("run", "demo", "--nbs", str(nbs), "--scale", "full", env={"CAMPUS_RUN_TIMES": str(times)})
    assert "demo (not measured at this scale on cpu)" in r3.stdout.splitlines()[0]     # a smoke time is no estimate of a full run

def test_parallel_chapters_share_the_cores(tmp_build):
    "With -j 2 and two chapters each kernel gets its share of the cores (torch and BLAS threads), so they never oversubscribe them; one chapter alone gets every core; a user's OMP_NUM_THREADS wins."
    seen = tmp_build/"threads.json"
    probe = "import os, json, torch\njson.dump({{'omp': os.environ.get('OMP_NUM_THREADS'), 'torch': torch.get_num_threads()}}, open({!r}, 'w'))"
    nbs = _chapter(tmp_build, [probe.format(str(seen))])
    also = nbs/"20_also"; also.mkdir()
    nb2 = nbformat.read(nbs/"10_slow"/"09_report.ipynb", as_version=4)
    for c in nb2.cells: c.source = c.source.replace("'slow'", "'also'").replace(str(seen), str(tmp_build/"threads_also.json"))
    nbformat.write(nb2, also/"09_report.ipynb")
    clean = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
    cores = len(os.sched_getaffinity(0)); share = max(1, cores // 2)
    r = subprocess.run([CAMPUS, "run", "slow", "also", "--nbs", str(nbs), "-j", "2"], capture_output=True, text=True, env=clean)
    assert r.returncode == 0, r.stderr
    for f in (seen, tmp_build/"threads_also.json"): assert json.loads(f.read_text()) == {"omp": str(share), "torch": share}
    assert f"each notebook's kernel uses {share} thread(s) ({cores} cores, 2 chapter(s) at a time)" in r.stdout
    r = subprocess.run([CAMPUS, "run", "slow", "--nbs", str(nbs), "-j", "2", "--force"], capture_output=True, text=True, env=clean)
    assert r.returncode == 0, r.stderr
    assert json.loads(seen.read_text()) == {"omp": str(cores), "torch": cores} and "1 chapter(s) at a time" in r.stdout
    r = subprocess.run([CAMPUS, "run", "slow", "--nbs", str(nbs), "-j", "1", "--force"], capture_output=True, text=True, env={**clean, "OMP_NUM_THREADS": "1"})
    assert r.returncode == 0, r.stderr
    assert json.loads(seen.read_text()) == {"omp": "1", "torch": 1} and "kernel uses" not in r.stdout
