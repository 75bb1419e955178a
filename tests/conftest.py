import os, subprocess, sys, pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture
def tmp_build(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPUS_BUILD_DIR", str(tmp_path/"_build"))
    monkeypatch.setenv("CAMPUS_CACHE_DIR", str(tmp_path/"cache"))
    return tmp_path

BIN = Path(sys.executable).parent

def _run(args, build, timeout):
    env = {**os.environ, "CAMPUS_BUILD_DIR": str(build)}
    env.pop("CAMPUS_NBS_DIR", None)
    return subprocess.run([str(BIN/"campus"), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)

@pytest.fixture(scope="session")
def smoke(tmp_path_factory):
    build = Path(os.environ.get("CAMPUS_TEST_BUILD") or ROOT/"_build"/"smoke")
    r = _run(["run", "--scale", "smoke", "-j", os.environ.get("CAMPUS_TEST_JOBS", "2")], build, timeout=40*60)
    return build, r

@pytest.fixture(scope="session")
def book(smoke):
    build, r = smoke
    assert r.returncode == 0, f"campus run failed, so no book:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    b = _run(["book"], build, timeout=20*60)
    return build, b

