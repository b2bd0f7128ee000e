"""The project's own wiring: packaging lists every package, generated docs are current."""

from __future__ import annotations

from pathlib import Path

import subprocess
import sys
import tomllib

from techpack.catalogue import CATALOGUE
from techpack.docgen import outputs

ROOT = Path(__file__).resolve().parents[1]


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
