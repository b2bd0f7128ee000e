"""RFQ readiness: the pack must be quotable without a clarification call (TP402–TP411).

Dimensions without a tolerance (TP401, TP409) are found while the
characteristics are derived (:mod:`techpack.characteristics`).
"""

from __future__ import annotations

from decimal import Decimal

from ..diagnostics import Diagnostics
from .context import Context
from .references import walk_bom


def check(ctx: Context, diags: Diagnostics) -> None:
    spec = ctx.spec
    if spec.product.rfq_contact is None:
        diags.add("TP410", f"product {spec.product.number} names no rfq_contact", spec.product.loc(),
                  subject=spec.product.number)
    for mat in spec.materials:
        missing = [f for f in ("standard", "grade") if getattr(mat, f) is None]
        if missing:
            diags.add("TP402", f"material {mat.id} ({mat.designation}) has no {' or '.join(missing)}",
                      mat.loc(), subject=f"material/{mat.id}")
        if mat.certificate is None:
            diags.add("TP404", f"material {mat.id} states no certificate type (e.g. certificate: EN 10204 3.1)",
                      mat.loc(), subject=f"material/{mat.id}")
    bought_parts = {line.part for line in walk_bom(spec.bom) if line.part and line.make_buy == "buy"}
    for part in spec.parts:
        if part.finish is None:
            diags.add("TP403", f"part {part.number} has no finish; write `finish: none` if it stays as machined",
                      part.loc(), subject=part.number)
        if part.geometry is None and part.number not in bought_parts:
            diags.add("TP411", f"part {part.number} has no geometry (STEP file or cadquery model)", part.loc(),
                      subject=part.number)
    _check_quantities(spec.bom, Decimal(1), diags)
    for line in walk_bom(spec.bom):
        if line.purchased is not None:
            p = line.purchased
            if p.standard is None and not (p.supplier and p.mpn):
                diags.add("TP407", f"bought-out item {line.item} ({p.description}) needs a standard designation "
                          "or a supplier and MPN", line.loc("purchased"), subject=f"bom/{line.item}")
    if spec.parts and not spec.bom:
        diags.add("TP405", "the spec has parts but no bom: quantities per product are unknown", spec.loc(),
                  subject=spec.product.number)
    prod = spec.production
    if prod is None:
        diags.add("TP406", "no production section: state sample batch, PP sample and production quantity",
                  spec.loc(), subject=spec.product.number)
    elif prod.production_quantity is None:
        diags.add("TP405", "production states no production_quantity", prod.loc(), subject=spec.product.number)
    if spec.packaging is None:
        diags.add("TP408", "no packaging section: say how parts are packed and labelled", spec.loc(),
                  subject=spec.product.number)


# A BOM quantity is a count or an amount a buyer orders: bounded so that every quantity per product
# (the product of the quantities down the tree) prints exactly with the document's places.
MAX_QUANTITY = Decimal(1_000_000)
MAX_PER_PRODUCT = Decimal(1_000_000_000)
MAX_PLACES = 6
WHOLE_UNITS = ("pcs", "set")


def _check_quantities(lines, parent: Decimal, diags: Diagnostics) -> None:
    """TP405/TP013 for each line's quantity, walking down with the quantity per product (a line in error
    passes its parent's on, so its children's own problems are still found)."""
    for line in lines:
        per_product = parent
        if line.quantity is None:
            diags.add("TP405", f"BOM item {line.item} has no quantity", line.loc(), subject=f"bom/{line.item}")
        else:
            problem = _quantity_problem(line.quantity, line.unit, parent)
            if problem:
                diags.add("TP013", f"BOM item {line.item}: {problem}", line.loc("quantity"),
                          subject=f"bom/{line.item}")
            else:
                per_product = parent * line.quantity
        _check_quantities(line.children, per_product, diags)


def _quantity_problem(q: Decimal, unit: str, parent: Decimal) -> str:
    """What is wrong with quantity ``q`` of a line whose parents make ``parent`` per product ('' if nothing)."""
    if q <= 0:
        return "quantity must be greater than zero"
    if q > MAX_QUANTITY:
        return f"quantity {q} is more than {MAX_QUANTITY:,} per parent; state large amounts in a larger unit"
    if -q.as_tuple().exponent > MAX_PLACES and q != q.to_integral_value():
        return f"quantity {q} has more than {MAX_PLACES} decimal places"
    if unit in WHOLE_UNITS and q != q.to_integral_value():
        return f"quantity {q} {unit} is not a whole number"
    if parent * q > MAX_PER_PRODUCT:
        return f"{parent * q:,} per product (quantity {q} × its parents') is more than {MAX_PER_PRODUCT:,}"
    return ""
