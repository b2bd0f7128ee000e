"""Same inputs, same bytes: across processes and hash seeds; written atomically; re-rendered only when needed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import EXAMPLES, HERE, build_pdf, fakes

BUILD = """
import importlib.util, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("fake_drawings", {fakes!r})
fake = importlib.util.module_from_spec(spec); spec.loader.exec_module(fake)
from techpack.build import BuildOptions, build
from techpack.renderers.techpack_pdf import RENDERER
r = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(),
          renderers={{"drawings": fake.FakeDrawings({{"TP-3001-02": (594, 420)}}), "techpack-pdf": RENDERER}})
sys.exit(0 if r.written else 1)
"""


def _subprocess_build(folder: Path, out: Path, seed: str, extra_env: dict | None = None) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, **(extra_env or {})}
    code = BUILD.format(fakes=str(HERE / "fake_drawings.py"))
    subprocess.run([sys.executable, "-c", code, str(folder), str(out)], check=True, env=env, timeout=600)
    return (out / "techpack.pdf").read_bytes()


def test_identical_bytes_across_processes_and_hash_seeds(tmp_path):
    folder = tmp_path / "enclosure"
    shutil.copytree(EXAMPLES / "enclosure", folder)
    first = _subprocess_build(folder, tmp_path / "a", "1")
    second = _subprocess_build(folder, tmp_path / "b", "4242")
    assert first == second
    assert len(first) > 50_000


def test_source_date_epoch_sets_every_date(tmp_path):
    folder = tmp_path / "bracket"
    shutil.copytree(EXAMPLES / "bracket", folder)
    pdf = _subprocess_build(folder, tmp_path / "a", "0", {"SOURCE_DATE_EPOCH": "1767225600"})  # 2026-01-01
    assert b"D:20260101000000Z" in pdf and b"D:20260302" not in pdf


def test_revision_date_when_source_date_epoch_is_unset(built):
    pdf = built("bracket").read_bytes()
    assert b"D:20260302000000Z" in pdf  # product.revision_date of the bracket


def test_manifest_kind_and_incremental_rebuilds(tmp_path):
    folder = tmp_path / "bracket"
    shutil.copytree(EXAMPLES / "bracket", folder)
    out = tmp_path / "out"
    first = build_pdf(folder, out)
    assert first.rendered == ["techpack.pdf"]
    manifest = json.loads((out / "manifest.json").read_text())
    (entry,) = [f for f in manifest["files"] if f["path"] == "techpack.pdf"]
    assert entry["kind"] == "techpack-pdf"
    assert not list(tmp_path.glob(".out.tmp-*"))  # staging folder gone: written atomically
    from techpack.build import BuildOptions, build
    from techpack.renderers.techpack_pdf import RENDERER

    assert build(folder, out, BuildOptions(), renderers={"techpack-pdf": RENDERER}).up_to_date
    # a change to the 3D model only (not to the spec files) must re-render the PDF: masses and drawings change
    model = folder / "geometry" / "bracket.py"
    model.write_text(model.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    second = build_pdf(folder, out)
    assert "techpack.pdf" in second.rendered
