"""The living issues log: NCRs (imported from batch records) and deviations, tied to a revision and a characteristic."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from .db import now
from .errors import StoreError
from .tables import characteristic, issue, revision


def _revision(conn, product: str, rev: str):
    r = conn.execute(select(revision).where(revision.c.product == product, revision.c.revision == rev)).first()
    if r is None:
        known = conn.execute(select(revision.c.revision).where(revision.c.product == product)).scalars().all()
        hint = f" (registered: {', '.join('rev ' + k for k in known)})" if known else ""
        raise StoreError(f"{product} rev {rev} is not registered{hint}")
    return r


def resolve_subject(conn, rev_id: int, text: str) -> str:
    rows = conn.execute(select(characteristic.c.subject, characteristic.c.char_id)
                        .where(characteristic.c.revision_id == rev_id)).all()
    exact = [s for s, _c in rows if s == text] or [s for s, c in rows if c == text]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise StoreError(f"characteristic {text!r} is ambiguous: give part/ID ({', '.join(exact)})")
    import difflib  # noqa: PLC0415

    near = difflib.get_close_matches(text, [s for s, _ in rows] + [c for _, c in rows], 1)
    raise StoreError(f"unknown characteristic {text!r}" + (f"; did you mean {near[0]}?" if near else ""))


def add(engine: Engine, product: str, rev: str, subject: str, description: str, number: str | None = None) -> str:
    if not description.strip():
        raise StoreError("a deviation needs a description")
    with engine.begin() as conn:
        r = _revision(conn, product, rev)
        subject = resolve_subject(conn, r.id, subject)
        if number is None:
            count = conn.execute(select(func.count()).select_from(issue).where(issue.c.kind == "deviation")).scalar()
            number = f"DEV-{count + 1}"
            while conn.execute(select(issue.c.id).where(issue.c.number == number)).first():
                count += 1
                number = f"DEV-{count + 1}"
        elif conn.execute(select(issue.c.id).where(issue.c.number == number)).first():
            raise StoreError(f"{number} is already in the log")
        conn.execute(issue.insert().values(kind="deviation", number=number, revision_id=r.id, subject=subject,
                                           description=description, disposition="", status="open",
                                           opened_at=now(), closed_note=""))
    return number


def close(engine: Engine, number: str, note: str = "") -> None:
    with engine.begin() as conn:
        row = conn.execute(select(issue.c.id, issue.c.status).where(issue.c.number == number)).first()
        if row is None:
            raise StoreError(f"no NCR or deviation {number!r} in the log")
        if row.status == "closed":
            raise StoreError(f"{number} is already closed")
        conn.execute(issue.update().where(issue.c.id == row.id).values(status="closed", closed_at=now(),
                                                                       closed_note=note))


def listing(engine: Engine, product: str | None = None, rev: str | None = None, open_only: bool = True) -> list[dict]:
    q = (select(issue.c.number, issue.c.kind, issue.c.status, issue.c.subject, issue.c.description,
                issue.c.disposition, issue.c.opened_at, revision.c.product, revision.c.revision)
         .join(revision).order_by(revision.c.product, revision.c.revision, issue.c.id))
    if product:
        q = q.where(revision.c.product == product)
    if rev:
        q = q.where(revision.c.revision == rev)
    if open_only:
        q = q.where(issue.c.status == "open")
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def repeated(engine: Engine, product: str, min_count: int = 2) -> dict[str, list[tuple[str, str, str]]]:
    """Characteristic ID (part/ID) → its NCRs and deviations [(number, revision, description)] in earlier
    revisions of ``product`` when there are at least ``min_count`` of them."""
    q = (select(issue.c.subject, issue.c.number, revision.c.revision, issue.c.description).join(revision)
         .where(revision.c.product == product).order_by(issue.c.id))
    out: dict[str, list[tuple[str, str, str]]] = {}
    with engine.connect() as conn:
        for s, n, r, d in conn.execute(q):
            out.setdefault(s, []).append((n, r, d))
    return {s: v for s, v in out.items() if len(v) >= min_count}


def limits_of(engine: Engine, product: str) -> dict[str, dict[str, tuple[str, str, str]]]:
    """revision → subject → (lsl, usl, description) of every registered revision of ``product``."""
    q = (select(revision.c.revision, characteristic.c.subject, characteristic.c.lsl, characteristic.c.usl,
                characteristic.c.description).join(characteristic).where(revision.c.product == product))
    out: dict[str, dict[str, tuple[str, str, str]]] = {}
    with engine.connect() as conn:
        for r, s, lo, hi, d in conn.execute(q):
            out.setdefault(r, {})[s] = (lo, hi, d)
    return out
