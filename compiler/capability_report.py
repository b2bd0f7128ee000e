"""The capability result as data: per-characteristic rows and the supplier matrix, for JSON and text.

The numbers are the check's own (``Context.capability_rows``, ``Context.supplier_results``);
this module only arranges them, so ``check --format json``, the text matrix and the
tech-pack PDF can never disagree.
"""

from __future__ import annotations

import json

from .checks.context import CapabilityRow, Context, SupplierResult


def row_json(r: CapabilityRow) -> dict:
    return {"characteristic": r.subject, "operations": list(r.operations), "machine": r.machine,
            "model": r.model or None, "required": r.required, "held": r.held,
            "cp": r.cp_text if r.cp is not None else None, "cpk": r.cpk_text if r.cpk is not None else None,
            "cpk_min": f"{r.cpk_min:f}" if r.cpk is not None else None,
            "margin": r.margin_text if r.margin is not None else None, "ok": r.ok, "thin": r.thin}


def matrix(ctx: Context) -> list[dict]:
    """One entry per part: for each supplier, can or cannot, worst Cpk, first blocking finding."""
    out = []
    for part in ctx.spec.parts:
        cells = []
        for res in ctx.supplier_results:
            worst = res.worst.get(part.number)
            cells.append({"supplier": res.name, "can_make": bool(res.can_make.get(part.number)),
                          "worst": worst.subject if worst else None,
                          "worst_cpk": worst.cpk_text if worst else None,
                          "blocking": res.blocking.get(part.number)})
        out.append({"part": part.number, "name": part.name, "suppliers": cells})
    return out


def supplier_json(res: SupplierResult, addressed: bool) -> dict:
    shop = res.capability.shop
    return {"name": res.name, "file": res.file, "addressed": addressed, "contact": shop.contact,
            "certifications": list(shop.certifications), "lead_time": shop.lead_time, "moq": shop.moq,
            "price_class": shop.price_class,
            "routing": {pn: [{"operation": op, "machines": ms} for op, ms in ops] for pn, ops in res.routes.items()},
            "can_make": [pn for pn, ok in res.can_make.items() if ok],
            "characteristics": [row_json(r) for r in res.rows]}


def add_to_json(text: str, ctx: Context | None) -> str:
    """``check --format json`` output with a ``capability`` section: suppliers, their rows, the matrix."""
    if ctx is None or not ctx.supplier_results:
        return text
    doc = json.loads(text)
    doc["capability"] = {
        "model": "Cpk = (band/2 - sum(mean_shift*sigma)) / (3 * sqrt(sum sigma^2 + refixture sigma^2)); "
                 "one operation: its machine; operations in different set-ups: RSS",
        "addressed": ctx.capability.shop.name if ctx.capability else None,
        "suppliers": [supplier_json(r, r.capability is ctx.capability) for r in ctx.supplier_results],
        "matrix": matrix(ctx),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def matrix_text(ctx: Context | None) -> str:
    """The parts × suppliers matrix as a plain-text table (only with two or more suppliers)."""
    if ctx is None or len(ctx.supplier_results) < 2:
        return ""
    names = [r.name for r in ctx.supplier_results]
    head = ["part", *names]
    rows = []
    for entry in matrix(ctx):
        cells = [entry["part"]]
        for c in entry["suppliers"]:
            if c["can_make"]:
                cells.append(f"can (worst Cpk {c['worst_cpk']})" if c["worst_cpk"] else "can")
            else:
                cells.append("cannot: " + (c["blocking"] or "no machine").split(":")[0])
        rows.append(cells)
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["", "supplier matrix (parts x suppliers):"]
    for r in [head, *rows]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    return "\n".join(lines) + "\n"
