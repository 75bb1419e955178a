"Data layer: mirror resolution, hash mismatch, unknown names, offline, safe unpickling."
import bz2, os, pickle, shutil, pytest
from pathlib import Path
from campus import data

SHARED = Path(__file__).resolve().parents[2]/"shared"/"data"
needs_mirror = pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/data mirror")

def test_every_mirror_file_is_registered():
    if not SHARED.is_dir(): pytest.skip("no mirror")
    files = {p.relative_to(SHARED).as_posix() for p in SHARED.rglob("*") if p.is_file() and p.name != "SOURCE.md"
             and "urban_forest/camvid/" not in p.as_posix()}
    assert files - set(data.REGISTRY) == set()

@needs_mirror
def test_mirror_resolution(tmp_build):
    p = data.fetch("lorries/hs-sections.csv")
    assert p == (SHARED/"lorries"/"hs-sections.csv").resolve()

@needs_mirror
def test_env_dir_wins_and_hash_mismatch(tmp_build, monkeypatch):
    d = tmp_build/"mine"/"lorries"; d.mkdir(parents=True)
    good = (SHARED/"lorries"/"hs-sections.csv").read_bytes()
    (d/"hs-sections.csv").write_bytes(good)
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(tmp_build/"mine"))
    assert data.fetch("lorries/hs-sections.csv") == (d/"hs-sections.csv").resolve()
    (d/"hs-sections.csv").write_bytes(good.replace(b"I", b"X", 1))
    with pytest.raises(data.HashMismatch) as e: data.fetch("lorries/hs-sections.csv")
    msg = str(e.value)
    assert data.get("lorries/hs-sections.csv").sha256 in msg and str(d) in msg and "got:" in msg

def test_unknown_name_suggests():
    with pytest.raises(data.UnknownDataset, match="did you mean: ais/pyais_nmea_data_sample.txt"):
        data.get("ais/pyais_nmea_sample.txt")

def test_offline_error_names_url_and_place(tmp_build, monkeypatch):
    monkeypatch.setenv("CAMPUS_OFFLINE", "1")
    ds = data.Dataset("eclipse/nowhere.csv", "https://example.org/nowhere.csv", "0"*64, "none", "test only")
    monkeypatch.setitem(data.REGISTRY, ds.name, ds)
    with pytest.raises(data.DataUnavailable) as e: data.fetch(ds.name)
    assert "https://example.org/nowhere.csv" in str(e.value) and "eclipse/nowhere.csv" in str(e.value)

class _Bomb:
    def __init__(self, marker): self.marker = marker
    def __reduce__(self): return (open, (self.marker, "w"))

@needs_mirror
def test_tampered_pickle_is_never_unpickled(tmp_build, monkeypatch):
    marker = tmp_build/"unpickled"
    d = tmp_build/"mine"/"patents"; d.mkdir(parents=True)
    (d/"USPTO-random-10000.pkl.bz2").write_bytes(pickle.dumps(_Bomb(str(marker))))
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(tmp_build/"mine"))
    with pytest.raises(data.HashMismatch): data.read_pickle("patents/USPTO-random-10000.pkl.bz2")
    assert not marker.exists()

@needs_mirror
def test_gz_derived_copy_verified_by_content(tmp_build, monkeypatch):
    import gzip
    d = tmp_build/"mine"/"patents"; d.mkdir(parents=True)
    raw = gzip.open(SHARED/"patents"/"USPTO-random-1000.csv.gz").read()
    with gzip.GzipFile(d/"USPTO-random-1000.csv.gz", "wb", mtime=0) as f: f.write(raw)
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(tmp_build/"mine"))
    assert data.fetch("patents/USPTO-random-1000.csv.gz").parent == d.resolve()

# ---- hashes that cannot be bypassed ----
def _same_size_swap(path: Path, new: bytes):
    "Replace `path`'s bytes with `new` (same length) and restore its modification time, as `touch -r` would."
    st = path.stat()
    assert len(new) == st.st_size
    path.write_bytes(new)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

