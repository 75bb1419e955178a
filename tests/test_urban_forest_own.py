"Urban forest, own data: `campus urban-forest score FOLDER` on small generated folders, with a saved model and with the colour rule, including bad files and bad arguments."
import subprocess, sys
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from campus.urban_forest.segment import SegConfig, make_model, save_model
from campus.urban_forest.own import score_images, score_to_csv, ScoreError

CAMPUS = [str(Path(sys.executable).parent / "campus")]   # the installed console script, as a user runs it
FOLIAGE, GREY = (70, 110, 40), (128, 128, 128)

def run(*args):
    return subprocess.run([*CAMPUS, "urban-forest", "score", *map(str, args)], capture_output=True, text=True, timeout=300)

@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "photos"; d.mkdir()
    half = np.zeros((30, 40, 3), np.uint8); half[:, :20] = FOLIAGE; half[:, 20:] = GREY
    Image.fromarray(half).save(d / "half_green.png")
    Image.fromarray(np.full((30, 40, 3), GREY, np.uint8)).save(d / "grey.jpg", quality=95)
    Image.fromarray(np.full((30, 40, 3), FOLIAGE, np.uint8)).convert("RGBA").save(d / "green_alpha.png")
    (d / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return d

@pytest.fixture
def model(tmp_path):
    cfg = SegConfig(widths=(4, 8), size=(24, 32), norm="image")
    return save_model(make_model(cfg), cfg, tmp_path / "m" / "tiny", threshold=0.5)

def test_exg_cli_scores_and_counts_the_bad_file(folder, tmp_path):
    r = run(folder, "--method", "exg", "-o", tmp_path / "shares.csv")
    assert r.returncode == 0, r.stderr
    assert "4 entries, 3 scored (exg), 1 skipped" in r.stdout
    t = pd.read_csv(tmp_path / "shares.csv").set_index("image")
    assert list(t.index) == sorted(p.name for p in folder.iterdir())
    assert t.loc["corrupt.jpg", "status"] == "skipped" and isinstance(t.loc["corrupt.jpg", "reason"], str)
    assert t.loc["half_green.png", "veg_fraction"] == pytest.approx(0.5) and t.loc["grey.jpg", "veg_fraction"] == 0
    assert t.loc["green_alpha.png", "veg_fraction"] == 1 and t.loc["green_alpha.png", "mode"] == "RGBA"
    assert set(t.method) == {"exg"}

def test_model_cli_matches_the_library(folder, model, tmp_path):
    r = run(folder, "--model", model, "-o", tmp_path / "out" / "shares.csv")
    assert r.returncode == 0, r.stderr
    assert "4 entries, 3 scored (model), 1 skipped" in r.stdout
    cli = pd.read_csv(tmp_path / "out" / "shares.csv")
    lib = score_images(folder, model=model)
    assert cli.image.tolist() == lib.image.tolist() and cli.status.tolist() == lib.status.tolist()
    np.testing.assert_allclose(cli.veg_fraction.fillna(-1), lib.veg_fraction.astype(float).fillna(-1), atol=1e-6)
    assert cli.veg_fraction.dropna().between(0, 1).all() and len(cli.veg_fraction.dropna()) == 3

@pytest.mark.parametrize("args,needle", [
    (lambda f, m, t: [f, "-o", t / "x.csv"], "--model"),                                     # neither a model nor a colour rule
    (lambda f, m, t: [f, "--model", f / "corrupt.jpg", "-o", t / "x.csv"], "corrupt"),       # not a saved model
    (lambda f, m, t: [t / "nowhere", "--method", "exg", "-o", t / "x.csv"], "not a folder"),
    (lambda f, m, t: [f, "--model", m, "--method", "exg", "-o", t / "x.csv"], "choose one"),
    (lambda f, m, t: [f, "--model", m, "--threshold", "1.5", "-o", t / "x.csv"], "threshold"),
])
def test_bad_input_is_one_line_and_exit_1(folder, model, tmp_path, args, needle):
    r = run(*args(folder, model, tmp_path))
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) <= 2 and needle in r.stderr, r.stderr
    assert not (tmp_path / "x.csv").exists()

def test_help_has_an_example():
    r = subprocess.run([*CAMPUS, "urban-forest", "score", "--help"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "campus urban-forest score photos/ --model" in r.stdout and "--method exg" in r.stdout

def test_library_summary_and_errors(folder):
    s = score_to_csv(folder, folder.parent / "s.csv", method="astar")
    assert (s["entries"], s["scored"], s["skipped"]) == (4, 3, 1) and s["method"] == "astar"
    with pytest.raises(ScoreError, match="needs a saved model"): score_images(folder, method="model")
    with pytest.raises(ScoreError, match="method must be one of"): score_images(folder, method="ndvi")
