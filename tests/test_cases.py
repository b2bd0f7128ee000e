"""One bad spec per diagnostic code: ``tests/cases/<CODE>-<slug>/``.

Each case folder holds a ``techpack.yaml`` (the valid base spec of
``tests/cases/_valid`` with one thing broken) and ``expected.txt``: the text
lines (``file:line:col: severity CODE: message``) of every error and warning
the spec gives, in ``Diagnostics.sorted()`` order.  For a case of an *info*
code (TP310, TP311) the info lines of that code are expected as well, since
a case must show its own code.

A case folder may also hold:

* ``capability.yaml`` — passed as the capability data (else the shipped default); ``capability-*.yaml``
  are further suppliers, in name order, and ``supplier.txt`` names the one the pack is addressed to;
* ``.geometry`` — load geometry (else ``geometry=False``, which keeps the suite fast);
* ``env.txt`` — ``KEY=VALUE`` lines set in the environment for the run;
* ``baseline/`` — an earlier revision of the spec, passed as ``--baseline`` (TP7xx);
* included files and geometry files the spec refers to.

``TECHPACK_UPDATE_GOLDEN=1 pytest tests/test_cases.py`` rewrites expected.txt;
read every rewritten file before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from techpack.catalogue import CATALOGUE
from techpack.diagnostics import Diagnostic, Severity
from techpack.engine import Options, compile_spec

CASES_DIR = Path(__file__).parent / "cases"
VALID_DIR = CASES_DIR / "_valid"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
UPDATE = os.environ.get("TECHPACK_UPDATE_GOLDEN") == "1"

# Codes in the catalogue that no spec can produce today, with the reason.  Keep empty when possible.
UNPRODUCIBLE: dict[str, str] = {}
# Codes about the output folder, which only `build` gives: their cases are elsewhere (asserted below).
BUILD_ONLY: dict[str, str] = {"TP007": "tests/hostile/out-is-the-spec-folder/expect.json",
                              "TP008": "tests/test_outdir.py"}


def case_code(case: Path) -> str:
    return case.name.split("-", 1)[0]


def line_of(d: Diagnostic) -> str:
    """A diagnostic as ``techpack.formatters.text`` writes it."""
    where = str(d.location) if d.location else "techpack"
    line = f"{where}: {d.severity.value} {d.code}: {d.message}"
    if d.waiver is not None:
        line += f" [waived by {d.waiver.owner}: {d.waiver.reason}]"
    return line


def run_case(folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, own_code: str | None = None) -> list[str]:
    """Compile the case in FOLDER and return its expected-style lines."""
    monkeypatch.chdir(folder)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache"))
    env = Path("env.txt")
    if env.is_file():
        for raw in env.read_text(encoding="utf-8").splitlines():
            if raw.strip() and not raw.lstrip().startswith("#"):
                key, _, value = raw.partition("=")
                monkeypatch.setenv(key.strip(), value)
    capability = [Path("capability.yaml")] if Path("capability.yaml").exists() else []
    capability += sorted(Path(".").glob("capability-*.yaml"))
    supplier = Path("supplier.txt").read_text(encoding="utf-8").strip() if Path("supplier.txt").exists() else None
    baseline = "baseline" if Path("baseline").is_dir() else None
    result = compile_spec(Path("."), Options(capability=capability, geometry=Path(".geometry").exists(),
                                             supplier=supplier, baseline=baseline))
    keep_info = own_code is not None and CATALOGUE[own_code].severity is Severity.INFO
    return [line_of(d) for d in result.diagnostics.sorted()
            if d.severity is not Severity.INFO or (keep_info and d.code == own_code)]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code = case_code(case)
    assert code in CATALOGUE, f"{case.name}: folder name must start with a catalogue code"
    assert (case / "techpack.yaml").is_file(), f"{case.name}: no techpack.yaml"
    got = run_case(case, monkeypatch, tmp_path, code)
    expected_file = case / "expected.txt"
    if UPDATE:
        expected_file.write_text("".join(line + "\n" for line in got), encoding="utf-8")
    assert expected_file.is_file(), f"{case.name}: no expected.txt (run with TECHPACK_UPDATE_GOLDEN=1, then read it)"
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert got == expected
    assert any(f" {code}: " in line for line in expected), f"{case.name}: its own code {code} is not expected"


def test_valid_base_spec_is_clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert run_case(VALID_DIR, monkeypatch, tmp_path) == []


def test_every_code_has_a_case() -> None:
    covered = {case_code(c) for c in CASES}
    missing = set(CATALOGUE) - covered - set(UNPRODUCIBLE) - set(BUILD_ONLY)
    for code, where in BUILD_ONLY.items():
        assert code in (Path(__file__).parent.parent / where).read_text(encoding="utf-8"), (code, where)
    assert not missing, f"codes without a case folder in tests/cases: {sorted(missing)}"
    assert not covered & set(UNPRODUCIBLE), "a code listed as unproducible has a case: remove it from UNPRODUCIBLE"
    assert set(UNPRODUCIBLE) <= set(CATALOGUE)


def test_unproducible_codes_are_really_unused() -> None:
    """When a check starts emitting one of these, this fails: add a case folder and drop it from UNPRODUCIBLE."""
    compiler = Path(__file__).parent.parent / "compiler"
    sources = {p: p.read_text(encoding="utf-8") for p in compiler.rglob("*.py")
               if p.name not in ("catalogue.py", "docgen.py")}
    for code in sorted(UNPRODUCIBLE):
        users = [p for p, text in sources.items() if f'"{code}"' in text]
        assert not users, f"{code} is emitted by {users}: give it a case in tests/cases"


def test_case_folders_are_small() -> None:
    for case in CASES:
        for f in case.rglob("*"):
            if f.is_file():
                assert f.stat().st_size < 20_000, f"{f} is large; keep cases minimal"
