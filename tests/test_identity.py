"""The spec hash is what `sha256sum | sort | sha256sum` gives; `techpack hash` prints it; QR payloads parse."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from techpack.cli import main
from techpack.diagnostics import Diagnostics
from techpack.identity import label_qr, spec_qr
from techpack.loader import load_spec

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="coreutils sha256sum not installed")
def test_spec_hash_is_the_documented_shell_pipeline():
    folder = EXAMPLES / "enclosure"
    files = ["techpack.yaml", *sorted(p.relative_to(folder).as_posix() for p in (folder / "parts").glob("*.yaml"))]
    shell = subprocess.run(f"sha256sum {' '.join(files)} | LC_ALL=C sort -k2 | sha256sum", shell=True, cwd=folder,
                           capture_output=True, text=True, check=True).stdout.split()[0]
    loaded = load_spec(folder, Diagnostics())
    assert loaded is not None and loaded.sha256 == shell
    assert {p for p, _ in loaded.hashed_files()} == set(files)


def test_spec_hash_does_not_depend_on_how_the_folder_is_named(tmp_path):
    copy = tmp_path / "somewhere else"
    shutil.copytree(EXAMPLES / "enclosure", copy)
    assert load_spec(copy, Diagnostics()).sha256 == load_spec(EXAMPLES / "enclosure", Diagnostics()).sha256
    (copy / "parts" / "lid.yaml").write_bytes((copy / "parts" / "lid.yaml").read_bytes() + b"\n")
    assert load_spec(copy, Diagnostics()).sha256 != load_spec(EXAMPLES / "enclosure", Diagnostics()).sha256


def test_hash_command_prints_listing_and_spec_hash():
    folder = EXAMPLES / "enclosure"
    result = CliRunner().invoke(main, ["hash", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    listing = "".join(line + "\n" for line in lines[1:-1])
    assert lines[-1] == f"spec-sha256 {hashlib.sha256(listing.encode()).hexdigest()}"
    assert lines[-1].split()[1] == load_spec(folder, Diagnostics()).sha256
    body = folder / "parts" / "body.yaml"
    one = CliRunner().invoke(main, ["hash", str(body)])
    assert one.output == f"{hashlib.sha256(body.read_bytes()).hexdigest()}  {body.as_posix()}\n"


def test_hash_command_reports_a_missing_path(tmp_path):
    result = CliRunner().invoke(main, ["hash", str(tmp_path / "nope")])
    assert result.exit_code == 2


def test_qr_payloads_keep_their_field_count_whatever_the_text():
    assert spec_qr("P:1", "A", "ab").split(":") == ["techpack-spec", "P%3A1", "A", "sha256", "ab"]
    fields = label_qr("P", "P-01", "B", 10, "ab").split(":")
    assert fields == ["techpack-label", "P", "P-01", "B", "10", "{batch}", "sha256", "ab"]
    assert label_qr("P", "P", "A", None, "ab", batch="L:7").split(":")[4:6] == ["", "L%3A7"]
