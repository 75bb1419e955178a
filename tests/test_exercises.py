"""The trainee edition: derived from the reports' exercise tags; runs end to end with every answer a stub and says "Not yet";
the reports themselves (the solutions) pass every check; no solution text reaches the student edition."""
import json, os, re, subprocess, sys
from pathlib import Path
import nbformat, pytest
from campus.exercises import TAGS, student_edition, answer_names, write_editions
from campus.runner import chapters

ROOT = Path(__file__).resolve().parents[1]
REPORTS = {c: d/"09_report.ipynb" for c, d in chapters(ROOT/"nbs").items() if (d/"09_report.ipynb").exists()}
WITH_EXERCISES = list(REPORTS)          # every report: a chapter without tagged, checked exercises fails, it is not skipped

def _cells(nb, tag): return [c for c in nb.cells if tag in c.metadata.get("tags", [])]

@pytest.mark.parametrize("case", WITH_EXERCISES)
def test_every_answer_has_a_check_and_stubs_keep_only_names(case):
    nb = nbformat.read(REPORTS[case], as_version=4)
    answers, checks = _cells(nb, TAGS["answer"]), _cells(nb, TAGS["check"])
    names = [n for c in answers for n in answer_names(c.source)]
    assert len(names) == len(checks) >= 5, (case, names, len(checks))
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert _cells(nb, TAGS["rubric"]), f"{case}: no open question with a rubric"
    assert re.findall(r"\*\*Exercise \d+\*\* · \*[^*]+\*", md), f"{case}: exercises must name the skill they practise"
    student = json.dumps(student_edition(json.loads(nbformat.writes(nb))))
    for c in answers:          # no line of a solution survives in the student edition
        for line in c.source.splitlines():
            code = line.split("#")[0].strip()
            if code and not code.endswith("= ..."): assert code not in student, (case, code)

def test_make_student_writes_both_editions(tmp_path):
    r = subprocess.run([str(Path(sys.executable).parent/"campus"), "student", "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    for case, p in REPORTS.items():
        rel = p.relative_to(ROOT)
        assert (tmp_path/"student"/rel).exists() and (tmp_path/"solutions"/rel).exists()
    assert "exercise(s)" in r.stdout

@pytest.mark.parametrize("case", WITH_EXERCISES)
def test_student_edition_runs_and_says_not_yet(case, tmp_path):
    "The student edition executes top to bottom at smoke scale with every answer a stub; each check says Not yet."
    import papermill as pm
    write_editions(ROOT/"nbs", tmp_path, pattern=f"{REPORTS[case].parent.name}/09_report.ipynb")
    nb_path = tmp_path/"student"/REPORTS[case].relative_to(ROOT)
    out = tmp_path/"executed.ipynb"
    env_build = os.environ.get("CAMPUS_BUILD_DIR")
    os.environ["CAMPUS_BUILD_DIR"] = str(tmp_path/"_build")       # the student's run must not overwrite the book's results
    try:
        pm.execute_notebook(str(nb_path), str(out), parameters={"scale": "smoke"}, cwd=str(REPORTS[case].parent), progress_bar=False,
                            kernel_name="python3")
    finally:
        if env_build is None: os.environ.pop("CAMPUS_BUILD_DIR")
        else: os.environ["CAMPUS_BUILD_DIR"] = env_build
    ran = nbformat.read(out, as_version=4)
    texts = ["".join(o.get("text", "") for o in c.outputs if o.get("output_type") == "stream") for c in _cells(ran, TAGS["check"])]
    assert texts and all(t.startswith("Not yet") for t in texts), texts

@pytest.mark.parametrize("case", WITH_EXERCISES)
def test_solutions_pass_every_check(case, smoke):
    "The report as published (the solutions) passes each of its checks, in the smoke run's executed notebook."
    build, r = smoke
    ex = build/"executed"/REPORTS[case].relative_to(ROOT/"nbs")
    ran = nbformat.read(ex, as_version=4)
    texts = ["".join(o.get("text", "") for o in c.outputs if o.get("output_type") == "stream") for c in _cells(ran, TAGS["check"])]
    assert texts and all(t.startswith("Correct") for t in texts), texts
