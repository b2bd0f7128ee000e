"""``check --baseline`` / ``build --baseline``: revision warnings, changes.json and the delta-FAI PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from techpack.cli import main
from techpack.revisions.check import next_revision

HERE = Path(__file__).parent
A, B = HERE / "bracket-A", HERE / "bracket-B"


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def cli(*args):
    return CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)


@pytest.mark.parametrize(("rev", "nxt"), [("A", "B"), ("H", "J"), ("N", "P"), ("R", "T"), ("W", "Y"),
                                          ("Y", "AA"), ("AH", "AJ"), ("AY", "BA"), ("YY", "AAA"), ("3", "4"),
                                          ("09", "10"), ("-", None), ("I", None), ("1.10", None)])
def test_next_revision_skips_the_letters_y14_35_leaves_out(rev, nxt):
    assert next_revision(rev) == nxt


def test_check_baseline_is_quiet_when_the_revision_was_raised():
    result = cli("check", B, "--no-geometry", "--baseline", A)
    assert result.exit_code == 0
    assert "TP801" not in result.output and "TP802" not in result.output


def test_check_baseline_warns_when_a_released_revision_is_edited(tmp_path):
    edited = tmp_path / "B"
    shutil.copytree(B, edited)
    spec = edited / "techpack.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("80 ±0.1", "80 ±0.2"), encoding="utf-8")
    result = cli("check", edited, "--no-geometry", "--baseline", B, "--strict")
    assert result.exit_code == 1
    assert "warning TP802: revision B is released" in result.output and "next: C" in result.output
    assert "TP801: part TP-1001-01 changed" in result.output
    # a comment edit is no content change
    spec.write_text("# a comment\n" + (B / "techpack.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("check", edited, "--no-geometry", "--baseline", B, "--strict").exit_code == 0


def test_check_baseline_against_git_head(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    shutil.copytree(B, repo / "bracket")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "rev B"], check=True)
    spec = repo / "bracket" / "techpack.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("Ø6.6 ±0.1", "Ø6.8 ±0.1"), encoding="utf-8")
    result = cli("check", repo / "bracket", "--no-geometry", "--baseline", "HEAD")
    assert "TP802" in result.output and "mount-holes.size" in result.output
    bad = cli("check", repo / "bracket", "--no-geometry", "--baseline", "no-such-revision")
    assert bad.exit_code == 2 and "TP000" in bad.output and "baseline no-such-revision" in bad.output


def test_build_baseline_writes_changes_json_and_the_delta_fai(tmp_path):
    out = tmp_path / "pack"
    result = cli("build", B, "-o", out, "--baseline", A)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    kinds = {f["path"]: f["kind"] for f in manifest["files"]}
    assert kinds["changes.json"] == "change-notice-json"
    assert kinds["inspection/fai-delta-as9102.pdf"] == "fai-delta-pdf"
    changes = json.loads((out / "changes.json").read_text())
    assert changes["delta_fai"][0]["characteristics"][0] == "bore.size"
    assert changes["delta_fai"][0]["baseline_fair"] == "FAIR-TP-1001-01-A"
    reader = PdfReader(out / "inspection" / "fai-delta-as9102.pdf")
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Partial FAI" in text and "FAIR-TP-1001-01-A" in text
    assert "upright-threads.thread" in text and "mount-holes.size" not in text.split("Form 3")[-1]
    fields = reader.get_fields() or {}
    assert "ecn/TP-1001-01/bore:size/result" in fields  # periods in field names are colons (quality.fields)
    # without a baseline the files are not declared
    plain = tmp_path / "plain"
    assert cli("build", B, "-o", plain, "--dry-run").exit_code == 0
    assert "changes.json" not in cli("build", B, "-o", plain, "--dry-run").output
