"""models/<part>.step: re-exported per made part, reproducible, and re-imports as the source model."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from techpack.geometry import load_facts
from techpack.geometry.export import StepHeader, export_step, stamp_header, step_string

REPO = Path(__file__).resolve().parents[2]
EX = REPO / "examples"
MODELS = [
    ("bracket/geometry/bracket.py", "cadquery"),
    ("shaft/geometry/shaft.step", "step"),
    ("enclosure/geometry/body.py", "cadquery"),
    ("enclosure/geometry/lid.py", "cadquery"),
    ("enclosure/geometry/standoff.py", "cadquery"),
]
DATE = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)


def header(number: str = "TP-1", revision: str = "B") -> StepHeader:
    return StepHeader(number=number, revision=revision, name="Bracket, left", owner="Acme Ltd", author="J. Doe",
                      date=DATE, system="techpack test")


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("step-cache")


@pytest.mark.parametrize("rel,kind", MODELS, ids=[m[0].split("/")[-1] for m in MODELS])
def test_reimport_matches_source(rel, kind, cache, tmp_path):
    source = load_facts(EX / rel, kind, cache_dir=cache)
    data = export_step(EX / rel, kind, header(), cache_dir=cache)
    out = tmp_path / "part.step"
    out.write_bytes(data)
    back = load_facts(out, "step", cache_dir=cache)
    assert back.solids == 1
    assert back.volume_mm3 == pytest.approx(source.volume_mm3, rel=1e-6)
    for a, b in zip(back.bbox_min + back.bbox_max, source.bbox_min + source.bbox_max):
        assert a == pytest.approx(b, abs=1e-4)
    assert len(back.cylinders) == len(source.cylinders)


def test_header_and_product_carry_part_number_revision_and_date(cache):
    text = export_step(EX / "bracket/geometry/bracket.py", "cadquery", header("TP-9", "C"),
                       cache_dir=cache).decode("latin-1")
    head = text[: text.index("ENDSEC;")]
    assert "FILE_NAME('TP-9.step','2026-03-02T00:00:00',('J. Doe'),('Acme Ltd'),'techpack test'" in head
    assert "TP-9 revision C: Bracket, left" in head
    assert "AUTOMOTIVE_DESIGN" in head  # AP214
    assert re.search(r"= PRODUCT\('TP-9','Bracket, left',''", text)
    assert re.search(r"= PRODUCT_DEFINITION_FORMATION\('C','revision C'", text)
    assert "Open CASCADE STEP translator" not in text
    assert re.search(r"SI_UNIT\(\.MILLI\.,\.METRE\.\)", text)


def test_two_exports_without_cache_are_byte_identical(tmp_path):
    rel, kind = MODELS[0]
    a = export_step(EX / rel, kind, header(), cache_dir=tmp_path / "a")
    b = export_step(EX / rel, kind, header(), cache_dir=tmp_path / "b")
    assert a == b
    assert export_step(EX / rel, kind, header(revision="D"), cache_dir=tmp_path / "a") != a


def test_step_strings_escape_quotes_and_non_ascii():
    assert step_string("O'Brien") == "'O''Brien'"
    assert step_string("Ø12 µm") == "'\\X2\\00D8\\X0\\12 \\X2\\00B5\\X0\\m'"
    assert step_string("a\\b\nc") == "'a\\\\b c'"


def test_stamp_refuses_a_file_without_header():
    from techpack.geometry import GeometryError

    with pytest.raises(GeometryError):
        stamp_header("ISO-10303-21;\nDATA;\nENDSEC;\n", header())


def test_build_lists_attaches_and_names_the_models(tmp_path):
    import json

    import pypdf

    from techpack.build import build
    from techpack.renderers import RENDERERS

    out = tmp_path / "pack"
    renderers = {k: RENDERERS[k] for k in ("models", "techpack-pdf")}
    result = build(EX / "enclosure", out, renderers=renderers)
    assert result.written, [str(d) for d in result.diagnostics]
    manifest = json.loads((out / "manifest.json").read_bytes())
    kinds = {f["path"]: f["kind"] for f in manifest["files"]}
    steps = sorted(p for p, k in kinds.items() if k == "model-step")
    assert steps == ["models/TP-3001-01.step", "models/TP-3001-02.step", "models/TP-3001-03.step"]
    reader = pypdf.PdfReader(out / "techpack.pdf")
    attached = reader.attachments
    for path in steps:
        assert attached[path] == [(out / path).read_bytes()]
    text = "".join(page.extract_text() for page in reader.pages[:12])
    assert "models/TP-3001-01.step (STEP AP214" in " ".join(text.split())


def test_the_facts_run_exports_the_step_so_the_build_starts_no_second_worker(tmp_path, monkeypatch):
    """One kernel start per model: the facts run caches the STEP text; the export is then a cache hit
    whose bytes equal an on-demand export's."""
    from techpack.geometry import launch

    model = tmp_path / "m.py"
    model.write_text("import cadquery as cq\nresult = cq.Workplane('XY').box(10, 20, 30).edges('|Z').fillet(2)\n")
    load_facts(model, "cadquery", cache_dir=tmp_path / "cache")
    real_run = launch.run

    def no_worker(*a, **k):
        raise AssertionError("a second geometry worker was started")

    monkeypatch.setattr(launch, "run", no_worker)
    prefetched = export_step(model, "cadquery", header(), cache_dir=tmp_path / "cache")
    monkeypatch.setattr(launch, "run", real_run)
    on_demand = export_step(model, "cadquery", header(), cache_dir=tmp_path / "other-cache")
    assert prefetched == on_demand
