"""The ``techpack`` command.  Thin: parse options, call the library, print, exit.

Exit codes (stable):

* 0 — no errors (``--strict``: no warnings either)
* 1 — errors found (``--strict``: or warnings)
* 2 — the input could not be read, or the command was misused
* 3 — an internal error in techpack (a bug: please report it)
"""

from __future__ import annotations

import signal
import sys
import traceback
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3
UNREADABLE = {"TP000", "TP005", "TP007", "TP008", "TP314"}


_capability_option = click.option(
    "--capability", "capability", multiple=True, type=click.Path(path_type=Path),
    help="Capability file of the shop (repeatable). Default: the shipped typical CNC job shop.")
_supplier_option = click.option(
    "--supplier", default=None, metavar="NAME",
    help="Address the pack (findings, capability report, cover) to this supplier of the capability files "
         "(default: the first).")
_format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]), default="text", show_default=True,
    help="Output format of the findings.")
_baseline_option = click.option(
    "--baseline", metavar="OLD", help="Earlier revision to compare with: a spec folder, a built pack, REV:path or a git "
    "revision of PATH (e.g. HEAD). Warns when the content changed but the revision did not (TP801, TP802).")
_geometry_timeout_option = click.option(
    "--geometry-timeout", type=click.FloatRange(min=1), default=120, show_default=True,
    help="Seconds one part's STEP file or cadquery model may take to load.")
