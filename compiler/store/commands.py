"""The store's commands: ``records register|import``, ``trace``, ``deviations add|list|close``,
``capability measured|learn``.  Each parses options and calls the library; a :class:`StoreError`
is one clean line (exit 2), a refused record lists every located problem (exit 1)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import RecordRefused, StoreError

_db = click.option("--db", "db", envvar="TECHPACK_DB", metavar="URL",
                   help="Store: an SQLite file path or postgresql://…  [env TECHPACK_DB; default "
                        "techpack-records.sqlite in the working folder]")


def _run(fn) -> None:
    from ..cli import _guard  # noqa: PLC0415

    def wrapped() -> int:
        try:
            return fn() or 0
        except RecordRefused as exc:
            click.echo(str(exc), err=True)
            return 1
        except StoreError as exc:
            click.echo(f"techpack: {exc}", err=True)
            return 2

    _guard(wrapped)


def _store(db: str | None, create: bool = True):
    from .db import store  # noqa: PLC0415

    return store(db, create=create)


@click.group()
def records() -> None:
    """Register built packs and import filled batch records, measurement CSVs and QIF results."""


@records.command("register")
@click.argument("out", type=click.Path(path_type=Path))
@_db
def register_cmd(out: Path, db: str | None) -> None:
    """Store the revision, spec hash and characteristics of the pack built in OUT."""
    def run():
        from .register import register  # noqa: PLC0415

        with _store(db) as engine:
            r = register(engine, out)
        click.echo(f"{'registered' if r.new else 'already registered:'} {r.product} rev {r.revision} "
                   f"({r.characteristics} characteristics, spec sha256 {r.spec_sha256[:12]}…)")
    _run(run)


@records.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_db
def import_cmd(files: tuple[Path, ...], db: str | None) -> None:
    """Import filled batch records (.pdf), measurement CSVs (.csv) and QIF results (.qif); each whole or not at all."""
    def run():
        from .ingest import import_file  # noqa: PLC0415

        status = 0
        with _store(db) as engine:
            for f in files:
                try:
                    r = import_file(engine, f)
                except RecordRefused as exc:
                    click.echo(str(exc).replace("refused:", f"{f}: refused:"), err=True)
                    status = 1
                    continue
                if r.already:
                    click.echo(f"{f}: already imported; nothing changed")
                else:
                    click.echo(f"{f}: batch {r.batch}: {r.units} unit(s), {r.measurements} measurement(s) "
                               f"({r.failed} outside limits), {r.ncrs} NCR(s)")
        return status
    _run(run)


@click.command()
@click.option("--lot", help="Material or purchased-item lot code.")
@click.option("--heat", help="Heat number.")
@click.option("--machine", help="Equipment ID.")
@click.option("--operator", help="Operator.")
@click.option("--batch", "batch_code", help="Batch ID.")
@click.option("--unit", "serial", help="Unit serial: its genealogy.")
@click.option("--from", "date_from", metavar="DATE", help="Only stages/batches ending on or after DATE.")
@click.option("--to", "date_to", metavar="DATE", help="Only stages/batches starting on or before DATE.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--pdf", type=click.Path(path_type=Path), help="Also write a containment / genealogy report PDF.")
@_db
def trace(lot, heat, machine, operator, batch_code, serial, date_from, date_to, fmt, pdf, db) -> None:
    """Genealogy of a unit (--unit) or every unit that shares a suspect input (containment)."""
    def run():
        import json  # noqa: PLC0415

        from . import trace as t  # noqa: PLC0415
        from .record import parse_when  # noqa: PLC0415

        given = {k: v for k, v in (("lot", lot), ("heat", heat), ("machine", machine), ("operator", operator),
                                   ("batch", batch_code), ("unit", serial)) if v}
        if len(given) != 1:
            raise StoreError("give exactly one of --lot, --heat, --machine, --operator, --batch, --unit")
        for name, d in (("--from", date_from), ("--to", date_to)):
            if d and parse_when(d) is None:
                raise StoreError(f"{name} {d!r} is not a date (YYYY-MM-DD)")
        (by, value), = given.items()
        with _store(db, create=False) as engine:
            if by == "unit":
                g = t.genealogy(engine, value)
                out = {"text": t.genealogy_text, "json": lambda x: json.dumps(x, indent=2, ensure_ascii=False) + "\n",
                       "csv": t.genealogy_csv}[fmt](g)
            else:
                g = t.containment(engine, by, value, date_from, date_to)
                out = {"text": t.containment_text, "json": t.containment_json, "csv": t.containment_csv}[fmt](g)
        sys.stdout.write(out)
        if pdf:
            from .reports import trace_pdf  # noqa: PLC0415

            trace_pdf(pdf, f"{'Genealogy' if by == 'unit' else 'Containment'}: {by} {value}",
                      t.genealogy_text(g) if by == "unit" else t.containment_text(g))
            click.echo(f"wrote {pdf}", err=True)
    _run(run)


@click.group()
def deviations() -> None:
    """The living issues log: NCRs from batch records and deviations, per revision and characteristic."""


@deviations.command("add")
@click.option("--product", required=True)
@click.option("--revision", "rev", required=True)
@click.option("--characteristic", "subject", required=True, help="Characteristic ID (part/ID or ID).")
@click.option("--description", required=True)
@click.option("--number", help="Deviation number (default: DEV-<n>).")
@_db
def deviations_add(product, rev, subject, description, number, db) -> None:
    """Open a deviation against a characteristic of a registered revision."""
    def run():
        from .issues import add  # noqa: PLC0415

        with _store(db, create=False) as engine:
            n = add(engine, product, rev, subject, description, number)
        click.echo(f"opened {n}")
    _run(run)


@deviations.command("list")
@click.option("--product")
@click.option("--revision", "rev")
@click.option("--all", "show_all", is_flag=True, help="Closed ones too.")
@_db
def deviations_list(product, rev, show_all, db) -> None:
    """List open NCRs and deviations."""
    def run():
        from .issues import listing  # noqa: PLC0415

        with _store(db, create=False) as engine:
            rows = listing(engine, product, rev, not show_all)
        for r in rows:
            click.echo(f"{r['number']:12} {r['kind']:9} {r['status']:6} {r['product']} rev {r['revision']} "
                       f"{r['subject']}: {r['description']}")
        if not rows:
            click.echo("no open NCRs or deviations" if not show_all else "the log is empty")
    _run(run)


@deviations.command("close")
@click.argument("number")
@click.option("--note", default="", help="How it was closed.")
@_db
def deviations_close(number, note, db) -> None:
    """Close NCR or deviation NUMBER."""
    def run():
        from .issues import close  # noqa: PLC0415

        with _store(db, create=False) as engine:
            close(engine, number, note)
        click.echo(f"closed {number}")
    _run(run)


@click.group()
def capability() -> None:
    """Measured capability from the store, and a capability file learned from it."""


@capability.command("measured")
@click.option("--part", help="Only this part number.")
@click.option("--machine", help="Only this machine.")
@click.option("--pdf", type=click.Path(path_type=Path), help="Write the report with control charts and histograms.")
@_db
def capability_measured(part, machine, pdf, db) -> None:
    """Cp, Cpk, Pp, Ppk per characteristic × machine, with n, dates and a normality verdict."""
    def run():
        from .spc import measured, report_pdf, table_text  # noqa: PLC0415

        with _store(db, create=False) as engine:
            studies = measured(engine, part, machine)
        sys.stdout.write(table_text(studies))
        if pdf:
            report_pdf(studies, pdf)
            click.echo(f"wrote {pdf}", err=True)
    _run(run)


@capability.command("learn")
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), required=True)
@click.option("--base", type=click.Path(path_type=Path), help="Capability file to start from (default: shipped).")
@click.option("--part", help="Only this part number.")
@_db
def capability_learn(out, base, part, db) -> None:
    """Write a capability file whose machines carry the measured σ (with provenance)."""
    def run():
        from .learn import learn  # noqa: PLC0415

        with _store(db, create=False) as engine:
            n = learn(engine, out, base, part)
        click.echo(f"wrote {out} ({n} machine(s) with measured sigma)")
    _run(run)


COMMANDS = (records, trace, deviations, capability)
