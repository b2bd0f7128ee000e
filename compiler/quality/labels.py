"""Packaging labels from ``packaging.label``: one page per label, at the label's size.

Per product: a unit-pack label (``units_per_pack``) and, when the spec packs
into cartons, a carton label (``units_per_carton``).  Per part number: one
label for each made part, for parts shipped or stored on their own (spares,
kits, sub-assembly stock), with the part's number, name and revision.  What
the spec knows is printed; what only the packer knows (batch ID, date, P.O.) is
a fillable field named ``label/<kind>/<field>`` (``kind`` is ``pack``,
``carton`` or ``part-<part number>``).  The QR payload is
:func:`techpack.identity.label_qr`:
``techpack-label:<product>:<part>:<revision>:<quantity>:<batch ID>:sha256:<spec hash>``
with ``{batch}`` in the batch field for the label printer to fill.  Long pack
descriptions wrap; nothing is clipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..identity import label_qr
from .fields import component, name, qr_data_uri

DEFAULT_SIZE_MM = (Decimal(100), Decimal(50))
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×X]\s*(\d+(?:\.\d+)?)\s*(mm|in)?\s*$")


@dataclass
class LabelPage:
    kind: str  # pack | carton | part-<part number>
    title: str
    quantity: int | None
    number: str
    """The part number the label shows (the product number on pack and carton labels)."""
    description: str
    revision: str
    payload: str
    """The QR code's text."""
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


def text_capacity(size: str | None) -> int:
    """About how many characters of 8 pt text a label holds beside its QR code (three lines).

    Longer text is shortened on the label with "…" (and the ``quality`` check warns, TP412): a label is a
    fixed piece of paper, and an unbreakable 10,000-character name must not stall the layout.
    """
    w, h = label_size_mm(size)
    per_line = max(10, int((w - min(w, h) * Decimal("0.6") - 6) / Decimal("1.6")))
    return per_line * 3


def fit(text: str, capacity: int) -> str:
    return text if len(text) <= capacity else text[: capacity - 1] + "…"


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
    cap = text_capacity(pack.label.size if pack is not None else None)
    pages = []
    for kind, title, qty in kinds:
        pages.append(_page(kind, fit(title, cap), qty, product.number, fit(product.name, cap), product.revision,
                           product.number, shown, sha256))
    for part in spec.parts:
        pages.append(_page(f"part-{component(part.number)}", fit(f"Part: {part.number} {part.name}", cap), None,
                           part.number, fit(part.name, cap), part.revision, product.number, shown, sha256))
    return pages


def _page(kind: str, title: str, qty: int | None, number: str, description: str, revision: str, product: str,
          shown: list[str], sha256: str) -> LabelPage:
    payload = label_qr(product, number, revision, qty, sha256)
    fields = {f: name("label", kind, f) for f in ("batch-id", "date", "customer-po", "quantity")}
    return LabelPage(kind=kind, title=title, quantity=qty, number=number, description=description, revision=revision,
                     payload=payload, show=shown, qr=qr_data_uri(payload, scale=3), fields=fields)
