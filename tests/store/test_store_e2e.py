"""The loop as a small-batch team lives it, through the CLI, on SQLite and on PostgreSQL:
build → register → fill a sample record and a production record → import → trace → learn → check."""

from __future__ import annotations

import json
import random

import yaml
from conftest import ROOT, techpack

SIGMA = 0.004
MEAN = 12.009


def test_build_fill_import_trace_learn_check(db, bracket_pack, forms, tmp_path):
    env = {"TECHPACK_DB": db}
    r = techpack("records", "register", str(bracket_pack), env=env)
    assert r.returncode == 0 and "registered TP-1001 rev B" in r.stdout, r.stderr

    rng = random.Random(20260310)
    sample = forms.header("SB-1", 15, start="2026-03-02", end="2026-03-04", lots="LOT-S", heat="H-S")
    for n in range(1, 16):
        sample[f"result/sample/TP-1001-01/bore:size/{n}"] = f"{rng.gauss(MEAN, SIGMA):.4f}"
    production = forms.header("PR-1", 300, lots="LOT-A [1-120]; LOT-B [121-300]", heat="H-A; H-B", cert="C-A; C-B")
    production.update({"ncr/1/number": "NCR-100", "ncr/1/characteristic": "bore.size",
                       "ncr/1/description": "bore oversize on unit 37", "ncr/1/disposition": "scrap"})
    rows = [{"product": "TP-1001", "revision": "B", "batch": "PR-1", "serial": f"PR-1-{n:03d}",
             "subject": "TP-1001-01/bore.size", "stage": "production", "unit": "mm",
             "value": f"{rng.gauss(MEAN, SIGMA):.4f}", "lower_limit": "12", "upper_limit": "12.018",
             "measured_at": f"2026-03-{11 + n // 40:02d}T{8 + n % 8:02d}:00", "machine": "mill-5ax"}
            for n in range(1, 301)]
    files = [forms.pdf("sample.pdf", sample), forms.pdf("production.pdf", production), forms.csv("prod.csv", rows)]
    r = techpack("records", "import", *map(str, files), env=env)
    assert r.returncode == 0, r.stderr
    assert "batch SB-1: 15 unit(s), 15 measurement(s)" in r.stdout
    assert "batch PR-1: 300 unit(s), 0 measurement(s) (0 outside limits), 1 NCR(s)" in r.stdout
    assert "batch PR-1: 300 unit(s), 300 measurement(s)" in r.stdout

    r = techpack("records", "import", *map(str, files), env=env)  # again: nothing changes
    assert r.returncode == 0 and r.stdout.count("already imported; nothing changed") == 3

    r = techpack("trace", "--lot", "LOT-A", "--format", "json", env=env)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert [u["serial"] for u in got["units"]] == [f"PR-1-{n:03d}" for n in range(1, 121)]
    assert got["batches"] == ["PR-1"] and {u["status"] for u in got["units"]} == {"in stock"}

    r = techpack("trace", "--unit", "PR-1-150", env=env)
    assert "lot LOT-B, heat H-B, cert C-B" in r.stdout and "milling: 2026-03-10" in r.stdout
    assert "NCR-100 TP-1001-01/bore.size" in r.stdout

    r = techpack("deviations", "list", env=env)
    assert "NCR-100" in r.stdout

    learned = tmp_path / "learned.yaml"
    r = techpack("capability", "learn", "-o", str(learned), env=env)
    assert r.returncode == 0, r.stderr
    mill = next(m for m in yaml.safe_load(learned.read_text())["machines"] if m["id"] == "mill-5ax")
    band = next(b for b in mill["size_bands"] if b["upto"] == "12 mm")
    sigma = float(band["sigma"].split()[0])
    assert abs(sigma - SIGMA) / SIGMA < 0.05, sigma
    assert "n=315" in mill["notes"] and "PR-1" in mill["notes"] and "SB-1" in mill["notes"]

    bracket = ROOT / "examples" / "bracket"
    before = techpack("check", str(bracket), "--no-geometry", "--format", "json")
    assert before.returncode == 0, before.stdout
    assert not [d for d in json.loads(before.stdout)["diagnostics"] if d["code"] == "TP301"]
    after = techpack("check", str(bracket), "--no-geometry", "--format", "json", "--capability", str(learned))
    assert after.returncode == 1, after.stdout
    fails = [d for d in json.loads(after.stdout)["diagnostics"] if d["code"] == "TP301"]
    assert len(fails) == 1 and "sensor bore" in fails[0]["message"] and "< 1.67" in fails[0]["message"]
