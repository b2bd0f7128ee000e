"""The ``techpack diff`` command body: compare, print, optionally write the change notice, exit status."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path

import click

from . import EXIT_UNREADABLE
from .report import FORMATS
from .run import compare, exit_code
from .sides import SideError


def run_diff(old: str, new: str | None, git_rev: str | None, fmt: str, pdf: Path | None, geometry: bool,
             capability: list[Path]) -> int:
    if new is None and git_rev is None:
        click.echo("techpack diff: give OLD and NEW, or --git REV with one path", err=True)
        return EXIT_UNREADABLE
    with ExitStack() as stack:
        try:
            cs = compare(old, new, git_rev=git_rev, geometry=geometry, capability=capability, stack=stack)
        except SideError as exc:
            click.echo(f"techpack diff: {exc}", err=True)
            return EXIT_UNREADABLE
        sys.stdout.write(FORMATS[fmt](cs))
        if pdf is not None:
            from .notice import write_notice  # noqa: PLC0415 - WeasyPrint only when asked

            try:
                write_notice(cs, pdf)
            except OSError as exc:
                click.echo(f"techpack diff: cannot write {pdf}: {exc.strerror or exc}", err=True)
                return EXIT_UNREADABLE
            click.echo(f"wrote {pdf}", err=True)
        return exit_code(cs)
