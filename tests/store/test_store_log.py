"""Deviations log (add, list, close), trace formats and reports, measured capability figures."""

from __future__ import annotations

import json
import math
import random
import shutil

import pytest
from conftest import ROOT, techpack

from techpack.store.errors import StoreError
from techpack.store.ingest import import_file
from techpack.store.issues import add, close, listing


def test_deviations_add_list_close(registered):
    n = add(registered, "TP-1001", "B", "bore.size", "honed bore accepted at +0.002")
    assert n == "DEV-1"
    assert [r["number"] for r in listing(registered, "TP-1001", "B")] == ["DEV-1"]
    assert listing(registered, "TP-1001", "B")[0]["subject"] == "TP-1001-01/bore.size"
    close(registered, "DEV-1", "tool changed")
    assert listing(registered, "TP-1001", "B") == []
    assert listing(registered, open_only=False)[0]["status"] == "closed"
    with pytest.raises(StoreError, match="already closed"):
        close(registered, "DEV-1")
    with pytest.raises(StoreError, match="unknown characteristic 'bore.sise'; did you mean bore.size"):
        add(registered, "TP-1001", "B", "bore.sise", "x")
    with pytest.raises(StoreError, match=r"TP-1001 rev A is not registered \(registered: rev B\)"):
        add(registered, "TP-1001", "A", "bore.size", "x")


def test_deviations_cli(db, bracket_pack):
    env = {"TECHPACK_DB": db}
    assert techpack("records", "register", str(bracket_pack), env=env).returncode == 0
    r = techpack("deviations", "add", "--product", "TP-1001", "--revision", "B", "--characteristic", "length",
                 "--description", "saw cut long", env=env)
    assert r.returncode == 0 and r.stdout == "opened DEV-1\n"
    assert "DEV-1        deviation open   TP-1001 rev B TP-1001-01/length: saw cut long" in \
        techpack("deviations", "list", env=env).stdout
    assert techpack("deviations", "close", "DEV-1", env=env).returncode == 0
    assert techpack("deviations", "list", env=env).stdout == "no open NCRs or deviations\n"
    r = techpack("deviations", "close", "DEV-9", env=env)
    assert r.returncode == 2 and r.stderr == "techpack: no NCR or deviation 'DEV-9' in the log\n"


def test_trace_formats_and_pdf(registered, forms, db, tmp_path):
    v = forms.header("F-1", 15, lots="LX [1-5]; LY [6-15]", heat="HX; HY", machine="mill-3ax", operator="olu")
    import_file(registered, forms.pdf("f.pdf", v))
    env = {"TECHPACK_DB": db}
    r = techpack("trace", "--heat", "HX", "--format", "csv", env=env)
    assert r.stdout.splitlines() == ["batch,serial,status,shipment,product,revision,shipped_at,destination"] + [
        f"F-1,F-1-{n:03d},in stock,,TP-1001,B,," for n in range(1, 6)]
    r = techpack("trace", "--machine", "mill-3ax", "--from", "2026-03-01", "--to", "2026-03-31", env=env)
    assert r.stdout.startswith("machine mill-3ax: 15 unit(s) in 1 batch(es)")
    r = techpack("trace", "--machine", "mill-3ax", "--from", "2026-04-01", env=env)
    assert r.stdout.startswith("machine mill-3ax: 0 unit(s)")
    r = techpack("trace", "--operator", "olu", "--format", "json", env=env)
    assert len(json.loads(r.stdout)["units"]) == 15
    pdf = tmp_path / "containment.pdf"
    r = techpack("trace", "--lot", "LY", "--pdf", str(pdf), env=env)
    assert r.returncode == 0 and "lot LY: 10 unit(s)" in r.stdout
    from pypdf import PdfReader

    text = PdfReader(pdf).pages[0].extract_text()
    assert "Containment: lot LY" in text and "F-1-006" in text and "F-1-005" not in text
    r = techpack("trace", "--lot", "LY", "--heat", "HX", env=env)
    assert r.returncode == 2 and "give exactly one of" in r.stderr
    r = techpack("trace", "--unit", "NOPE", env=env)
    assert r.returncode == 2 and "no unit with serial 'NOPE'" in r.stderr


