"""The documented rules: classification, methods, inline intervals, stages, overrides, CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from techpack.build import build
from techpack.checks.context import CapabilityRow
from techpack.quality.table import COLUMNS
from techpack.quality.items import Item
from techpack.quality.stages import inline_interval
from techpack.renderers.quality import RENDERER
from techpack.schema.quantities import parse_dimension
from techpack.standards.capability import Index

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _item(plan, subject: str):
    return next(i for i in plan.all_items() if i.subject == subject)


def test_bracket_rules(plan_of):
    plan = plan_of("bracket")
    bore = _item(plan, "TP-1001-01/bore.size")
    assert (bore.classification, bore.key, bore.method) == ("major", True, "bore-gauge")
    assert _item(plan, "TP-1001-01/mount-holes.size").method == "caliper"  # band 0.2 >= 4 x 0.02
    assert _item(plan, "TP-1001-01/mount-holes.position").classification == "major"  # locates
    assert _item(plan, "TP-1001-01/base.flatness").classification == "minor"  # form of a plain face
    assert _item(plan, "TP-1001-01/bore.perpendicularity").classification == "major"  # feature of size
    assert _item(plan, "TP-1001-01/bore.ra").classification == "major"  # Ra 0.8
    assert _item(plan, "TP-1001-01/base.ra").classification == "minor"  # Ra 1.6
    thread = _item(plan, "TP-1001-01/upright-threads.thread")
    assert (thread.classification, thread.method) == ("major", "thread-gauge")
    assert _item(plan, "TP-1001-01/upright-threads.x.1").method == "height-gauge"
    material = _item(plan, "TP-1001-01/material")
    assert (material.classification, material.method) == ("major", "certificate-review")
    assert "EN 10204 3.1" in material.requirement
    assert _item(plan, "TP-1001-01/finish.thickness").method == "coating-thickness-gauge"
    assert {i.id for i in plan.all_items()} >= {"note.1", "note.2", "finish", "width"}
    # inline: the key bore, Cpk 2.18 against 1.67 (m +30 %): 10 x 1 x 1/2 = 5
    inline = {r.item.subject: r for r in plan.rows_of("inline")}
    assert inline["TP-1001-01/bore.size"].interval == 5
    assert inline["TP-1001-01/mount-holes.position"].interval == 50  # m +900 %: x5
    assert "TP-1001-01/mount-holes.size" not in inline  # minor: first/last piece and FRI only


def test_shaft_rules(plan_of):
    plan = plan_of("shaft")
    seat = _item(plan, "TP-2001-01/seat-a.size")
    assert seat.method == "micrometer"  # band 0.013 mm needs 4 x 0.002
    cyl = _item(plan, "TP-2001-01/seat-a.cylindricity")
    assert cyl.method == "cmm" and "TUR below 4:1" in cyl.method_basis  # 0.005 mm zone
    assert _item(plan, "TP-2001-01/shoulder-a.circular-runout").method == "dial-indicator"
    assert _item(plan, "TP-2001-01/keyway.size").method == "pin-gauge"  # 5 N9 internal width
    inline = {r.item.subject: r for r in plan.rows_of("inline")}
    assert inline["TP-2001-01/seat-a.size"].interval == 2  # key, m +15 %: 10 x 1/2 x 1/2
    assert inline["TP-2001-01/journal.size"].interval == 2


def test_enclosure_counts_pieces_per_product(plan_of):
    plan = plan_of("enclosure")
    standoff = plan.owner("TP-3001-03")
    assert (standoff.per_product, standoff.run, standoff.lot) == (4, 1200, 1200)
    assert standoff.fri["minor"].plan.plan_letter == "J" and standoff.fri["minor"].sample_size == 80
    product = plan.owner("EX-3001")
    assert {i.id for i in plan.items["EX-3001"]} >= {"assembly.1.torque", "assembly.5.check", "bom.1.3"}
    assert _item(plan, "EX-3001/assembly.1.torque").method == "torque-wrench"
    assert product.lot == 300
    assert _item(plan, "TP-3001-01/bend-angle-front").method == "protractor"


def Cap(cpk: float, cpk_min: float, margin: float) -> CapabilityRow:  # noqa: N802 - a row as the check makes it
    exact = Decimal(str(cpk_min)) * (1 + Decimal(str(margin)))
    index = Index(Fraction(exact), Fraction(1))
    return CapabilityRow("P/x.size", "x", "m", "IT9", "IT9", exact, Decimal(str(cpk_min)), Decimal(str(margin)),
                         index.ge(Decimal(str(cpk_min))), index=index, cpk_text=str(exact),
                         margin_text=f"{margin:+.0%}")


@pytest.mark.parametrize(("cls", "key", "margin", "run", "want"), [
    ("critical", False, None, 300, 1),
    ("major", False, None, 300, 10),
    ("major", False, -0.1, 300, 1),
    ("major", False, 0.1, 300, 5),
    ("major", True, 0.1, 300, 2),
    ("major", False, 0.5, 300, 10),
    ("major", False, 2.0, 300, 20),
    ("major", False, 5.0, 300, 50),
    ("major", False, 5.0, 40, 5),   # capped at run / 5 = 8, rounded down to 5
    ("major", False, 5.0, 3, 1),
    ("minor", False, 5.0, 300, None),
])
def test_inline_interval_rule(cls, key, margin, run, want):
    item = Item("P", "p", "x.size", "size", "x", "x", dim=parse_dimension("10 ±0.1"), key=key)
    item.classification, item.method = cls, "caliper"
    if margin is not None:
        item.capability = Cap(1.33 * (1 + margin), 1.33, margin)
    got = inline_interval(item, run)
    assert (got[0] if got else None) == want


def test_document_reviews_are_not_inline(plan_of):
    plan = plan_of("bracket")
    assert all(r.item.measured for r in plan.rows_of("inline") + plan.rows_of("top") + plan.rows_of("setup"))
    material_rows = [r for r in plan.rows if r.item.id == "material"]
    assert {r.stage for r in material_rows} == {"sample", "pp", "fai", "fri"}
    assert all(r.sample == "1 set" for r in material_rows)


def _spec_copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copytree(EXAMPLES / name, dest)
    return dest


def _quality_build(folder: Path, out: Path):
    return build(folder, out, renderers={RENDERER.name: RENDERER})


def test_overrides_change_method_and_class(tmp_path):
    folder = _spec_copy(tmp_path, "bracket")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    text = text.replace("  process_parameters:\n", """  inspection:
    overrides:
      - {target: TP-1001-01/note.2, method: bore-gauge, reason: "burrs felt with the bore gauge"}
      - {target: TP-1001-01/bore, classification: critical}
    top_units: 5
  process_parameters:
