"""Shared helpers for the tech-pack PDF tests: example builds (cached per session) and PDF readers."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_NAMES = ("bracket", "shaft", "enclosure")


def _load_fakes():
    spec = importlib.util.spec_from_file_location("techpack_pdf_fake_drawings", HERE / "fake_drawings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fakes = _load_fakes()


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def pdftotext(pdf: Path, layout: bool = False) -> str:
    need("pdftotext")
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, check=True, text=True).stdout


def pdffonts(pdf: Path) -> list[list[str]]:
    need("pdffonts")
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def build_pdf(folder: Path, out: Path, *, drawings=None, pdf_a: bool = True):
    """Build ``folder`` with the tech-pack renderer (after ``drawings``, when given); the build result."""
    from techpack.build import BuildOptions, build
    from techpack.renderers.techpack_pdf import RENDERER

    renderers = {"drawings": drawings} if drawings is not None else {}
    renderers["techpack-pdf"] = RENDERER
    result = build(folder, out, BuildOptions(pdf_a=pdf_a), renderers=renderers)
    assert result.written, [str(d.message) for d in result.diagnostics if d.severity.value == "error"]
    return result


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """``built(name, drawings=False, pdf_a=True)`` → path of that example's techpack.pdf (built once a session)."""
    cache: dict = {}

    def get(name: str, drawings: bool = False, pdf_a: bool = True) -> Path:
        key = (name, drawings, pdf_a)
        if key not in cache:
            base = tmp_path_factory.mktemp(f"{name}-{'dw' if drawings else 'nodw'}-{'a' if pdf_a else 'plain'}")
            folder = base / name
            shutil.copytree(EXAMPLES / name, folder)
            sizes = {"TP-3001-02": (594, 420), "TP-3001-03": (297, 210)}
            build_pdf(folder, base / "out", drawings=fakes.FakeDrawings(sizes) if drawings else None, pdf_a=pdf_a)
            cache[key] = base / "out" / "techpack.pdf"
        return cache[key]

    return get
