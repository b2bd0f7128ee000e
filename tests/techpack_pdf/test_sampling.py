"""The tech-pack PDF's final-inspection sampling is the inspection plan's, part by part.

A part used twice per product is inspected in lots twice as large as the product's, so its ISO 2859-1
sample is larger; the PDF once printed the product lot's plan while plan.csv printed the part's, and a
supplier got two answers to "how many do I sample".
"""

from __future__ import annotations

import csv
import re
import shutil

from techpack.build import BuildOptions, build
from techpack.renderers.quality import RENDERER as QUALITY
from techpack.renderers.techpack_pdf import RENDERER as TECHPACK_PDF

from .conftest import EXAMPLES, pdftotext


def _build_bracket(tmp_path, quantity: int):
    folder = tmp_path / "bracket"
    shutil.copytree(EXAMPLES / "bracket", folder)
    spec = folder / "techpack.yaml"
    text = spec.read_text()
    line = '  - {item: "1", part: TP-1001-01, quantity: 1}'
    assert line in text
    spec.write_text(text.replace(line, line.replace("quantity: 1", f"quantity: {quantity}")))
    out = tmp_path / "out"
    result = build(folder, out, BuildOptions(), renderers={"quality": QUALITY, "techpack-pdf": TECHPACK_PDF})
    assert result.written
    return out


def _plan_samples(out) -> set[str]:
    with open(out / "inspection" / "plan.csv", encoding="utf-8-sig", newline="") as f:
        return {row["stage_fri"] for row in csv.DictReader(f) if row["stage_fri"].startswith("n=")}


def _pdf_sampling(out) -> str:
    text = " ".join(pdftotext(out / "techpack.pdf", layout=True).split())
    start = text.index("Final inspection sampling (ISO 2859-1)")
    return text[start:start + 900]


def test_a_part_used_twice_is_sampled_from_its_own_lot_in_both_documents(tmp_path):
    out = _build_bracket(tmp_path, 2)
    section = _pdf_sampling(out)
    # 300 products x 2 = 600 pieces: ISO 2859-1 level II code letter J (501-1200), n = 80
    assert re.search(r"TP-1001-01 600 ", section), section
    assert "code J: n = 80, Ac 2 / Re 3" in section and "code J: n = 80, Ac 5 / Re 6" in section
    assert "n = 50" not in section
    assert _plan_samples(out) == {"n=80 Ac 2", "n=80 Ac 5"}


def test_one_per_product_keeps_the_product_lot(tmp_path):
    out = _build_bracket(tmp_path, 1)
    section = _pdf_sampling(out)
    # 300 pieces: code letter H (281-500), n = 50; major AQL 1.0 → Ac 1, minor AQL 2.5 → Ac 3
    assert re.search(r"TP-1001-01 300 ", section), section
    assert "code H: n = 50, Ac 1 / Re 2" in section and "code H: n = 50, Ac 3 / Re 4" in section
    assert _plan_samples(out) == {"n=50 Ac 1", "n=50 Ac 3"}
