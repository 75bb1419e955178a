"The README's chapter table carries the measured full run (`campus times --readme` writes it from benchmarks/run_times.csv)."
from pathlib import Path

from campus.runner import chapters, read_run_times, readme_times, run_plan

ROOT = Path(__file__).resolve().parents[1]


def test_readme_chapter_table_matches_the_run_times_table():
    text = (ROOT/"README.md").read_text(encoding="utf-8")
    assert readme_times(text) == text, "README.md's chapter table is out of date: run `campus times --readme`"


def test_every_chapter_has_a_measured_full_cpu_run():
    "`make book` on 2 cores must be able to say what every chapter costs before it starts."
    plan = run_plan(list(chapters()), "full", "cpu", jobs=2, table=read_run_times(ROOT/"benchmarks"/"run_times.csv"), cores=2)
    assert not plan["unmeasured"], f"no full CPU run recorded for {plan['unmeasured']}"
    assert plan["wall_s"] <= 2 * 3600, f"the full run on 2 cores is expected to take {plan['wall_s'] / 60:.0f} min (> 2 h)"
