"Repository invariants: notebooks and library in sync, notebooks clean, directives spelled right."
import json, subprocess, sys
from pathlib import Path
import nbformat
from campus.book import KNOWN_DIRECTIVES, cell_directives

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NBS = sorted((ROOT/"nbs").rglob("*.ipynb"))

def _snapshot():
    return {p: p.read_bytes() for d in ("nbs", "campus") for p in sorted((ROOT/d).rglob("*")) if p.is_file() and "__pycache__" not in p.parts}

def test_export_and_clean_are_noops():
    before = _snapshot()
    for cmd in ("nbdev_export", "nbdev_clean"):
        subprocess.run([str(BIN/cmd)], cwd=ROOT, check=True, capture_output=True)
    after = _snapshot()
    changed = [str(p.relative_to(ROOT)) for p in set(before) | set(after) if before.get(p) != after.get(p)]
    assert not changed, f"run nbdev_export / campus clean and commit: {changed}"

def test_no_outputs_in_git():
    for p in NBS:
        nb = json.loads(p.read_text())
        assert not any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"), p

def test_directives_are_known():
    for p in NBS:
        for c in nbformat.read(p, as_version=4).cells:
            if c.cell_type == "code":
                assert set(cell_directives(c.source)) <= KNOWN_DIRECTIVES, (p, cell_directives(c.source))
