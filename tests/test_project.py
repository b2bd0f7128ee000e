"""The project's own wiring: packaging lists every package, generated docs are current."""

from __future__ import annotations

from pathlib import Path

import os
import subprocess
import sys
import tomllib

from techpack.catalogue import CATALOGUE
from techpack.docgen import outputs

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def test_every_code_folder_is_a_listed_package():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"techpack" + ("." + ".".join(p.parent.relative_to(ROOT / "compiler").parts)
                           if p.parent != ROOT / "compiler" else "")
             for p in (ROOT / "compiler").rglob("__init__.py")}
    assert found | {"techpack.templates"} == listed


def test_generated_schema_and_references_are_current():
    stale = [str(p.relative_to(ROOT)) for p, content in outputs(ROOT).items()
             if not p.exists() or p.read_text(encoding="utf-8") != content]
    assert not stale, f"run `python -m techpack.docgen`: {stale}"


def test_every_catalogue_code_is_documented():
    text = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"| {code} |" in text


def test_every_code_used_in_the_source_is_in_the_catalogue():
    import re

    used = set()
    for path in (ROOT / "compiler").rglob("*.py"):
        used |= set(re.findall(r'"(TP\d{3})"', path.read_text(encoding="utf-8")))
    assert used <= set(CATALOGUE), sorted(used - set(CATALOGUE))


def test_techpack_help_does_not_import_heavy_libraries():
    code = ("import sys, techpack.cli, techpack.engine;"
            "heavy = [m for m in ('cadquery', 'OCP', 'weasyprint', 'ezdxf', 'lxml') if m in sys.modules];"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_fingerprint_without_a_store_does_not_load_sqlalchemy(tmp_path):
    """Every build hashes the store's open NCRs; a product with no store must not pay for SQLAlchemy's import."""
    code = ("import sys; from pathlib import Path; from techpack.build import BuildOptions, fingerprint;"
            f"fingerprint(Path({str(EXAMPLES / 'bracket')!r}), Path({str(tmp_path / 'out')!r}), BuildOptions(), []);"
            "print('sqlalchemy' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "TECHPACK_DB"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "False"


def _locked() -> dict[str, int]:
    """``{name: number of sha256 hashes}`` for every pin in requirements.lock."""
    import re

    pins: dict[str, int] = {}
    current = None
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", line)
        if m:
            current = re.sub(r"[-_.]+", "-", m[1]).lower() + "==" + m[2]
            pins[current] = 0
        elif current and line.strip().startswith("--hash=sha256:"):
            pins[current] += 1
        elif not line.startswith(" "):
            current = None
    return pins


def test_the_lock_file_pins_every_dependency_with_hashes():
    """requirements.lock (pip-compile --generate-hashes) covers pyproject's dependencies and test extras,
    each pin inside the declared range, every pin with at least one sha256."""
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _locked()
    assert pins and all(n >= 1 for n in pins.values()), [p for p, n in pins.items() if n < 1]
    versions = dict(p.split("==") for p in pins)
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(spec)
        name = req.name.replace("_", "-").replace(".", "-").lower()
        assert name in versions, f"{name} is not in requirements.lock: rerun pip-compile (docs/reproducibility.md)"
        assert req.specifier.contains(versions[name], prereleases=True), (name, versions[name], str(req.specifier))


def test_the_lock_file_pins_every_installed_output_library():
    from techpack.versions import OUTPUT_LIBRARIES, library_versions

    names = {p.split("==")[0] for p in _locked()}
    installed = library_versions()
    missing = [n for n in OUTPUT_LIBRARIES if installed[n] != "absent" and n not in names]
    assert not missing, f"output libraries not pinned in requirements.lock: {missing}"
