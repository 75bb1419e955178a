"Data layer: mirror resolution, hash mismatch, unknown names, offline, safe unpickling."
import pickle, shutil, pytest
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