def test_measured_capability_figures_and_report(registered, forms, db, tmp_path):
    rng = random.Random(7)
    values = [rng.gauss(8.0, 0.01) for _ in range(60)]
    rows = [{"product": "TP-1001", "revision": "B", "batch": "K-1", "serial": f"K{n}",
             "subject": "TP-1001-01/base-thickness", "stage": "production", "unit": "mm", "value": f"{x:.5f}",
             "lower_limit": "7.95", "upper_limit": "8.05", "measured_at": f"2026-03-01T{n // 6:02d}:{n % 6}0",
             "machine": "mill-5ax"} for n, x in enumerate(values)]
    import_file(registered, forms.csv("k.csv", rows))
    from techpack.store.spc import measured

    (s,) = measured(registered)
    xs = [round(x, 5) for x in values]
    mean = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))
    mr = sum(abs(b - a) for a, b in zip(xs, xs[1:])) / (len(xs) - 1) / 1.128
    assert s.n == 60 and s.machine == "mill-5ax" and s.batches == ["K-1"]
    assert s.pp == pytest.approx(0.1 / (6 * sd)) and s.ppk == pytest.approx(min(8.05 - mean, mean - 7.95) / (3 * sd))
    assert s.cp == pytest.approx(0.1 / (6 * mr)) and s.cpk == pytest.approx(min(8.05 - mean, mean - 7.95) / (3 * mr))
    assert s.verdict == "normal" and s.first == "2026-03-01T00:00:00" and s.last == "2026-03-01T09:50:00"
    pdf = tmp_path / "cap.pdf"
    r = techpack("capability", "measured", "--pdf", str(pdf), env={"TECHPACK_DB": db})
    assert r.returncode == 0 and "TP-1001-01/base-thickness" in r.stdout and "60" in r.stdout
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) == 2  # summary + the key characteristic's charts
    page = reader.pages[1]
    assert len(page.images) == 0, "charts must be vector graphics, not images"
    assert "Individuals" in page.extract_text() and "Histogram" in page.extract_text()


def test_check_warns_only_while_the_characteristic_is_unchanged(tmp_path, monkeypatch):
    case = tmp_path / "case"
    shutil.copytree(ROOT / "tests" / "cases" / "TP540-repeated-deviations", case)
    monkeypatch.setenv("TECHPACK_DB", str(ROOT / "tests" / "store" / "fixtures" / "tp540-records.sqlite"))
    from techpack.engine import Options, compile_spec

    codes = [d.code for d in compile_spec(case, Options(geometry=False)).diagnostics]
    assert codes.count("TP540") == 1
    spec = case / "techpack.yaml"
    text = spec.read_text()
    assert "size: Ø10 H8" in text
    spec.write_text(text.replace("size: Ø10 H8", "size: Ø10 H9", 1))
    codes = [d.code for d in compile_spec(case, Options(geometry=False)).diagnostics]
    assert "TP540" not in codes


def test_build_lists_open_deviations_of_the_revision(tmp_path, monkeypatch):
    from techpack.build import BuildOptions, build
    from techpack.store.db import open_engine, resolve_url
    from techpack.store.issues import add, close
    from techpack.store.register import register

    product = tmp_path / "bracket"
    shutil.copytree(ROOT / "examples" / "bracket", product)
    out = tmp_path / "out"
    assert build(product, out, BuildOptions(pdf_a=False)).written
    engine = open_engine(resolve_url(str(product / "techpack-records.sqlite")))  # the default place
    register(engine, out)
    add(engine, "TP-1001", "B", "bore.size", "bore honed to 12.020 accepted for batch 7", "DEV-7")
    add(engine, "TP-1001", "B", "length", "closed one", "DEV-8")
    close(engine, "DEV-8")
    engine.dispose()
    monkeypatch.delenv("TECHPACK_DB", raising=False)
    result = build(product, out, BuildOptions(pdf_a=False))
    assert result.written and not result.up_to_date, "a changed deviations log must rebuild the pack"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(out / "techpack.pdf").pages)
    assert "bore honed to 12.020 accepted for batch 7" in text and "DEV-7" in text
    assert "DEV-8" not in text