@needs_mirror
def test_same_size_pickle_swap_with_old_mtime_is_never_unpickled(tmp_build, monkeypatch):
    "After one successful read, a malicious pickle of the same size with the old mtime restored raises and runs no code."
    marker = tmp_build/"canary"
    d = tmp_build/"mine"/"patents"; d.mkdir(parents=True)
    real = (SHARED/"patents"/"USPTO-random-10000.pkl.bz2").read_bytes()
    target = d/"USPTO-random-10000.pkl.bz2"; target.write_bytes(real)
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(tmp_build/"mine"))
    assert data.read_pickle("patents/USPTO-random-10000.pkl.bz2").shape == (10000, 4)   # verified, and cached by `fetch`
    bomb = bz2.compress(pickle.dumps(_Bomb(str(marker))))
    _same_size_swap(target, bomb + b"\0" * (len(real) - len(bomb)))
    with pytest.raises(data.HashMismatch): data.read_pickle("patents/USPTO-random-10000.pkl.bz2")
    assert not marker.exists()

@needs_mirror
def test_same_size_byte_flip_with_old_mtime_is_caught(tmp_build, monkeypatch):
    d = tmp_build/"mine"/"lorries"; d.mkdir(parents=True)
    f = d/"hs-sections.csv"; good = (SHARED/"lorries"/"hs-sections.csv").read_bytes(); f.write_bytes(good)
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(tmp_build/"mine"))
    data.fetch("lorries/hs-sections.csv")                        # verified once: the cache now knows the file
    _same_size_swap(f, good.replace(b"I", b"X", 1))
    with pytest.raises(data.HashMismatch): data.fetch("lorries/hs-sections.csv")
    r = _campus("data", "verify", "lorries/hs-sections.csv", env={"CAMPUS_DATA_DIR": str(tmp_build/"mine")})
    assert r.returncode == 1 and "FAILED" in r.stdout and "0 verified, 1 failed" in r.stdout

@needs_mirror
def test_data_verify_rehashes_even_when_the_cache_agrees(tmp_build, monkeypatch):
    "`campus data verify` is the explicit check: it hashes again although the cache entry (stamp) still matches."
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(SHARED))
    data.fetch("lorries/hs-sections.csv")
    calls = []
    real = data.sha256_file
    monkeypatch.setattr(data, "sha256_file", lambda p, *a: calls.append(p) or real(p, *a))
    rows = [r for r in data.status(verify_hashes=True) if r["name"] == "lorries/hs-sections.csv"]
    assert rows[0]["verified"] and calls

@needs_mirror
def test_truncated_gz_is_a_data_error_and_verify_goes_on(tmp_build, monkeypatch):
    d = tmp_build/"mine"/"patents"; d.mkdir(parents=True)
    raw = (SHARED/"patents"/"USPTO-random-1000.csv.gz").read_bytes()
    (d/"USPTO-random-1000.csv.gz").write_bytes(raw[: len(raw) // 2])
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(tmp_build/"mine"))
    with pytest.raises(data.DataError) as e: data.fetch("patents/USPTO-random-1000.csv.gz")
    msg = str(e.value)
    assert "truncated or corrupt" in msg and str(d) in msg and "expected:" in msg and "got:" in msg
    r = _campus("data", "verify", "patents", env={"CAMPUS_DATA_DIR": str(tmp_build/"mine")})
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "USPTO-random-10000.pkl.bz2" in r.stdout and "1 failed" in r.stdout and "verified, 1 failed" in r.stdout
    assert r.stdout.count("  ok") >= 2, r.stdout                 # the other patents files were still checked

def test_symlink_loop_is_reported_as_such(tmp_build, monkeypatch):
    d = tmp_build/"mine"/"lorries"; d.mkdir(parents=True)
    a, b = d/"hs-sections.csv", d/"loop"
    a.symlink_to(b); b.symlink_to(a)
    monkeypatch.setenv("CAMPUS_DATA_DIR", str(tmp_build/"mine"))
    with pytest.raises(data.DataError, match="symbolic-link loop"): data.fetch("lorries/hs-sections.csv")

@pytest.mark.parametrize("action", ["verify", "list", "fetch"])
def test_unknown_dataset_on_the_command_line(tmp_build, action):
    r = _campus("data", action, "lorries/hs-section.csv")
    assert r.returncode == 1 and "did you mean lorries/hs-sections.csv" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert "0 verified" not in r.stdout

def _campus(*args, env=None):
    import subprocess, sys
    return subprocess.run([str(Path(sys.executable).parent/"campus"), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=600)
