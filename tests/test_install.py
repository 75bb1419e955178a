"""The installable library: the metadata declares what each chapter imports, within ranges that hold the book's pins; a wheel
installed into a fresh virtual environment works with the base requirements and one chapter extra, outside this repository."""
import ast, configparser, importlib.metadata as md, os, re, subprocess, sys, textwrap
from pathlib import Path
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
CFG = configparser.ConfigParser(delimiters=["="]); CFG.read(ROOT/"settings.ini", encoding="utf-8"); CFG = CFG["DEFAULT"]

def _reqs(key: str) -> dict[str, Requirement]:
    return {canonicalize_name(Requirement(r).name): Requirement(r) for r in CFG.get(key, "").split()}

BASE = _reqs("requirements")
PEERS = set(_reqs("peers"))      # optional engines and peers, imported only where used
EXTRAS = {k[len("extras_"):].replace("_", "-"): _reqs(k) for k in CFG if k.startswith("extras_")}
PINS = {canonicalize_name(m.group(1)): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", (ROOT/"requirements.txt").read_text(), re.M)}

def _optional(node, parents) -> bool:
    "Is this import inside a `try:` whose handlers catch ImportError (an optional peer, e.g. r5py or SDV's ctgan)?"
    for p in parents:
        if isinstance(p, ast.Try) and any(h.type is None or any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError", "Exception")
                                                                for n in ast.walk(h.type)) for h in p.handlers):
            if any(node is n for stmt in p.body for n in ast.walk(stmt)): return True
    return False

def imported_distributions(files) -> set[str]:
    "Distributions that `files` import (not the standard library, not campus, not optional imports)."
    dists = md.packages_distributions()
    out = set()
    for f in files:
        tree = ast.parse(Path(f).read_text(encoding="utf-8"))
        parents = {}
        for p in ast.walk(tree):
            for c in ast.iter_child_nodes(p): parents[c] = p
        for n in ast.walk(tree):
            if isinstance(n, ast.Import): names = [a.name for a in n.names]
            elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module: names = [n.module]
            else: continue
            chain, p = [], n
            while p in parents: p = parents[p]; chain.append(p)
            if _optional(n, chain): continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("campus", "__future__"): continue
                out |= {canonicalize_name(d) for d in dists.get(top, [top])}
    return out

CHAPTERS = sorted(p.name for p in (ROOT/"campus").iterdir() if p.is_dir() and (p/"__init__.py").exists())

def test_every_chapter_has_an_extra():
    import campus
    assert set(campus.CHAPTER_EXTRAS) == set(CHAPTERS)
    assert {campus.CHAPTER_EXTRAS[c] for c in CHAPTERS} | {"book"} == set(EXTRAS)
    assert campus.__version__ == CFG["version"] and campus.DIST == CFG["dist_name"]

@pytest.mark.parametrize("chapter", CHAPTERS)
def test_extra_lists_what_the_chapter_imports(chapter):
    import campus
    extra = campus.CHAPTER_EXTRAS[chapter]
    needed = imported_distributions((ROOT/"campus"/chapter).rglob("*.py"))
    missing = needed - set(BASE) - set(EXTRAS[extra]) - PEERS
    assert not missing, f'settings.ini extras_{extra.replace("-", "_")} lacks {sorted(missing)}'

def test_base_and_book_cover_the_platform():
    "campus.core and campus.data need only the base requirements at import; the runner, book and CLI need `book` too."
    lib = ROOT/"campus"
    top_level = set()
    for f in ("core.py", "data.py", "__init__.py", "cli.py"):
        tree = ast.parse((lib/f).read_text())
        for n in tree.body:     # module-level imports only: the rest are imported where they are used
            if isinstance(n, ast.Import): top_level |= {a.name.split(".")[0] for a in n.names}
            elif isinstance(n, ast.ImportFrom) and n.level == 0 and n.module: top_level.add(n.module.split(".")[0])
    dists = md.packages_distributions()
    need = {canonicalize_name(d) for t in top_level - set(sys.stdlib_module_names) - {"campus", "__future__"} for d in dists.get(t, [t])}
    assert need <= set(BASE), sorted(need - set(BASE))
    platform = imported_distributions(lib/f for f in ("runner.py", "book.py", "core.py", "data.py", "cli.py"))
    assert platform <= set(BASE) | set(EXTRAS["book"]) | {"torch", "ipython", "jupyter-client"} | set(EXTRAS["urban-forest"]), \
        sorted(platform - set(BASE) - set(EXTRAS["book"]))

@pytest.mark.parametrize("key", ["requirements"] + [k for k in CFG if k.startswith("extras_")])
def test_declared_ranges_hold_the_pins(key):
    bad = [f"{n}: pinned {PINS[n]} is outside {r.specifier}" for n, r in _reqs(key).items() if n in PINS and not r.specifier.contains(PINS[n], prereleases=True)]
    unpinned = [n for n in _reqs(key) if n not in PINS]
    assert not bad and not unpinned, (bad, unpinned)

def test_missing_extra_is_one_plain_line():
    import campus
    campus.missing_requirements.cache_clear()
    real = campus.missing_requirements
    try:
        campus.missing_requirements = lambda extra: ("pyais",) if extra == "ais" else ()
        with pytest.raises(campus.MissingExtra, match=r'campus.ais needs the "ais" extra: pip install "dsc-campus\[ais\]" \(missing: pyais\)'):
            campus.require("ais")
    finally: campus.missing_requirements = real

EXAMPLE = textwrap.dedent('''
    import numpy as np, pandas as pd
    import campus.core, campus.data
    print("base ok", campus.core.build_dir().name)
    try:
        import campus.eclipse.method
    except ImportError as e:
        print("without the extra:", e)
    ''')

