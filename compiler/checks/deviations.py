"""Lessons from the traceability store (TP540, TP541): a characteristic with repeated NCRs or deviations in
earlier revisions that this revision leaves unchanged.

The store is ``TECHPACK_DB`` or ``techpack-records.sqlite`` in the product folder; with neither, the
check does nothing.  It only reads (never creates or migrates a store).
"""

from __future__ import annotations

import os

from ..diagnostics import Diagnostics
from .context import Context

REPEATED = 2
"""NCRs + deviations on one characteristic, across earlier revisions, that count as repeated."""


def check(ctx: Context, diags: Diagnostics) -> None:
    from ..store.pack import configured, open_issues, open_readonly  # noqa: PLC0415

    plan = ctx.quality_plan
    if plan is None or configured(ctx.loaded.folder) is None:
        return
    product = ctx.spec.product
    from ..quality.items import limits  # noqa: PLC0415
    from ..store.db import DEFAULT_NAME  # noqa: PLC0415
    from ..store.errors import StoreError  # noqa: PLC0415
    from ..store.issues import limits_of, repeated  # noqa: PLC0415

    try:
        engine = open_readonly(ctx.loaded.folder)
    except StoreError as exc:
        diags.add("TP541", f"traceability store {os.environ.get('TECHPACK_DB') or DEFAULT_NAME} not read: "
                           f"{exc.message}", product.loc(), subject=product.number)
        return
    try:
        issues = repeated(engine, product.number, REPEATED)
        old = limits_of(engine, product.number)
        ctx.store_deviations = open_issues(engine, product.number, product.revision)
    finally:
        engine.dispose()
    items = {i.subject: i for i in plan.all_items()}
    for subject, found in sorted(issues.items()):
        item = items.get(subject)
        earlier = [(n, r, d) for n, r, d in found if r != product.revision]
        if item is None or len(earlier) < REPEATED:
            continue
        now = limits(item)
        unchanged = all(old.get(r, {}).get(subject, (None, None, None))[:2] == now for _n, r, _d in earlier)
        if not unchanged:
            continue
        revs = sorted({r for _n, r, _d in earlier})
        diags.add("TP540", f"{subject} had {len(earlier)} NCRs/deviations in rev {', '.join(revs)} "
                           f"({', '.join(n for n, _r, _d in earlier)}) and is unchanged in rev {product.revision}: "
                           "revise the tolerance, the process or the design, or waive with a reason",
                  item.loc or product.loc(), subject=subject)
