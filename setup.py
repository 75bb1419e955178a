"Install `campus` from settings.ini (nbdev 2 layout), without pkg_resources."
from configparser import ConfigParser
import setuptools

cfg = ConfigParser(delimiters=["="])
cfg.read("settings.ini", encoding="utf-8")
cfg = cfg["DEFAULT"]
scripts = [s.strip() for s in cfg.get("console_scripts", "").split() if s.strip()]

setuptools.setup(
    name=cfg["lib_name"], version=cfg["version"], description=cfg["description"], license="Apache-2.0",
    author=cfg["author"], author_email=cfg["author_email"], url=cfg["git_url"],
    packages=setuptools.find_packages(include=["campus", "campus.*"]), include_package_data=True,
    python_requires=">=" + cfg["min_python"], install_requires=cfg.get("requirements", "").split(),
    entry_points={"console_scripts": scripts, "nbdev": [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
    zip_safe=False,
)