""", 1)
    text = text.replace("- Break all sharp edges 0.2-0.5 mm.", "- \"=HYPERLINK(\\\"x\\\")\"")
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = _quality_build(folder, out)
    assert result.written, [str(d) for d in result.diagnostics]
    rows = list(csv.DictReader(io.StringIO((out / "inspection" / "plan.csv").read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    by = {r["subject"]: r for r in rows}
    assert by["TP-1001-01/note.2"]["method"] == "bore gauge"
    for sub in ("size", "position", "perpendicularity", "ra"):
        assert by[f"TP-1001-01/bore.{sub}"]["classification"] == "critical"
        assert by[f"TP-1001-01/bore.{sub}"]["stage_inline"] == "100%"
        assert by[f"TP-1001-01/bore.{sub}"]["stage_fri"] == "100% Ac 0"
    assert by["TP-1001-01/length"]["stage_top"] == "n=5"
    # spec text that a spreadsheet would evaluate is defused
    assert by["TP-1001-01/note.1"]["description"] == "'=HYPERLINK(\"x\")"


def test_an_override_that_matches_nothing_stops_the_build(tmp_path):
    folder = _spec_copy(tmp_path, "bracket")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8").replace("  process_parameters:\n", """  inspection:
    overrides:
      - {target: TP-1001-01/bore.sise, method: cmm}
  process_parameters:
