"""Packaging labels from ``packaging.label``: one page per label type, at the label's size.

A unit-pack label (``units_per_pack``) and, when the spec packs into cartons,
a carton label (``units_per_carton``).  What the spec knows is printed; what
only the packer knows (batch ID, date, P.O.) is a fillable field named
``label/<pack|carton>/<field>``.  The QR code holds the product number,
revision, quantity and the spec's content hash:
``techpack-label:<product>:<revision>:<quantity>:sha256:<hash>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .fields import name, qr_data_uri

DEFAULT_SIZE_MM = (Decimal(100), Decimal(50))
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×X]\s*(\d+(?:\.\d+)?)\s*(mm|in)?\s*$")


@dataclass
class LabelPage:
    kind: str  # pack | carton
    title: str
    quantity: int | None
    show: list[str]
    qr: str
    fields: dict[str, str]


def label_size_mm(size: str | None) -> tuple[Decimal, Decimal]:
    """``"100 x 50 mm"`` → (100, 50); unreadable or absent sizes give 100 x 50 mm."""
    if not size:
        return DEFAULT_SIZE_MM
    m = _SIZE.match(size)
    if not m:
        return DEFAULT_SIZE_MM
    w, h = Decimal(m[1]), Decimal(m[2])
    if m[3] == "in":
        w, h = w * Decimal("25.4"), h * Decimal("25.4")
    if not (20 <= w <= 300 and 15 <= h <= 300):
        return DEFAULT_SIZE_MM
    return w, h


def build_labels(spec, sha256: str) -> list[LabelPage]:
    """The label pages; without a packaging section, one pack label with the default fields."""
    from ..schema.spec import Label  # noqa: PLC0415

    pack = spec.packaging
    product = spec.product
    if pack is None:
        kinds = [("pack", "Pack", None)]
        shown = list(Label().fields)
    else:
        kinds = [("pack", f"Unit pack: {pack.unit_pack}", pack.units_per_pack)]
        if pack.carton or pack.units_per_carton:
            kinds.append(("carton", f"Carton: {pack.carton or 'outer carton'}", pack.units_per_carton))
        shown = list(pack.label.fields)
    pages = []
    for kind, title, qty in kinds:
        qr_text = f"techpack-label:{product.number}:{product.revision}:{qty or ''}:sha256:{sha256}"
        fields = {f: name("label", kind, f) for f in ("batch-id", "date", "customer-po", "quantity")}
        pages.append(LabelPage(kind, title, qty, shown, qr_data_uri(qr_text, scale=3), fields))
    return pages
