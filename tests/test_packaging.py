"""Packaging facts a reviewer cannot see in the code: the licence ships, and the declared
minimum versions are the ones .ci/run tests.

Building an sdist and a wheel takes seconds and needs the network for hatchling, so it is
not done here; these checks read the files that decide what the builds contain.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
CI_RUN = (ROOT / ".ci" / "run").read_text()


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


def _lowest_pins_script() -> str:
    (script,) = re.findall(r"<<'PY'\n(.*?)\nPY\n", CI_RUN, flags=re.DOTALL)
    return script


def _run_lowest_pins(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _lowest_pins_script()],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ci_pins_every_runtime_dependency_at_its_declared_minimum():
    expected = []
    for dependency in PROJECT["dependencies"]:
        requirement = Requirement(dependency)
        assert requirement.marker is None
        assert not requirement.extras
        (specifier,) = requirement.specifier  # one bound: the lower one, nothing else
        assert specifier.operator == ">="
        expected.append(f"{requirement.name}=={specifier.version}")
    result = _run_lowest_pins(ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected
    assert {pin.split("==")[0] for pin in expected} == {"attrs", "cattrs", "python-dateutil"}


@pytest.mark.parametrize(
    "dependency", ["attrs", "attrs>=23.1,<27", "attrs==23.1", "attrs>=23.1; python_version<'4'"]
)
def test_ci_refuses_a_dependency_without_a_plain_lower_bound(tmp_path, dependency):
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\ndependencies = ["cattrs>=24.1", "{dependency}"]\n'
    )
    result = _run_lowest_pins(tmp_path)
    assert result.returncode != 0
    assert "needs a plain '>=' lower bound" in result.stderr


def test_ci_runs_the_whole_suite_on_the_lowest_versions():
    lines = CI_RUN.splitlines()
    install = lines.index('python -m pip install -q "${pins[@]}" && python -m pip check')
    assert lines[install + 1] == "python -m pytest --no-cov -q"  # no paths: the whole suite
    assert lines[install + 2] == 'python -m pip install -q --upgrade "${pins[@]%%==*}"'


def test_strategies_without_hypothesis_name_the_extra():
    """Importing the strategies where hypothesis is missing says which extra to install."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n"
        "    import recoverykit.strategies\n"
        "except ModuleNotFoundError as exc:\n"
        "    print(exc.name, '|', exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("hypothesis | ")
    assert "pip install 'recoverykit[hypothesis]'" in out