_sandbox_option = click.option(
    "--sandbox", type=click.Choice(["auto", "require"]), default="auto", show_default=True, envvar="TECHPACK_SANDBOX",
    help="Geometry models run confined (bubblewrap). auto: warn where the machine cannot confine; "
         "require: refuse to run them unconfined (CI building other people's specs).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="techpack")
def main() -> None:
    """techpack: compile a product spec into a supplier-ready tech pack."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@_capability_option
@_supplier_option
@_format_option
@click.option("--strict", is_flag=True, help="Warnings count as errors for the exit status.")
@click.option("--no-geometry", is_flag=True, help="Skip loading geometry (no envelope or mass checks).")
@_geometry_timeout_option
@_sandbox_option
@_baseline_option
def check(path: Path, capability: tuple[Path, ...], supplier: str | None, fmt: str, strict: bool,
          no_geometry: bool, geometry_timeout: float, sandbox: str, baseline: str | None) -> None:
    """Check the spec at PATH (a spec file, or the folder holding techpack.yaml)."""
    _guard(lambda: _check(path, list(capability), fmt, strict, no_geometry, geometry_timeout, supplier, sandbox,
                          baseline))


def _check(path: Path, capability: list[Path], fmt: str, strict: bool, no_geometry: bool,
           geometry_timeout: float = 120, supplier: str | None = None, sandbox: str = "auto",
           baseline: str | None = None) -> int:
    from .engine import Options, compile_spec  # noqa: PLC0415 - keep `techpack --help` fast
    from .formatters import FORMATTERS  # noqa: PLC0415
    from .capability_report import add_to_json, matrix_text  # noqa: PLC0415

    result = compile_spec(path, Options(capability=capability, geometry=not no_geometry,
                                        geometry_timeout=geometry_timeout, supplier=supplier, sandbox=sandbox,
                                        baseline=baseline))
    diags = result.diagnostics.sorted()
    out = FORMATTERS[fmt](diags)
    if fmt == "json":
        out = add_to_json(out, result.context)
    sys.stdout.write(out)
    if fmt == "text":
        sys.stdout.write(matrix_text(result.context))
    return exit_status(result.diagnostics, strict)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(path_type=Path), required=True,
              help="Output folder; replaced as a whole when the build succeeds.")
@_capability_option
@_supplier_option
@_format_option
@click.option("--strict", is_flag=True, help="Warnings count as errors: nothing is written when there are any.")
@click.option("--dry-run", is_flag=True, help="Check and list the files the build would write; write nothing.")
@click.option("--pdf-a/--no-pdf-a", default=True, show_default=True,
              help="Tech-pack PDF as PDF/A-3b with the spec, capability data and DXF drawings attached.")
@click.option("--force", is_flag=True, help="Render every file even when no input changed.")
@_geometry_timeout_option
@_sandbox_option
@_baseline_option
def build(path: Path, out: Path, capability: tuple[Path, ...], supplier: str | None, fmt: str, strict: bool,
          dry_run: bool, pdf_a: bool, force: bool, geometry_timeout: float, sandbox: str,
          baseline: str | None) -> None:
    """Check the spec at PATH and write the tech pack to OUT (nothing is written if the check fails).

    With --baseline OLD the pack also holds changes.json and inspection/fai-delta-as9102.pdf.
    """
    _guard(lambda: _build(path, out, list(capability), fmt, strict, dry_run, pdf_a, force, geometry_timeout,
                          supplier, sandbox, baseline))


def _build(path: Path, out: Path, capability: list[Path], fmt: str, strict: bool, dry_run: bool, pdf_a: bool,
           force: bool, geometry_timeout: float = 120, supplier: str | None = None, sandbox: str = "auto",
           baseline: str | None = None) -> int:
    from .build import BuildOptions, build as run_build  # noqa: PLC0415
    from .formatters import FORMATTERS  # noqa: PLC0415

    tty = sys.stderr.isatty()

    def progress(msg: str) -> None:
        if tty:
            click.echo(f"\r\033[K{msg}", err=True, nl=False)
        else:
            click.echo(msg, err=True)

    options = BuildOptions(capability=capability, dry_run=dry_run, pdf_a=pdf_a, force=force,
                           geometry_timeout=geometry_timeout, supplier=supplier, sandbox=sandbox,
                           baseline=baseline)
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


@main.command(name="hash")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--spec", "as_spec", is_flag=True, help="Treat a file PATH as a spec's root file (a folder always is).")
def hash_(paths: tuple[Path, ...], as_spec: bool) -> None:
    """Print the SHA-256 of each file PATH, or the spec hash of each spec folder PATH (docs/identity.md)."""
    _guard(lambda: _hash(list(paths), as_spec))


def _hash(paths: list[Path], as_spec: bool) -> int:
    import hashlib  # noqa: PLC0415

    from .diagnostics import Diagnostics  # noqa: PLC0415
    from .formatters import FORMATTERS  # noqa: PLC0415
    from .identity import listing  # noqa: PLC0415
    from .loader import load_spec  # noqa: PLC0415

    status = EXIT_OK
    for path in paths:
        if path.is_dir() or as_spec:
            diags = Diagnostics()
            loaded = load_spec(path, diags)
            if loaded is None:
                sys.stdout.write(FORMATTERS["text"](diags.sorted()))
                status = max(status, exit_status(diags, False) or EXIT_FINDINGS)
                continue
            click.echo(f"# spec files of {path}: the spec hash is the SHA-256 of the lines up to spec-sha256")
            click.echo(listing(loaded.hashed_files()), nl=False)
            click.echo(f"spec-sha256 {loaded.sha256}")
        elif path.is_file():
            click.echo(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.as_posix()}")
        else:
            click.echo(f"{path}: no such file or folder", err=True)
            status = EXIT_USAGE
    return status
# --- revisions: techpack diff ------------------------------------------------------------------------------
@main.command("diff")
@click.argument("old")
@click.argument("new", required=False)
@click.option("--git", "git_rev", metavar="REV", help="Read OLD (a path in a git work tree) at git revision REV; "
              "without NEW, compare it with the working copy of OLD.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="Output format (markdown: ready for a pull-request comment).")
@click.option("--pdf", "pdf", type=click.Path(path_type=Path), help="Also write the change notice PDF to FILE.")
@click.option("--no-geometry", is_flag=True, help="Skip loading geometry (no volume, bounding-box or model changes).")
@_capability_option
def diff_command(old: str, new: str | None, git_rev: str | None, fmt: str, pdf: Path | None, no_geometry: bool,
                 capability: tuple[Path, ...]) -> None:
    """What changed from OLD to NEW, and what must be inspected again.

    OLD and NEW are spec folders, built packs (manifest.json and the spec attached to
    the tech-pack PDF), or git revisions written REV:path.  Exit status like diff(1):
    0 nothing changed, 1 something changed, 2 a side cannot be read, 3 a bug.
    """
    from .revisions.cli import run_diff  # noqa: PLC0415

    _guard(lambda: run_diff(old, new, git_rev, fmt, pdf, not no_geometry, list(capability)))


def exit_status(diags, strict: bool) -> int:
    from .diagnostics import Severity  # noqa: PLC0415

    if any(d.code in UNREADABLE for d in diags):
        return EXIT_USAGE
    if diags.counting(Severity.ERROR):
        return EXIT_FINDINGS
    if strict and diags.counting(Severity.WARNING):
        return EXIT_FINDINGS
    return EXIT_OK


class _Terminated(BaseException):
    """SIGTERM: unwind like Ctrl-C (staging folder removed, lock released), exit 143."""


def _stop_workers() -> None:
    launch = sys.modules.get("techpack.geometry.launch")
    if launch is not None:  # kill every geometry worker's whole process group at once
        launch.stop_all()


def _on_signal(signum, _frame) -> None:
    _stop_workers()
    if signum == signal.SIGTERM:
        raise _Terminated()
    raise KeyboardInterrupt()


def _guard(run) -> None:
    try:
        signal.signal(signal.SIGINT, _on_signal)
        signal.signal(signal.SIGTERM, _on_signal)
    except ValueError:  # not the main thread (an embedding caller): leave its handlers alone
        pass
    try:
        code = run()
    except KeyboardInterrupt:
        _stop_workers()
        click.echo("techpack: interrupted", err=True)
        sys.exit(130)
    except _Terminated:
        click.echo("techpack: terminated", err=True)
        sys.exit(143)
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