OWN_DATA = textwrap.dedent('''
    # a diet survey in the form a practitioner has it: reported intake per respondent, and a subsample with DLW expenditure
    import numpy as np, pandas as pd
    rng = np.random.default_rng(0)
    n = 400
    survey = pd.DataFrame({"ei_kcal": rng.normal(1900, 400, n).clip(800), "age": rng.integers(19, 90, n),
                           "weight_kg": rng.normal(78, 14, n).clip(40), "sex": rng.choice(["M", "F"], n)})
    dlw = survey.sample(120, random_state=1).assign(tee_kcal=lambda d: d.ei_kcal / rng.uniform(0.55, 0.95, len(d)))
    survey.to_csv("survey.csv", index=False); dlw.to_csv("dlw.csv", index=False)
    from campus.eclipse.method import adjusted_intake, under_reporting_pct
    s, d = pd.read_csv("survey.csv"), pd.read_csv("dlw.csv")
    s["adjusted_kcal"] = adjusted_intake(d, s)
    s.to_csv("adjusted.csv", index=False)
    under = under_reporting_pct(d.tee_kcal, d.ei_kcal).mean()
    assert s.adjusted_kcal.mean() > s.ei_kcal.mean(), "adjustment must raise intake when people under-report"
    print(f"adjusted {len(s)} respondents; mean under-report {under:.1f}%")
    ''')

LOGS = {   # two receivers' logs as they come: one plain with a corrupted line, one gzipped with a two-part message
    "station_a/2024-06-01.txt": "!AIVDO,1,1,,A,13P7@hOP1TOjA60MMw83Q001P000,0*0D\n!AIVDO,1,1,,A,13P7@hOP1TOjA60MMw83Q001P00X,0*0D\n",
    "station_b/2024-06-01.nmea.gz": "!AIVDO,2,1,0,A,53P7@h@00000l48?400<4m1E>1@E=@000000001600000000000000000000,0*24\n"
                                    "!AIVDO,2,2,0,A,00000000000,2*26\n",
}

def _pip_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CAMPUS_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env

def test_wheel_installs_into_a_fresh_venv_with_one_extra(tmp_path):
    """pip wheel + a fresh venv: the base install imports core and data and refuses a chapter in one line; with [eclipse] the
    chapter runs on files the example writes; with [ais] `campus ais decode` turns a folder of logs into a Parquet table."""
    env = _pip_env()
    wheels = tmp_path/"wheels"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)], capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    whl = next(wheels.glob("dsc_campus-*.whl"))
    venv = tmp_path/"venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py, pip = venv/"bin"/"python", [str(venv/"bin"/"python"), "-m", "pip", "install", "-q"]
    r = subprocess.run([*pip, str(whl)], capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    work = tmp_path/"work"; work.mkdir()           # outside the repository: no settings.ini above it
    r = subprocess.run([str(py), "-c", EXAMPLE], capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "base ok _build" in r.stdout
    assert 'campus.eclipse needs the "eclipse" extra: pip install "dsc-campus[eclipse]"' in r.stdout, r.stdout
    r = subprocess.run([*pip, f"{whl}[eclipse]"], capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    r = subprocess.run([str(py), "-c", OWN_DATA], capture_output=True, text=True, cwd=work, env=env, timeout=600)
    assert r.returncode == 0 and "adjusted 400 respondents" in r.stdout, r.stdout + r.stderr[-3000:]
    assert (work/"adjusted.csv").exists()
    r = subprocess.run([str(venv/"bin"/"campus"), "eclipse", "adjust", "survey.csv", "--dlw", "dlw.csv", "-o", "cli.csv"],
                       capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert r.returncode == 0 and "400 rows read, 400 used" in r.stdout and (work/"cli.csv").exists(), r.stdout + r.stderr
    r = subprocess.run([str(venv/"bin"/"campus"), "data", "list", "ais"], capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert r.returncode == 0 and "ais/pyais_nmea_data_sample.txt" in r.stdout, r.stderr
    r = subprocess.run([str(venv/"bin"/"campus"), "run", "eclipse"], capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert r.returncode == 1 and 'needs the "book" extra' in r.stderr and "Traceback" not in r.stderr, r.stderr
    # the ais extra: a folder of two receivers' logs (plain and gzip) to a Parquet message table, every line accounted for
    r = subprocess.run([*pip, f"{whl}[ais]"], capture_output=True, text=True, env=env, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    import gzip
    for rel, text in LOGS.items():
        f = work/"logs"/rel; f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(gzip.compress(text.encode()) if rel.endswith(".gz") else text.encode())
    r = subprocess.run([str(venv/"bin"/"campus"), "ais", "decode", "logs", "-o", "messages.parquet", "--accounting", "acc.csv"],
                       capture_output=True, text=True, cwd=work, env=env, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr[-3000:]
    r = subprocess.run([str(py), "-c", "import pandas as pd; m = pd.read_parquet('messages.parquet'); a = pd.read_csv('acc.csv'); "
                        "print(len(m), sorted(int(x) for x in m.msg_type.unique()), a.rejected_bad_checksum.tolist(), a.read.tolist())"],
                       capture_output=True, text=True, cwd=work, env=env, timeout=300)
    assert r.returncode == 0 and r.stdout.startswith("2 [1, 5] [1, 0, 1] [2, 2, 4]"), r.stdout + r.stderr[-2000:]
    (work/"export.csv").write_text("mmsi,lat,lon\n235000001,51.5,-3.0\n")
    r = subprocess.run([str(venv/"bin"/"campus"), "ais", "decode", "export.csv", "-o", "bad.parquet"], capture_output=True, text=True,
                       cwd=work, env=env, timeout=600)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    assert not (work/"bad.parquet").exists()