""", 1)
    spec.write_text(text, encoding="utf-8")
    result = _quality_build(folder, tmp_path / "out")
    assert not result.written and not (tmp_path / "out").exists()
    found = [d for d in result.diagnostics if d.code == "TP106"]
    assert len(found) == 1 and "bore.sise" in found[0].message
    assert found[0].location.line == text.splitlines().index("      - {target: TP-1001-01/bore.sise, method: cmm}") + 1


def test_an_aql_that_is_not_a_table_column_is_reported(tmp_path):
    folder = _spec_copy(tmp_path, "shaft")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8").replace("major: 0.65", "major: 0.7")
    spec.write_text(text, encoding="utf-8")
    result = _quality_build(folder, tmp_path / "out")
    assert not result.written
    found = [d for d in result.diagnostics if d.code == "TP013"]
    assert len(found) == 1 and "production.aql.major" in found[0].message


def test_critical_flag_means_every_piece(tmp_path):
    folder = _spec_copy(tmp_path, "shaft")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8").replace(
        "      - {id: bearing-span, value: 84 ±0.05, description: distance between bearing shoulders, between: [shoulder-a, shoulder-b], key: true}",
        "      - {id: bearing-span, value: 84 ±0.05, description: distance between bearing shoulders, between: [shoulder-a, shoulder-b], key: true, critical: true}")
    spec.write_text(text, encoding="utf-8")
    from techpack.engine import compile_spec
    from techpack.quality import build_plan

    plan = build_plan(compile_spec(folder))
    item = _item(plan, "TP-2001-01/bearing-span")
    assert item.classification == "critical" and item.designator == "CRITICAL, KEY"
    rows = {r.stage: r for r in plan.rows if r.item is item}
    assert rows["inline"].interval == 1
    assert (rows["fri"].sample, rows["fri"].ac, rows["fri"].re) == ("100 % (500)", "0", "1")


def test_csv_limits_are_numbers_in_the_unit(built, plan_of):
    data = (built("shaft") / "inspection" / "plan.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads Ø, ±, µ right
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    seat = next(r for r in rows if r["subject"] == "TP-2001-01/seat-a.size")
    assert (seat["nominal"], seat["lower_limit"], seat["upper_limit"], seat["unit"]) == ("20", "20.002", "20.015", "mm")
    assert (seat["lower_tolerance"], seat["upper_tolerance"], seat["places"], seat["fit"]) == ("0.002", "0.015", "3", "k6")
    assert seat["tolerance_text"] == "k6 (+0.015/+0.002)"
    assert seat["key"] == "yes" and seat["balloon"] == "seat-a.size"
    runout = next(r for r in rows if r["subject"] == "TP-2001-01/journal.circular-runout")
    assert (runout["gdt_zone"], runout["upper_limit"], runout["datums"], runout["stage_fri"]) == \
        ("0.01", "0.01", "A-B", "n=80 Ac 1")
    assert (runout["gdt_characteristic"], runout["gdt_zone_shape"], runout["gdt_modifier"]) == \
        ("circular-runout", "width", "RFS")
    ra = next(r for r in rows if r["subject"] == "TP-2001-01/seat-a.ra")
    assert (ra["upper_limit"], ra["unit"]) == ("0.4", "µm")
    material = next(r for r in rows if r["subject"] == "TP-2001-01/material")
    assert material["balloon"] == "" and material["method"] == "certificate review"
    # one row per characteristic, one column per stage
    assert len(rows) == len({r["subject"] for r in rows}) == len(plan_of("shaft").all_items())


def test_outputs_are_byte_identical_across_hash_seeds(tmp_path):
    folder = _spec_copy(tmp_path, "enclosure")
    code = ("import sys; from pathlib import Path; from techpack.build import build;"
            "from techpack.renderers.quality import RENDERER;"
            "r = build(Path(sys.argv[1]), Path(sys.argv[2]), renderers={RENDERER.name: RENDERER});"
            "sys.exit(0 if r.written else 1)")
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", code, str(folder), str(out)], check=True, env=env, capture_output=True)
        digests.append({p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(out.rglob("*")) if p.is_file()})
    assert digests[0] == digests[1]
    assert len(digests[0]) == 8  # seven quality files and the manifest


def test_lengths_reach_the_qif_in_the_files_unit(tmp_path):
    """A millimetre QIF gets inch values × 25.4 exactly; an inch QIF (an inch product) keeps them, and
    gets millimetre values ÷ 25.4 to 0.1 µin."""
    from techpack.quality.items import limits
    from techpack.quality.qif import _Doc, _len

    item = Item("P", "p", "w", "dimension", "w", "w", dim=parse_dimension("1.000 ±0.005 in"))
    assert limits(item) == ("0.995", "1.005")
    assert _len(_Doc("mm"), item, Decimal("1.000")) == "25.4"
    assert _len(_Doc("mm"), item, Decimal("0.005")) == "0.127"
    assert _len(_Doc("in"), item, Decimal("1.000")) == "1"
    metric = Item("P", "p", "w", "dimension", "w", "w", dim=parse_dimension("12.7 ±0.1 mm"))
    assert _len(_Doc("in"), metric, Decimal("12.7")) == "0.5"
    assert _len(_Doc("in"), metric, Decimal("0.1")) == "0.003937"
    assert _Doc("in").length(Decimal("0.8"), "µm") == "0.0000315"


def test_hostile_spec_text_is_escaped_everywhere(tmp_path, qif_schema):
    from lxml import etree
    from pypdf import PdfReader

    folder = _spec_copy(tmp_path, "bracket")
    spec = folder / "techpack.yaml"
    text = spec.read_text(encoding="utf-8")
    # (control characters never get this far: the loader refuses them, see test_hostile_yaml.py)
    text = text.replace("- No burrs in the Ø12 bore.", '- "No <b>burrs</b> & ]]> \'; </td></tr>"')
    text = text.replace('- {item: "1", part: TP-1001-01, quantity: 1}', '- {item: "1", part: TP-1001-01, quantity: 1}\n'
                        '  - {item: "2/x y", purchased: {description: "<script>x</script>", standard: "=cmd|x"}, quantity: 2}')
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = _quality_build(folder, out)
    assert result.written, [str(d) for d in result.diagnostics]
    rows = list(csv.DictReader(io.StringIO((out / "inspection" / "plan.csv").read_text(encoding="utf-8-sig"))))
    note = next(r for r in rows if r["subject"] == "TP-1001-01/note.2")
    assert note["description"] == "No <b>burrs</b> & ]]> '; </td></tr>"
    bom = next(r for r in rows if r["subject"] == "TP-1001/bom.2-x-y")
    assert bom["description"].startswith("<script>x</script>: =cmd|x")
    qif = etree.parse(str(out / "inspection" / "TP-1001.qif"))
    assert qif_schema.validate(qif), qif_schema.error_log
    fields = PdfReader(str(out / "batch-record.pdf")).get_fields()
    assert {"purchased/2-x-y/lot", "purchased/2-x-y/cert"} <= set(fields)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    plan_text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out / "inspection" / "plan.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout
    assert "<b>burrs</b>" in plan_text and "<script>x</script>" in plan_text  # shown, not interpreted


def test_rows_of_a_stage_and_an_owner_keep_plan_order(plan_of):
    """rows_of(stage) and rows_of(stage, owner) are the plan's rows filtered, in plan order (the batch record's
    grids and FRI tables read them part by part); the lists are the caller's own."""
    from techpack.quality.stages import STAGES

    plan = plan_of("enclosure")
    owners = [o.number for o in plan.owners]
    assert len(owners) > 1
    seen = 0
    for stage in [s.key for s in STAGES] + ["no-such-stage"]:
        assert plan.rows_of(stage) == [r for r in plan.rows if r.stage == stage]
        for owner in owners + ["NO-SUCH-PART"]:
            rows = plan.rows_of(stage, owner)
            assert rows == [r for r in plan.rows if r.stage == stage and r.item.owner == owner]
            seen += len(rows)
    assert seen == len(plan.rows)
    plan.rows_of(STAGES[0].key).clear()
    assert plan.rows_of(STAGES[0].key) == [r for r in plan.rows if r.stage == STAGES[0].key]
