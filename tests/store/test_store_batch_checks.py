"""The batch record's in-line QC, FRI counts and gates on import; shipments as their own table; the 0002 migration.

Each bad count or decision refuses the whole record, located at its field, and stores nothing; a consistent
record stores one row per in-line line, FRI class, FRI characteristic count and gate, and ``trace`` shows them.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, inspect, select, text

import fill
from techpack.store import tables as t
from techpack.store.errors import RecordRefused
from techpack.store.ingest import import_file
from techpack.store.trace import containment, containment_csv, containment_text, genealogy, genealogy_text

P = "TP-1001-01"
TABLES = (t.source, t.batch, t.unit, t.measurement, t.issue, t.stage_run, t.inline_check, t.fri_result, t.fri_count,
          t.gate, t.shipment, t.shipment_unit)


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {tab.name: conn.execute(select(func.count()).select_from(tab)).scalar() for tab in TABLES}


def good(forms, batch: str = "C-1", qty: int = 300) -> dict[str, str]:
    v = forms.header(batch, qty)
    v.update(fill.checks(forms.blank.parent, lot=qty))
    return v


def test_fri_plan_is_registered_from_the_plan(registered):
    with registered.connect() as conn:
        plans = {(r.part, r.classification): (r.sample_size, r.ac, r.re) for r in conn.execute(select(t.fri_plan))}
    # the bracket's lot of 300: code letter H (n=50) for both classes; AQL 1.0 → Ac 1, AQL 2.5 → Ac 3
    assert plans == {(P, "major"): (50, 1, 2), (P, "minor"): (50, 3, 4)}


def test_consistent_record_stores_every_check_and_trace_shows_them(registered, forms):
    v = good(forms)
    v.update({f"fri/{P}/major/accepted": "49", f"fri/{P}/major/found": "1", f"fri/{P}/bore:size/nonconforming": "1",
              f"inline/{P}/bore:size/failed": "1", f"inline/{P}/bore:size/ncr": "NCR-9"})
    r = import_file(registered, forms.pdf("c1.pdf", v))
    assert r.batch == "C-1" and r.units == 300
    with registered.connect() as conn:
        fri = {(x.classification): (x.inspected, x.accepted, x.rejected, x.sample_size, x.ac, x.re, x.decision)
               for x in conn.execute(select(t.fri_result))}
        assert fri == {"major": (50, 49, 1, 50, 1, 2, "accept"), "minor": (50, 50, 0, 50, 3, 4, "accept")}
        gates = {x.gate: (x.decision, x.reference, x.signed_by, x.signed_at) for x in conn.execute(select(t.gate))}
        assert gates == {"pp": ("approved", "", "qa", "2026-03-10"), "fai": ("passed", "FAIR-1", "qa", "2026-03-10"),
                         "fri": ("accept", "", "qa", "2026-03-20"), "release": ("released", "", "qa", "2026-03-20")}
        inline = {x.subject: (x.first_status, x.checks, x.failed, x.ncr) for x in conn.execute(
            select(t.characteristic.c.subject, t.inline_check).join(t.characteristic))}
        assert inline[f"{P}/bore.size"] == ("pass", 10, 1, "NCR-9")
        assert len(inline) == len({k for k in v if k.startswith("inline/") and k.endswith("/checks")})
        assert conn.execute(select(t.fri_count.c.nonconforming)).scalars().all() == [1]
    out = containment_text(containment(registered, "batch", "C-1"))
    assert f"{P} major: 50 inspected (n=50, Ac 1 Re 2), 49 conforming, 1 nonconforming: accept" in out
    assert "fri: accept, qa 2026-03-20" in out and "release: released, qa 2026-03-20" in out
    g = genealogy(registered, "C-1-007")
    assert [x["gate"] for x in g["gates"]] == ["pp", "fai", "fri", "release"]
    assert "bore.size: first 12.0090 pass, last 12.0090 pass, 10 checks, 1 failed, NCR NCR-9" in genealogy_text(g)


def test_reimport_of_the_checks_changes_nothing(registered, forms):
    path = forms.pdf("c2.pdf", good(forms, "C-2"))
    import_file(registered, path)
    before = counts(registered)
    assert before["gate"] == 4 and before["fri_result"] == 2
    assert import_file(registered, path).already and counts(registered) == before


BAD = [
    ({f"inline/{P}/bore:size/checks": "-1"}, f"inline/{P}/bore:size/checks: checks done of {P}/bore.size: -1 is "
                                              "negative"),
    ({f"inline/{P}/bore:size/failed": "two"}, "'two' is not a whole number"),
    ({f"inline/{P}/bore:size/failed": "11"}, f"11 failed checks of {P}/bore.size, but only 10 checks done"),
    ({f"inline/{P}/bore:size/failed": "1"}, f"inline/{P}/bore:size/ncr: required: the NCR number for 1 failed"),
    ({f"inline/{P}/bore:size/last": "12.030"}, "required: the NCR number for the last piece outside the limits"),
    ({f"inline/{P}/bore:size/first": "12.01 in"}, "unit in given where"),
    ({f"inline/{P}/bore:size/ncr": "N" * 101}, f"NCR number of {P}/bore.size: 101 characters, more than the 100"),
    ({"gate/pp/by": "q" * 101}, "who signed the pp gate: 101 characters, more than the 100 a store field holds"),
    ({f"fri/{P}/major/accepted": "48"}, f"fri/{P}/major/accepted: FRI {P} major: 48 conforming + 0 nonconforming "
                                        "= 48, not the 50 pieces inspected"),
    ({f"fri/{P}/minor/inspected": "32", f"fri/{P}/minor/accepted": "32"},
     f"fri/{P}/minor/inspected: FRI {P} minor: 32 pieces inspected, but the plan is n=50 (ISO 2859-1 letter H), "
     "Ac 3 Re 4"),
    ({f"fri/{P}/major/accepted": "48", f"fri/{P}/major/found": "2"},
     f"FRI {P} major: accept is ticked, but 2 nonconforming with n=50 (ISO 2859-1 letter H), Ac 1 Re 2 means "
     "reject"),
    ({f"fri/{P}/major/reject": "/on"}, f"FRI {P} major: both accept and reject are ticked"),
    ({f"fri/{P}/major/accept": "Off"}, f"required: the FRI decision of {P} major (accept: 0 nonconforming"),
    ({f"fri/{P}/major/found": ""}, f"fri/{P}/major/found: required: FRI nonconforming pieces ({P} major)"),
    ({f"fri/{P}/major/accepted": "49", f"fri/{P}/major/found": "1", f"fri/{P}/bore:size/nonconforming": "2"},
     "2 pieces nonconforming in this characteristic, but only 1 nonconforming major pieces found"),
    ({f"fri/{P}/minor/accepted": "47", f"fri/{P}/minor/found": "3", f"fri/{P}/base:ra/nonconforming": "1"},
     f"FRI {P} minor: 3 nonconforming pieces, but the characteristics list 1 nonconformities"),
    ({f"fri/{P}/major/accepted": "48", f"fri/{P}/major/found": "2", f"fri/{P}/major/accept": "Off",
      f"fri/{P}/major/reject": "/on"}, f"FRI gate accept, but the counts reject {P} major"),
    ({"gate/fri/accept": "Off", "gate/fri/reject": "/on"}, "FRI gate reject, but every class's counts accept the lot"),
    ({"gate/fri/accept": "Off", "gate/fri/by": "", "gate/fri/date": ""},
     "batch released without the FRI gate accepted (final random inspection)"),
    ({"gate/pp/by": ""}, "gate/pp/by: required: who signed the pp gate (approved)"),
    ({"gate/pp/approved": "Off"}, "gate pp: signed without its decision ticked (approved)"),
    ({"gate/fai/fair": ""}, "gate/fai/fair: required: the FAIR number of the passed FAI"),
    ({"gate/release/date": "2026-03-19"}, "batch released 2026-03-19, before the FRI gate was signed 2026-03-20"),
    ({"gate/pp/date": "2026-03-01"}, "gate pp signed 2026-03-01, before the batch started 2026-03-10"),
    ({"gate/fri/date": "soon"}, "gate/fri/date: 'soon' is not a date"),
]


@pytest.mark.parametrize(("change", "message"), BAD, ids=[f"bad{n}" for n in range(len(BAD))])
def test_bad_counts_and_decisions_are_refused_whole(registered, forms, change, message):
    v = good(forms, "C-3")
    v.update(change)
    path = forms.pdf("bad.pdf", v)
    before = counts(registered)
    with pytest.raises(RecordRefused) as info:
        import_file(registered, path)
    assert counts(registered) == before, "a refused record must store nothing"
    assert message in str(info.value), str(info.value)
    assert f"{path}:page " in str(info.value)  # located: file, page, field


def test_a_blank_check_section_is_not_required(registered, forms):
    """A record filled before FRI (no counts, no gates) imports; only what is filled is checked."""
    r = import_file(registered, forms.pdf("early.pdf", forms.header("C-4", 300)))
    assert r.units == 300 and counts(registered)["gate"] == 0 and counts(registered)["fri_result"] == 0


def _ship_rows(batch: str, serials: range, shipment: str, when: str = "2026-03-25",
               dest: str = "Acme Robotics, Leeds") -> list[dict]:
    return [{"batch": batch, "serial": f"{batch}-{n:03d}", "subject": f"{P}/bore.size", "stage": "production",
             "unit": "mm", "value": "12.009", "status": "shipped", "shipment": shipment, "shipped_at": when,
             "destination": dest} for n in serials]


def _csv(forms, name, rows):
    cols = ["batch", "serial", "subject", "stage", "unit", "value", "status", "shipment", "shipped_at", "destination"]
    path = forms.tmp / name
    import csv  # noqa: PLC0415

    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def test_shipments_are_a_table_and_trace_names_those_with_units_at_risk(registered, forms):
    v = forms.header("C-5", 20, lots="LOT-X [1-10]; LOT-Y [11-20]", heat="HX; HY")
    import_file(registered, forms.pdf("c5.pdf", v))
    import_file(registered, _csv(forms, "ship1.csv", _ship_rows("C-5", range(1, 6), "SH-1")))
    import_file(registered, _csv(forms, "ship2.csv", _ship_rows("C-5", range(8, 15), "SH-2", "2026-03-27",
                                                                 "Bolt & Nut GmbH, Linz")))
    with registered.connect() as conn:
        ships = {s.code: (s.shipped_at, s.destination) for s in conn.execute(select(t.shipment))}
        assert ships == {"SH-1": ("2026-03-25", "Acme Robotics, Leeds"), "SH-2": ("2026-03-27", "Bolt & Nut GmbH, Linz")}
        assert conn.execute(select(func.count()).select_from(t.shipment_unit)).scalar() == 5 + 7
        assert "shipment" not in {c["name"] for c in inspect(conn).get_columns("unit")}
    c = containment(registered, "lot", "LOT-X")  # pieces 1-10: 5 in SH-1, 3 (8-10) in SH-2, 2 in stock
    assert [(s.shipment, s.shipped_at, s.destination, s.units) for s in c.shipments] == [
        ("SH-1", "2026-03-25", "Acme Robotics, Leeds", 5), ("SH-2", "2026-03-27", "Bolt & Nut GmbH, Linz", 3)]
    assert sum(u.status == "shipped" for u in c.units) == 8 and len(c.units) == 10
    text_out = containment_text(c)
    assert "shipments holding units at risk: 2" in text_out
    assert "  SH-2  2026-03-27  Bolt & Nut GmbH, Linz  3 unit(s)" in text_out
    assert containment_csv(c).splitlines()[1] == "C-5,C-5-001,shipped,SH-1,TP-1001,B,2026-03-25,\"Acme Robotics, Leeds\""
    y = containment(registered, "lot", "LOT-Y")  # pieces 11-20: 4 (11-14) in SH-2
    assert [(s.shipment, s.units) for s in y.shipments] == [("SH-2", 4)]
    g = genealogy(registered, "C-5-002")
    assert g["shipments"] == [{"shipment": "SH-1", "shipped_at": "2026-03-25", "destination": "Acme Robotics, Leeds"}]
    assert "shipment SH-1: 2026-03-25, Acme Robotics, Leeds" in genealogy_text(g)
    # a later file that contradicts a stored shipment is refused whole, nothing stored
    before = counts(registered)
    with pytest.raises(RecordRefused, match="shipment SH-1 is stored with destination Acme Robotics, Leeds, not "
                                            "Elsewhere Ltd"):
        import_file(registered, _csv(forms, "ship3.csv", _ship_rows("C-5", range(15, 17), "SH-1", "2026-03-25",
                                                                    "Elsewhere Ltd")))
    assert counts(registered) == before
    with pytest.raises(RecordRefused, match="unit C-5-016 is in stock but names shipment SH-3"):
        rows = _ship_rows("C-5", range(16, 17), "SH-3")
        rows[0]["status"] = "in stock"
        import_file(registered, _csv(forms, "ship4.csv", rows))


def test_migration_moves_unit_shipments_into_the_shipment_table(db):
    """A store at schema 0001 (shipment as text on the unit) is upgraded: one shipment per reference, every unit
    linked, the column gone, nothing else lost."""
    from alembic import command  # noqa: PLC0415
    from sqlalchemy import create_engine  # noqa: PLC0415

    from techpack.store.db import _script, open_engine, resolve_url  # noqa: PLC0415

    url = resolve_url(db)
    old = create_engine(url)
    with old.begin() as conn:
        cfg, _s = _script()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(text("INSERT INTO techpack_store (key, value) VALUES ('app', 'techpack')"))
        conn.execute(text("INSERT INTO revision (id, product, revision, spec_sha256, manifest, registered_at) "
                          "VALUES (1, 'TP-1', 'A', 'x', '{}', '2026-01-01')"))
        conn.execute(text("INSERT INTO batch (id, code, revision_id, po) VALUES (1, 'B-1', 1, '')"))
        conn.execute(text("INSERT INTO unit (id, batch_id, serial, piece, status, shipment) VALUES "
                          "(1, 1, 'B-1-001', 1, 'shipped', 'SH-9'), (2, 1, 'B-1-002', 2, 'shipped', 'SH-9'), "
                          "(3, 1, 'B-1-003', 3, 'shipped', 'SH-10'), (4, 1, 'B-1-004', 4, 'in stock', '')"))
    old.dispose()
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
            ships = dict(conn.execute(select(t.shipment.c.code, t.shipment.c.id)).all())
            assert set(ships) == {"SH-9", "SH-10"}
            links = {(s, u) for s, u in conn.execute(select(t.shipment_unit.c.shipment_id, t.shipment_unit.c.unit_id))}
            assert links == {(ships["SH-9"], 1), (ships["SH-9"], 2), (ships["SH-10"], 3)}
            assert [r.status for r in conn.execute(select(t.unit.c.status).order_by(t.unit.c.id))] == [
                "shipped", "shipped", "shipped", "in stock"]
            assert "shipment" not in {c["name"] for c in inspect(conn).get_columns("unit")}
        c = containment(engine, "batch", "B-1")
        assert [(s.shipment, s.units) for s in c.shipments] == [("SH-10", 1), ("SH-9", 2)]
        assert json.loads(json.dumps([u.shipment for u in c.units])) == ["SH-9", "SH-9", "SH-10", ""]
    finally:
        engine.dispose()


def test_a_count_is_a_whole_number_not_negative():
    from techpack.store.batchchecks import count  # noqa: PLC0415
    from techpack.store.record import Record, Value  # noqa: PLC0415

    rec = Record("f.pdf", "pdf", "0" * 64)
    got = {t: count(rec, Value(t, f"at {t}"), "n") for t in ("0", "5", "+5", " 7 ", "--5", "²", "-3", "3.0", "1e3")}
    assert got == {"0": 0, "5": 5, "+5": 5, " 7 ": 7, "--5": None, "²": None, "-3": None, "3.0": None, "1e3": None}
    assert "at -3: n: -3 is negative; a count is 0 or more" in rec.problems
    assert "at ²: n: '²' is not a whole number" in rec.problems and len(rec.problems) == 5
