"""ID stability: adding or removing one feature changes no other ID in the CSV, the QIF or the batch record."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from lxml import etree
from pypdf import PdfReader

from techpack.build import build
from techpack.quality.fields import parse
from techpack.renderers.quality import RENDERER

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
Q = "{http://qifstandards.org/xsd/qif3}"
NEW_FEATURE = """      - id: top-face
        type: face
        description: top face of the upright
        gdt:
          - {characteristic: flatness, tolerance: 0.1}
        roughness: {ra: 3.2 um}
        notes: No tool marks deeper than 0.01 mm.
"""

def _ids(out: Path, product: str) -> dict[str, set[str]]:
    rows = list(csv.DictReader(io.StringIO((out / "inspection" / "plan.csv").read_text(encoding="utf-8-sig"))))
    qif = etree.parse(str(out / "inspection" / f"{product}.qif")).getroot()
    fields = PdfReader(str(out / "batch-record.pdf")).get_fields()
    return {
        "csv": {(r["subject"], c[len("stage_"):]) for r in rows for c in r if c.startswith("stage_") and r[c]},
        "qif": {el.findtext(f"{Q}Name") for el in qif.find(f"{Q}Characteristics/{Q}CharacteristicItems")},
        "fields": set(fields),
    }


def _build(folder: Path, tmp: Path, label: str) -> Path:
    out = tmp / f"out-{label}"
    result = build(folder, out, renderers={RENDERER.name: RENDERER})
    assert result.written, [str(d) for d in result.diagnostics]
    return out


def _touches(key, feature: str) -> bool:
    text = key if isinstance(key, str) else key[0]
    if text.startswith(("result/", "inline/", "fri/")):
        parts = parse(text)
        text = "/".join(parts[:4]) if text.startswith("result/") else "/".join(parts[:3])
    return f"/{feature}." in text + "."


def test_adding_and_removing_a_feature_keeps_every_other_id(tmp_path):
    base = tmp_path / "bracket"
    shutil.copytree(EXAMPLES / "bracket", base)
    changed = tmp_path / "changed"
    shutil.copytree(EXAMPLES / "bracket", changed)
    yaml = (changed / "techpack.yaml").read_text(encoding="utf-8")
    start = yaml.index("      - id: upright-threads\n")
    end = yaml.index("    dimensions:\n")
    yaml = yaml[:start] + yaml[end:]  # remove the threaded holes
    at = yaml.index("      - id: bore\n")
    yaml = yaml[:at] + NEW_FEATURE + yaml[at:]  # add a face before the bore
    (changed / "techpack.yaml").write_text(yaml, encoding="utf-8")

    before = _ids(_build(base, tmp_path, "base"), "TP-1001")
    after = _ids(_build(changed, tmp_path, "changed"), "TP-1001")
    for kind in ("csv", "qif", "fields"):
        kept_before = {k for k in before[kind] if not _touches(k, "upright-threads")}
        kept_after = {k for k in after[kind] if not _touches(k, "top-face")}
        assert kept_before == kept_after, kind
        assert any(_touches(k, "upright-threads") for k in before[kind]), kind
        assert any(_touches(k, "top-face") for k in after[kind]), kind
    assert "TP-1001-01/top-face.flatness" in after["qif"] and "TP-1001-01/material" in after["qif"]
    assert "result/sample/TP-1001-01/bore:size/1" in after["fields"]
