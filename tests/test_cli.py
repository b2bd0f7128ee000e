"""The ``techpack check`` command: exit codes, output formats, waivers, reporting everything at once.

Runs ``techpack.cli.main`` in-process with click's CliRunner, plus one real run of
the installed ``techpack`` console script.  Specs come from ``tests/cases`` (the
valid base spec and its one-mistake variants) and ``examples/bracket``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from techpack.catalogue import CATALOGUE
from techpack.cli import main

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "cases"
VALID = CASES / "_valid"
BRACKET = REPO / "examples" / "bracket"
BASE = (VALID / "techpack.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "geometry-cache"))
    monkeypatch.chdir(REPO)


def check(*args: str):
    """``techpack check ARGS`` in-process; returns click's Result (exit_code, stdout)."""
    result = CliRunner().invoke(main, ["check", *map(str, args)], catch_exceptions=False)
    return result


def spec_folder(tmp_path: Path, text: str, name: str = "product") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "techpack.yaml").write_text(text, encoding="utf-8")
    shutil.copy(VALID / "part.py", folder / "part.py")
    return folder


def base_with(*edits: tuple[str, str]) -> str:
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def finding_lines(stdout: str) -> list[str]:
    """The diagnostic lines of text output (the summary line dropped)."""
    return [line for line in stdout.splitlines() if re.search(r" (error|warning|info) TP\d{3}: ", line)]


def errors(stdout: str) -> list[str]:
    return [line for line in finding_lines(stdout) if re.search(r" error TP\d{3}: ", line)]


# ------------------------------------------------------------------ exit status


def test_exit_0_on_the_bracket_example() -> None:
    result = check(BRACKET, "--no-geometry")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"0 error\(s\), 0 warning\(s\), \d+ info", result.output.splitlines()[-1])
    assert all(line.startswith("examples/bracket/techpack.yaml:") for line in finding_lines(result.output))


def test_exit_0_on_the_valid_base_spec() -> None:
    result = check(VALID, "--no-geometry")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_exit_1_on_a_bad_spec() -> None:
    result = check(CASES / "TP102-undeclared-material", "--no-geometry")
    assert result.exit_code == 1
    assert " error TP102: part TP-2001-01 names material 'al6061'" in result.output
    assert "1 error(s), 0 warning(s)" in result.output


def test_exit_1_on_a_schema_error() -> None:
    result = check(CASES / "TP010-misspelt-key")
    assert result.exit_code == 1
    assert finding_lines(result.output) == [
        "tests/cases/TP010-misspelt-key/techpack.yaml:34:5: error TP010: unknown key 'finsh' in parts[0]; "
        "did you mean 'finish'?"]


def test_warnings_only_exit_0_but_1_with_strict() -> None:
    folder = CASES / "TP408-no-packaging"
    plain = check(folder, "--no-geometry")
    assert plain.exit_code == 0, plain.output
    assert " warning TP408: " in plain.output and "0 error(s), 1 warning(s)" in plain.output
    strict = check(folder, "--no-geometry", "--strict")
    assert strict.exit_code == 1
    assert finding_lines(strict.output) == finding_lines(plain.output)


def test_strict_on_a_clean_spec_is_still_0() -> None:
    assert check(VALID, "--no-geometry", "--strict").exit_code == 0


def test_infos_never_fail_strict() -> None:
    result = check(CASES / "TP310-one-machine", "--no-geometry", "--strict")
    assert result.exit_code == 0
    assert " info TP310: " in result.output


def test_exit_2_on_a_missing_path(tmp_path: Path) -> None:
    result = check(tmp_path / "no-such-product", "--no-geometry")
    assert result.exit_code == 2
    assert f"{tmp_path / 'no-such-product'}: error TP000: no such file or folder" in result.output


def test_exit_2_on_a_folder_without_a_spec(tmp_path: Path) -> None:
    result = check(tmp_path, "--no-geometry")
    assert result.exit_code == 2
    assert "error TP000: no techpack.yaml in folder" in result.output


