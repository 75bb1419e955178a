"Install `campus` (distribution `dsc-campus`) from settings.ini (nbdev 2 layout), without pkg_resources."
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=["="])
cfg.read("settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]
scripts = [s.strip() for s in cfg.get("console_scripts", "").split() if s.strip()]
# `extras_<name> = req req …` keys become the extra `<name>` (underscores as hyphens: extras_urban_forest -> urban-forest)
extras = {k[len("extras_"):].replace("_", "-"): v.split() for k, v in cfg.items() if k.startswith("extras_")}
extras["dev"] = cfg.get("dev_requirements", "").split()
extras["all"] = sorted({r for name, reqs in extras.items() if name != "dev" for r in reqs})

setuptools.setup(
    name=cfg.get("dist_name", cfg["lib_name"]), version=cfg["version"], description=cfg["description"], license="Apache-2.0",
    author=cfg["author"], author_email=cfg["author_email"], url=cfg["git_url"],
    packages=setuptools.find_packages(include=["campus", "campus.*"]), include_package_data=True,
    python_requires=">=" + cfg["min_python"], install_requires=cfg.get("requirements", "").split(), extras_require=extras,
    entry_points={"console_scripts": scripts, "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
