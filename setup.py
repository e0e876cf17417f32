"""Map the design card's top-level folders onto the ``tyndau`` import namespace.

``live/`` installs as ``tyndau.live``, ``nlp/`` as ``tyndau.nlp`` and so on, so that the
installed package never squats on generic names such as ``nlp`` or ``config``.
"""

from setuptools import find_packages, setup

ROOTS = {
    "tyndau": "tyndau",
    "tyndau.live": "live",
    "tyndau.nlp": "nlp",
    "tyndau.operator_ui": "operator_ui",
    "tyndau.config": "config",
}

packages: list[str] = []
for name, folder in ROOTS.items():
    packages.append(name)
    packages.extend(f"{name}.{sub}" for sub in find_packages(folder))

# Data folders without __init__.py (catalogues, demo chat, static files) ship as package data.
PACKAGE_DATA = {
    "tyndau.config": ["*.toml", "**/*.json", "**/*.toml", "**/*.txt", "**/*.md", "**/*.yaml", "**/*.csv", "nlp/*.npz"],
    "tyndau.operator_ui": ["pages/*.html", "static/**/*"],
    "tyndau.reports": ["templates/*.html"],
    "tyndau.store": ["migrations/*.mako"],
}

setup(packages=packages, package_dir=ROOTS, package_data=PACKAGE_DATA, include_package_data=True)
