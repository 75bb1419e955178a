import os, pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

@pytest.fixture
def tmp_build(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPUS_BUILD_DIR", str(tmp_path/"_build"))
    monkeypatch.setenv("CAMPUS_CACHE_DIR", str(tmp_path/"cache"))
    return tmp_path
