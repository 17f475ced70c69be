"""Packaging facts a reviewer cannot see in the code: the licence ships.

Building an sdist and a wheel takes seconds and needs the network for hatchling, so it is
not done here; these checks read the files that decide what the builds contain.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def test_license_file_is_the_mit_licence_of_the_project():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 recoverykit developers" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_license_is_an_spdx_expression_and_its_file_goes_into_sdist_and_wheel():
    assert PROJECT["license"] == "MIT"
    # PEP 639: hatchling puts these files in the sdist and in the wheel's
    # .dist-info/licenses/ (checked by hand with `python -m build`); it reads the
    # list form from 1.27 on.
    assert PROJECT["license-files"] == ["LICENSE"]
    assert PYPROJECT["build-system"]["requires"] == ["hatchling>=1.27"]


def test_no_licence_classifier_next_to_the_licence_expression():
    # PEP 639 deprecates them; setuptools refuses both together and PyPI uploads fail.
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]
