"Urban forest: colour rules on synthetic patches, paper-fold order, interpolation end cases, metrics, model save/load (fast unit tests; the notebooks hold more)."
import numpy as np
import pandas as pd
import pytest
import torch

from campus.urban_forest.colour import srgb_to_lab, astar_mask, astar_fraction, exg, exg_fraction, tune_threshold
from campus.urban_forest.sampling import paper_fold_order, fold_rank, sample_line, request_plan
from campus.urban_forest.aggregate import idw_fill, fill_plan, road_summary, coverage_curve
from campus.urban_forest.segment import confusion, seg_metrics, SegConfig, make_model, save_model, load_model, make_target, score_folder

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

def test_save_load_and_score_folder(tmp_path):
    from PIL import Image
    torch.manual_seed(0)
    cfg = SegConfig(widths=(4, 8), size=(16, 20))
    model = make_model(cfg).eval()
    pt = save_model(model, cfg, tmp_path/"m", metrics={"x": 1})
    m2, cfg2, meta = load_model(pt)
    assert cfg2 == cfg and meta["metrics"] == {"x": 1}
    x = torch.randn(1, 3, 16, 20)
    with torch.no_grad(): assert torch.allclose(model(x), m2(x))
    d = tmp_path/"imgs"; d.mkdir()
    for i in range(2): Image.fromarray(np.full((30, 40, 3), 60 * i, np.uint8)).save(d/f"{i}.png")
    s = score_folder(pt, d, device="cpu")
    assert s.image.tolist() == ["0.png", "1.png"] and s.veg_fraction.between(0, 1).all()
    with pytest.raises(FileNotFoundError): score_folder(pt, _empty(tmp_path), device="cpu")

def _empty(tmp_path):
    e = tmp_path/"empty"; e.mkdir(); return e

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
