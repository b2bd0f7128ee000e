"""The output folder is never a user's files, one build writes it at a time, and a failure to write leaves
the previous pack intact."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from techpack import outdir
from techpack.build import BuildOptions, build
from techpack.renderers.base import Output, Target

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from techpack.build import build, BuildOptions
    from techpack.renderers.base import Target

    SIZE, COUNT, DELAY = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])

    class Fake:
        name = "fake"
        def targets(self, comp):
            return [Target(f"f{i}.bin", "fake") for i in range(COUNT)]
        def render(self, comp, out, targets):
            for t in targets:
                out.write(t.path, bytes([len(t.path)]) * SIZE)
                print("wrote", t.path, flush=True)
                time.sleep(DELAY)

    def say(msg):
        print(msg, flush=True)

    r = build(Path(sys.argv[1]), Path(sys.argv[2]), BuildOptions(force=True), renderers={"fake": Fake()},
              progress=say)
    for d in r.diagnostics:
        print(d.code, d.message, flush=True)
    sys.exit(0 if r.written else 2)
""")


@pytest.fixture
def enclosure(example):
    return example("enclosure")


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "fake_build.py"
    path.write_text(SCRIPT)
    return path


def fake_build(script: Path, spec: Path, out: Path, size=10, count=3, delay=0.0, prefix=(), **kw):
    return subprocess.run([*prefix, sys.executable, str(script), str(spec), str(out), str(size), str(count),
                           str(delay)], capture_output=True, text=True, timeout=300, **kw)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def pack_matches_manifest(out: Path) -> bool:
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {f["path"] for f in manifest["files"]} | {"manifest.json"}
    present = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    return present == listed and all(
        hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"] for f in manifest["files"])


class Fake:
    name = "fake"

    def targets(self, comp):
        return [Target("a.txt", "fake")]

    def render(self, comp, out, targets):
        out.write("a.txt", b"a\n")


def run(spec, out, **kw):
    return build(spec, out, BuildOptions(**kw), renderers={"fake": Fake()})


# -- what may be replaced ---------------------------------------------------------------------------

def test_the_product_folder_is_refused_before_any_work(enclosure):
    before = tree(enclosure)
    result = run(enclosure, enclosure)
    assert result.diagnostics.codes() == ["TP007"] and not result.written
    assert "is the product folder" in result.diagnostics.items[0].message
    assert tree(enclosure) == before


def test_a_folder_holding_the_product_is_refused(enclosure):
    before = tree(enclosure.parent)
    result = run(enclosure, enclosure.parent)
    assert result.diagnostics.codes() == ["TP007"]
    assert tree(enclosure.parent) == before


def test_a_folder_holding_a_capability_file_is_refused(enclosure, tmp_path):
    caps = tmp_path / "caps"
    caps.mkdir()
    shutil.copy(ROOT / "specs/capability/basic-3axis-shop.yaml", caps / "shop.yaml")
    result = run(enclosure, caps, capability=[caps / "shop.yaml"])
    assert result.diagnostics.codes() == ["TP007"] and "holds the input" in result.diagnostics.items[0].message


def test_the_home_folder_is_refused(enclosure, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    result = run(enclosure, home)
    assert result.diagnostics.codes() == ["TP007"] and "home folder" in result.diagnostics.items[0].message
    assert list(home.iterdir()) == []


def test_an_empty_folder_is_accepted_and_a_pack_replaced(enclosure, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert run(enclosure, out).written
    assert run(enclosure, out, force=True).written  # a pack techpack wrote may be replaced
    assert pack_matches_manifest(out)


def test_a_pack_with_a_users_file_in_it_is_refused(enclosure, tmp_path):
    out = tmp_path / "out"
    run(enclosure, out)
    (out / "sub").mkdir()
    (out / "sub" / "notes.txt").write_text("mine\n")
    result = run(enclosure, out, force=True)
    assert result.diagnostics.codes() == ["TP007"]
    assert "'sub/'" in result.diagnostics.items[0].message
    assert (out / "sub" / "notes.txt").read_text() == "mine\n"


def test_a_forged_manifest_does_not_make_a_folder_replaceable(enclosure, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"manifest": 1, "files": []}')
    (out / "thesis.tex").write_text("work\n")
    assert run(enclosure, out).diagnostics.codes() == ["TP007"]
    assert (out / "thesis.tex").exists()


def test_cli_refusal_exits_2_with_one_clean_line(enclosure, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "techpack.cli", "build", str(enclosure), "-o", str(enclosure)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "error TP007: the output folder" in proc.stdout
    assert (enclosure / "techpack.yaml").is_file()


def test_dry_run_reports_a_refused_folder_too(enclosure):
    result = run(enclosure, enclosure, dry_run=True)
    assert result.diagnostics.codes() == ["TP007"]


# -- staging leftovers --------------------------------------------------------------------------------

def test_the_sweep_removes_only_marked_staging_folders_matched_literally(enclosure, tmp_path):
    out = tmp_path / "o*"
    mine = [tmp_path / ".o*.tmp-mine", tmp_path / ".other.tmp-1", tmp_path / ".ox.tmp-2"]
    for folder in mine:
        folder.mkdir()
        (folder / "keep.txt").write_text("user data\n")
    stale = outdir.make_staging(out)  # what a killed build leaves
    (stale / "half.txt").write_text("x")
    assert run(enclosure, out).written
    assert not stale.exists()
    assert all((folder / "keep.txt").read_text() == "user data\n" for folder in mine)
    assert not (out / outdir.STAGING_MARKER).exists()


def test_a_writer_never_recreates_a_removed_staging_folder(tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    output = Output(staging, {"d/a.txt": Target("d/a.txt", "x")})
    shutil.rmtree(staging)
    with pytest.raises(OSError):
        output.write("d/a.txt", b"x")
    assert not staging.exists()


# -- one build at a time ----------------------------------------------------------------------------

def test_two_builds_of_one_folder_at_once_leave_a_complete_pack(enclosure, tmp_path, script):
    out = tmp_path / "out"
    procs = [subprocess.Popen([sys.executable, str(script), str(enclosure), str(out), "100", "20", "0.02"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert any("waiting for another build of" in o for o in outputs), outputs
    assert pack_matches_manifest(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["enclosure", "out", "fake_build.py"])


def test_the_lock_is_released_and_its_file_removed(tmp_path):
    out = tmp_path / "out"
    with outdir.locked(out):
        assert outdir.lock_path(out).read_text().strip() == str(os.getpid())
    assert not outdir.lock_path(out).exists()
    with outdir.locked(out):  # and can be taken again
        pass


# -- places that cannot be written (real file systems, in a private mount namespace) -------------

def _namespaces_available() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                            "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


needs_ns = pytest.mark.skipif(not _namespaces_available(),
                              reason="needs unshare with user and mount namespaces to mount a small tmpfs")


def _in_small_fs(tmp_path: Path, commands: str) -> subprocess.CompletedProcess:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-ec",
                           f"mount -t tmpfs -o size=2m tmpfs {mnt}\n{commands}"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)


@needs_ns
def test_a_full_disk_is_a_clean_error_and_the_previous_pack_survives(enclosure, tmp_path, script):
    mnt = tmp_path / "mnt"
    py = f"{sys.executable} {script} {enclosure} {mnt}/out"
    proc = _in_small_fs(tmp_path, f"""
        {py} 1000 2 0
        sha256sum {mnt}/out/* > {tmp_path}/before.txt
        set +e
        {py} 400000 10 0 > {tmp_path}/second.txt 2>&1
        echo $? > {tmp_path}/rc.txt
        sha256sum {mnt}/out/* > {tmp_path}/after.txt
        ls -a {mnt} > {tmp_path}/ls.txt
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    second = (tmp_path / "second.txt").read_text()
    assert (tmp_path / "rc.txt").read_text().strip() == "2", second
    assert "TP008" in second and "the disk is full" in second and "Traceback" not in second
    assert (tmp_path / "before.txt").read_text() == (tmp_path / "after.txt").read_text()
    assert sorted((tmp_path / "ls.txt").read_text().split()) == [".", "..", "out"]  # no staging left


@needs_ns
def test_a_read_only_place_is_a_clean_error_and_the_previous_pack_survives(enclosure, tmp_path, script):
    mnt = tmp_path / "mnt"
    py = f"{sys.executable} {script} {enclosure} {mnt}/out"
    proc = _in_small_fs(tmp_path, f"""
        {py} 1000 2 0
        sha256sum {mnt}/out/* > {tmp_path}/before.txt
        mount -o remount,ro {mnt}
        set +e
        {py} 1000 2 0 > {tmp_path}/second.txt 2>&1
        echo $? > {tmp_path}/rc.txt
        sha256sum {mnt}/out/* > {tmp_path}/after.txt
    """)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    second = (tmp_path / "second.txt").read_text()
    assert (tmp_path / "rc.txt").read_text().strip() == "2", second
    assert "TP008" in second and "read-only" in second and "Traceback" not in second
    assert (tmp_path / "before.txt").read_text() == (tmp_path / "after.txt").read_text()
