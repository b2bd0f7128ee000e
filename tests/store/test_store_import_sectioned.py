"""A batch record rendered as merged sections (techpack.pdfsections) imports like a whole one."""

from __future__ import annotations

import fill
from sqlalchemy import select

from techpack import pdfsections
from techpack.store import tables as t
from techpack.store.ingest import import_file
from techpack.store.register import register

from .conftest import ROOT

BORE = "result/sample/TP-1001-01/bore:size/{}"


def test_merged_batch_record_fills_and_imports(monkeypatch, tmp_path):
    from techpack.build import BuildOptions, build
    from techpack.store.db import open_engine, resolve_url

    monkeypatch.setattr(pdfsections, "MIN_GROUP", 1)  # the bracket's record in several chunks
    # a section cache of its own (the geometry cache stays the session's)
    monkeypatch.setattr("techpack.renderers.quality.default_cache_dir", lambda: tmp_path / "sections")
    pack = tmp_path / "pack"
    result = build(ROOT / "examples" / "bracket", pack, BuildOptions(geometry_timeout=300))
    assert result.written, [str(d) for d in result.diagnostics.sorted()]
    log = result.sections["batch-record.pdf"]
    assert log["rendered"] == ["header", "part/TP-1001-01", "deviations-and-gates"] and log["pages"] > 3
    engine = open_engine(resolve_url(str(tmp_path / "records.sqlite")))
    try:
        register(engine, pack)
        v = fill.header("M-1", 15)
        v.update({BORE.format(1): "12.004", BORE.format(2): "12.030"})
        r = import_file(engine, fill.fill_pdf(pack / "batch-record.pdf", tmp_path / "filled.pdf", v))
        assert (r.batch, r.units, r.measurements, r.failed) == ("M-1", 15, 2, 1)
        with engine.connect() as conn:
            got = {(row.value_text, row.status) for row in conn.execute(select(t.measurement))}
        assert got == {("12.004", "pass"), ("12.030", "fail")}
    finally:
        engine.dispose()
