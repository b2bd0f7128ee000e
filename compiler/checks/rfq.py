"""RFQ readiness: the pack must be quotable without a clarification call (TP402–TP411).

Dimensions without a tolerance (TP401, TP409) are found while the
characteristics are derived (:mod:`techpack.characteristics`).
"""

from __future__ import annotations

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
    for line in walk_bom(spec.bom):
        if line.quantity is None:
            diags.add("TP405", f"BOM item {line.item} has no quantity", line.loc(), subject=f"bom/{line.item}")
        elif line.quantity <= 0:
            diags.add("TP013", f"BOM item {line.item}: quantity must be greater than zero", line.loc("quantity"),
                      subject=f"bom/{line.item}")
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