def test_exit_2_on_a_missing_capability_file(tmp_path: Path) -> None:
    result = check(VALID, "--no-geometry", "--capability", tmp_path / "shop.yaml")
    assert result.exit_code == 2
    assert "error TP000: capability file not found" in result.output


def test_exit_2_on_a_bad_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = check(VALID, "--no-geometry")
    assert result.exit_code == 2
    assert "techpack: error TP005: the environment variable SOURCE_DATE_EPOCH='yesterday'" in result.output


@pytest.mark.parametrize("args", [
    ["--format", "xml"],
    ["--bogus"],
    ["--strict=yes"],
])
def test_exit_2_on_a_bad_option(args: list[str]) -> None:
    result = CliRunner().invoke(main, ["check", str(VALID), *args])
    assert result.exit_code == 2
    assert "Error" in result.output or "Usage" in result.output


def test_exit_2_without_a_path() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "Missing argument 'PATH'" in result.output


def test_exit_2_on_an_unknown_command() -> None:
    assert CliRunner().invoke(main, ["chekc", str(VALID)]).exit_code == 2


def test_exit_3_on_an_internal_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import techpack.engine

    def boom(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(techpack.engine, "compile_spec", boom)
    result = CliRunner().invoke(main, ["check", str(VALID), "--no-geometry"])
    assert result.exit_code == 3
    assert "internal error" in result.output and "please report it" in result.output


def test_version_and_help() -> None:
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0
    result = CliRunner().invoke(main, ["check", "--help"])
    assert result.exit_code == 0 and "--no-geometry" in result.output


# ------------------------------------------------------------------ folder or file


def test_folder_and_spec_file_give_the_same_findings() -> None:
    for case in ["TP301-tolerance-too-tight", "TP208-primary-datum-without-flatness", "TP001-colon-in-plain-value"]:
        folder = CASES / case
        by_folder = check(folder, "--no-geometry", "--format", "json")
        by_file = check(folder / "techpack.yaml", "--no-geometry", "--format", "json")
        assert by_folder.exit_code == by_file.exit_code
        assert json.loads(by_folder.output) == json.loads(by_file.output)


def test_locations_are_relative_to_the_working_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    folder = CASES / "TP102-undeclared-material"
    monkeypatch.chdir(folder)
    result = check(".", "--no-geometry")
    assert errors(result.output)[0].startswith("techpack.yaml:33:15: error TP102: ")
    monkeypatch.chdir(CASES)
    result = check(folder.name, "--no-geometry")
    assert errors(result.output)[0].startswith(f"{folder.name}/techpack.yaml:33:15: error TP102: ")


# ------------------------------------------------------------------ formats


JSON_KEYS = {"code", "severity", "message", "file", "line", "column", "part", "characteristic"}


def test_json_format() -> None:
    result = check(CASES / "TP301-tolerance-too-tight", "--no-geometry", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["tool"] == "techpack" and doc["summary"]["errors"] == 1
    diags = doc["diagnostics"]
    assert diags
    for d in diags:
        assert JSON_KEYS <= d.keys(), d
        assert d["code"] in CATALOGUE and d["severity"] in ("error", "warning", "info")
        assert d["file"] == "tests/cases/TP301-tolerance-too-tight/techpack.yaml"
        assert isinstance(d["line"], int) and isinstance(d["column"], int)
        assert d["severity"] == CATALOGUE[d["code"]].severity.value
    (tp301,) = [d for d in diags if d["code"] == "TP301"]
    assert (tp301["line"], tp301["column"], tp301["part"], tp301["characteristic"]) == (62, 32, "TP-2001-01",
                                                                                         "thickness")
    assert tp301["message"].startswith("10 ±0.01 thickness needs IT7")


def test_json_format_for_an_unreadable_spec(tmp_path: Path) -> None:
    result = check(tmp_path / "missing", "--format", "json")
    assert result.exit_code == 2
    (d,) = json.loads(result.output)["diagnostics"]
    assert d["code"] == "TP000" and d["line"] is None and d["column"] is None and d["part"] is None
    assert JSON_KEYS <= d.keys()


SARIF_LEVELS = {"none", "note", "warning", "error"}


def _check_sarif(doc: dict) -> list[dict]:
    assert doc["version"] == "2.1.0"
    assert "sarif" in doc["$schema"] and "2.1.0" in doc["$schema"]
    assert isinstance(doc["runs"], list) and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "techpack" and isinstance(driver["version"], str)
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert rule["id"] in CATALOGUE
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in SARIF_LEVELS
    for res in run["results"]:
        assert res["ruleId"] in ids
        assert ids[res["ruleIndex"]] == res["ruleId"]
        assert res["level"] in SARIF_LEVELS
        assert isinstance(res["message"]["text"], str) and res["message"]["text"]
        for loc in res.get("locations", []):
            phys = loc["physicalLocation"]
            assert isinstance(phys["artifactLocation"]["uri"], str) and "\\" not in phys["artifactLocation"]["uri"]
            if "region" in phys:
                assert phys["region"]["startLine"] >= 1 and phys["region"]["startColumn"] >= 1
        for sup in res.get("suppressions", []):
            assert sup["kind"] in ("inSource", "external")
    return run["results"]


def test_sarif_format() -> None:
    result = check(CASES / "TP504-limits-swapped", "--no-geometry", "--format", "sarif")
    assert result.exit_code == 1
    results = _check_sarif(json.loads(result.output))
    errors = [r for r in results if r["level"] == "error"]
    assert [r["ruleId"] for r in errors] == ["TP504", "TP504"]
    region = errors[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (84, 74)
    assert errors[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "tests/cases/TP504-limits-swapped/techpack.yaml"
    assert {r["level"] for r in results} == {"error", "note"}  # TP310/TP311 infos are notes


def test_sarif_for_an_unreadable_spec_and_a_waiver(tmp_path: Path) -> None:
    _check_sarif(json.loads(check(tmp_path / "missing", "--format", "sarif").output))
    results = _check_sarif(json.loads(check(CASES / "TP301-waived", "--no-geometry", "--format", "sarif").output))
    (waived,) = [r for r in results if r["ruleId"] == "TP301"]
    assert waived["suppressions"][0]["justification"].startswith("plates are selected from ground stock")


GITHUB = re.compile(r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=TP\d{3}::.+$")


def test_github_format() -> None:
    result = check(CASES / "TP501-below-moq", "--no-geometry", "--format", "github", "--strict")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines
    for line in lines:
        assert GITHUB.match(line), line
    assert "::warning file=tests/cases/TP501-below-moq/techpack.yaml,line=81,col=24,title=TP501::production " \
           "quantity 50 is below the MOQ of 100" in lines


def test_github_format_escapes_percent_and_newlines(tmp_path: Path) -> None:
    result = check(CASES / "TP311-least-margin", "--no-geometry", "--format", "github")
    assert result.exit_code == 0
    assert any("margin +67%25)" in line for line in result.output.splitlines())


# ------------------------------------------------------------------ waivers


def test_waived_findings_are_shown_and_do_not_fail() -> None:
    folder = CASES / "TP301-waived"
    text = check(folder, "--no-geometry")
    assert text.exit_code == 0, text.output
    (line,) = [ln for ln in finding_lines(text.output) if " TP301: " in ln]
    assert line.endswith("[waived by R. Okafor: plates are selected from ground stock]")
    assert re.fullmatch(r"0 error\(s\), 0 warning\(s\), \d+ info, 1 waived", text.output.splitlines()[-1])
    assert check(folder, "--no-geometry", "--strict").exit_code == 0
    doc = json.loads(check(folder, "--no-geometry", "--format", "json").output)
    (tp301,) = [d for d in doc["diagnostics"] if d["code"] == "TP301"]
    assert tp301["waived"] is True and tp301["waiver"] == {"reason": "plates are selected from ground stock",
                                                           "owner": "R. Okafor"}
    assert doc["summary"]["waived"] == 1 and doc["summary"]["errors"] == 0
    gh = check(folder, "--no-geometry", "--format", "github").output.splitlines()
    (tp301_gh,) = [ln for ln in gh if "title=TP301" in ln]
    assert tp301_gh.startswith("::notice ")


def test_expired_waiver_does_not_waive(tmp_path: Path) -> None:
    text = base_with(("{id: thickness, value: 10 ±0.05}", "{id: thickness, value: 10 ±0.01}")) + (
        "\nwaivers:\n  - code: TP301\n    target: TP-2001-01/thickness\n    reason: ground stock\n"
        "    owner: R. Okafor\n    expires: 2025-12-31\n")
    result = check(spec_folder(tmp_path, text), "--no-geometry")
    assert result.exit_code == 1
    codes = [re.search(r" (TP\d{3}):", ln).group(1) for ln in finding_lines(result.output)]
    assert "TP301" in codes and "TP603" in codes
    assert "waived" not in result.output


# ------------------------------------------------------------------ everything at once


def test_all_check_errors_are_reported_at_once(tmp_path: Path) -> None:
    text = base_with(
        ("    material: al6082\n", "    material: al6061\n"),                      # TP102
        ("    finish: anodise-clear\n", "    finish: anodise-black\n"),           # TP103
        ("datums: [A, B]}\n", "datums: [A, B, C]}\n"),                            # TP104
        ('items: ["1", "2"]', 'items: ["1", "3"]'),                               # TP107
        ("min: 8000, max: 12000, nominal: 10000}", "min: 12000, max: 8000}"),     # TP504
    )
    result = check(spec_folder(tmp_path, text), "--no-geometry")
    assert result.exit_code == 1
    lines = errors(result.output)
    assert len(lines) == 5, result.output
    assert [re.search(r" (TP\d{3}):", ln).group(1) for ln in lines] == ["TP102", "TP103", "TP104", "TP107", "TP504"]
    assert "5 error(s)" in result.output


def test_all_schema_errors_are_reported_at_once(tmp_path: Path) -> None:
    text = base_with(
        ("    finish: anodise-clear\n", "    finsh: anodise-clear\n"),             # TP010
        ("    name: Spacer plate\n    revision: A\n", "    name: Spacer plate\n"),  # TP012
        ("    family: aluminium\n", "    family: aluminum\n"),                      # TP013
        ("        size: Ø10 H8\n", "        size: Ø10 H8 (+0.020/0)\n"),            # TP014
        ("    density: 2.71 g/cm3\n", "    density: 2.71 g/ml\n"),                  # TP015
    )
    result = check(spec_folder(tmp_path, text), "--no-geometry")
    assert result.exit_code == 1
    lines = finding_lines(result.output)
    assert len(lines) == 5, result.output
    assert sorted(re.search(r" (TP\d{3}):", ln).group(1) for ln in lines) == ["TP010", "TP012", "TP013", "TP014",
                                                                               "TP015"]


def test_all_yaml_duplicates_are_reported_at_once(tmp_path: Path) -> None:
    text = base_with(("    finish: anodise-clear\n", "    finish: anodise-clear\n    finish: none\n"),
                     ("  moq: 100\n", "  moq: 100\n  moq: 50\n"))
    result = check(spec_folder(tmp_path, text), "--no-geometry")
    assert result.exit_code == 1
    assert [re.search(r" (TP\d{3}):", ln).group(1) for ln in errors(result.output)] == ["TP002", "TP002"]


# ------------------------------------------------------------------ the real console script


def test_console_script_subprocess() -> None:
    exe = shutil.which("techpack")
    assert exe, "the techpack console script is not installed (pip install -e .)"
    ok = subprocess.run([exe, "check", "examples/bracket", "--no-geometry"], cwd=REPO, capture_output=True,
                        text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert re.fullmatch(r"0 error\(s\), 0 warning\(s\), \d+ info", ok.stdout.splitlines()[-1])
    assert ok.stderr == ""
    bad = subprocess.run([exe, "check", "tests/cases/TP105-bom-unknown-part", "--no-geometry", "--format", "json"],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert [d["code"] for d in json.loads(bad.stdout)["diagnostics"] if d["severity"] == "error"] == ["TP105"]
