"""The ``techpack`` command.  Thin: parse options, call the library, print, exit.

Exit codes (stable):

* 0 — no errors (``--strict``: no warnings either)
* 1 — errors found (``--strict``: or warnings)
* 2 — the input could not be read, or the command was misused
* 3 — an internal error in techpack (a bug: please report it)
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
UNREADABLE = {"TP000", "TP005", "TP007", "TP008"}


_capability_option = click.option(
    "--capability", "capability", multiple=True, type=click.Path(path_type=Path),
    help="Capability file of the shop (repeatable). Default: the shipped typical CNC job shop.")
_format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
    help="Output format of the findings.")
_geometry_timeout_option = click.option(
    "--geometry-timeout", type=click.FloatRange(min=1), default=120, show_default=True,
    help="Seconds one part's STEP file or cadquery model may take to load.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="techpack")
def main() -> None:
    """techpack: compile a product spec into a supplier-ready tech pack."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@_capability_option
@_format_option
@click.option("--strict", is_flag=True, help="Warnings count as errors for the exit status.")
@click.option("--no-geometry", is_flag=True, help="Skip loading geometry (no envelope or mass checks).")
@_geometry_timeout_option
def check(path: Path, capability: tuple[Path, ...], fmt: str, strict: bool, no_geometry: bool,
          geometry_timeout: float) -> None:
    """Check the spec at PATH (a spec file, or the folder holding techpack.yaml)."""
    _guard(lambda: _check(path, list(capability), fmt, strict, no_geometry, geometry_timeout))


def _check(path: Path, capability: list[Path], fmt: str, strict: bool, no_geometry: bool,
           geometry_timeout: float = 120) -> int:
    from .engine import Options, compile_spec  # noqa: PLC0415 - keep `techpack --help` fast
    from .formatters import FORMATTERS  # noqa: PLC0415

    result = compile_spec(path, Options(capability=capability, geometry=not no_geometry,
                                        geometry_timeout=geometry_timeout))
    diags = result.diagnostics.sorted()
    sys.stdout.write(FORMATTERS[fmt](diags))
    return exit_status(result.diagnostics, strict)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), required=True,
              help="Output folder; replaced as a whole when the build succeeds.")
@_capability_option
@_format_option
@click.option("--strict", is_flag=True, help="Warnings count as errors: nothing is written when there are any.")
@click.option("--dry-run", is_flag=True, help="Check and list the files the build would write; write nothing.")
@click.option("--pdf-a/--no-pdf-a", default=True, show_default=True,
              help="Tech-pack PDF as PDF/A-3b with the spec, capability data and DXF drawings attached.")
@click.option("--force", is_flag=True, help="Render every file even when no input changed.")
@_geometry_timeout_option
def build(path: Path, out: Path, capability: tuple[Path, ...], fmt: str, strict: bool, dry_run: bool,
          pdf_a: bool, force: bool, geometry_timeout: float) -> None:
    """Check the spec at PATH and write the tech pack to OUT (nothing is written if the check fails)."""
    _guard(lambda: _build(path, out, list(capability), fmt, strict, dry_run, pdf_a, force, geometry_timeout))


def _build(path: Path, out: Path, capability: list[Path], fmt: str, strict: bool, dry_run: bool, pdf_a: bool,
           force: bool, geometry_timeout: float = 120) -> int:
    from .build import BuildOptions, build as run_build  # noqa: PLC0415
    from .formatters import FORMATTERS  # noqa: PLC0415

    tty = sys.stderr.isatty()

    def progress(msg: str) -> None:
        if tty:
            click.echo(f"\r\033[K{msg}", err=True, nl=False)
        else:
            click.echo(msg, err=True)

    options = BuildOptions(capability=capability, dry_run=dry_run, pdf_a=pdf_a, force=force,
                           geometry_timeout=geometry_timeout)
    result = run_build(path, out, options, progress=progress, strict=strict)
    if tty:
        click.echo("", err=True)
    if result.up_to_date:
        return EXIT_OK
    diags = result.diagnostics.sorted()
    if diags or fmt != "text":
        sys.stdout.write(FORMATTERS[fmt](diags))
    status = exit_status(result.diagnostics, strict)
    if dry_run and status == EXIT_OK:
        for t in result.planned:
            click.echo(f"{t.kind:22} {out / t.path}")
    elif result.written:
        click.echo(f"wrote {len(result.planned) + 1} files to {out} ({len(result.rendered)} rendered, "
                   f"{len(result.reused)} unchanged)", err=True)
    return status


def exit_status(diags, strict: bool) -> int:
    from .diagnostics import Severity  # noqa: PLC0415

    if any(d.code in UNREADABLE for d in diags):
        return EXIT_USAGE
    if diags.counting(Severity.ERROR):
        return EXIT_FINDINGS
    if strict and diags.counting(Severity.WARNING):
        return EXIT_FINDINGS
    return EXIT_OK


def _guard(run) -> None:
    try:
        code = run()
    except KeyboardInterrupt:
        click.echo("techpack: interrupted", err=True)
        sys.exit(130)
    except Exception:  # noqa: BLE001 - a bug in techpack, not a user mistake
        traceback.print_exc()
        click.echo(f"techpack {__version__}: internal error. This is a bug in techpack; please report it with "
                   "the spec that triggered it.", err=True)
        sys.exit(EXIT_BUG)
    sys.exit(code)


# -- traceability store (records, trace, deviations, capability): compiler/store/commands.py --------------------
def _store_commands() -> None:
    from .store.commands import COMMANDS  # noqa: PLC0415

    for command in COMMANDS:
        main.add_command(command)


_store_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
