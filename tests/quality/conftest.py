"""Fixtures for the quality tests: example compilations and quality-only builds, once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
EXAMPLE_NAMES = ("bracket", "shaft", "enclosure")
QIF_XSD = SHARED / "qif" / "QIF3.0" / "QIFApplications" / "QIFDocument.offline.xsd"
QIF_KEYREF_XSD = SHARED / "qif" / "QIF3.0" / "QIFApplications" / "QIFDocument.keyref2021.xsd"


def build_quality(spec: Path, out: Path):
    """Build only the quality renderer's files (fast, no drawings or tech-pack PDF)."""
    from techpack.build import build
    from techpack.renderers.quality import RENDERER

    return build(spec, out, renderers={RENDERER.name: RENDERER})


@pytest.fixture(scope="session")
def compiled():
    """compile_spec of an example, cached for the session."""
    from techpack.engine import compile_spec

    cache: dict = {}

    def get(name: str):
        if name not in cache:
            cache[name] = compile_spec(EXAMPLES / name)
            assert cache[name].ok, [str(d) for d in cache[name].diagnostics]
        return cache[name]

    return get


@pytest.fixture(scope="session")
def plan_of(compiled):
    from techpack.quality import build_plan

    cache: dict = {}

    def get(name: str):
        if name not in cache:
            cache[name] = build_plan(compiled(name))
        return cache[name]

    return get


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The quality files of an example, built once per session; returns the output folder."""
    cache: dict = {}

    def get(name: str) -> Path:
        if name not in cache:
            work = tmp_path_factory.mktemp(f"quality-{name}")
            src = work / name
            shutil.copytree(EXAMPLES / name, src)
            out = work / "out"
            result = build_quality(src, out)
            assert result.written, [str(d) for d in result.diagnostics]
            cache[name] = out
        return cache[name]

    return get


@pytest.fixture(scope="session")
def qif_schema():
    """The QIF 3.0 schema, compiled once (it takes seconds)."""
    if not QIF_XSD.is_file():
        pytest.skip(f"QIF 3.0 schemas not found at {QIF_XSD} (../shared is absent)")
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(QIF_XSD)))


@pytest.fixture(scope="session")
def qif_keyref_schema():
    """The QIF 3.0 schema with the DMSC's 2021 key/keyref fixes (every id reference checked)."""
    if not QIF_KEYREF_XSD.is_file():
        pytest.skip(f"QIF 2021 key/keyref schema not found at {QIF_KEYREF_XSD}")
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(QIF_KEYREF_XSD)))
