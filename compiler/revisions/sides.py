"""One side of a comparison: a spec folder, a git revision of one, or a built pack.

Every side ends as a spec folder on disk (a temporary copy for git revisions
and packs) so it compiles exactly like ``techpack check`` would.  Problems are
:class:`SideError` with a message in the user's terms (``techpack diff`` exit 2).
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..loader import SPEC_FILE_NAMES
from ..outdir import MANIFEST, MANIFEST_VERSION

PACK_PDF_KIND = "techpack-pdf"


class SideError(Exception):
    """A side cannot be read; the message says why and what to give instead."""


@dataclass
class Side:
    """A spec folder to compile, and where it came from."""

    label: str
    """How reports name the side: the path, ``REV:path`` or ``pack PATH``."""
    path: Path
    """The spec folder (or file) to compile."""
    origin: str  # folder | git | pack
    pack: dict = field(default_factory=dict)
    """For a pack: ``techpack`` version, ``manifest`` version and date it was built with."""
    _tmp: tempfile.TemporaryDirectory | None = None

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "Side":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_side(arg: str, git_rev: str | None = None) -> Side:
    """The side ARG names; with ``git_rev`` ARG is a path inside a git work tree read at that revision."""
    if git_rev is not None:
        return _git_side(git_rev, Path(arg))
    path = Path(arg)
    if not path.exists() and ":" in arg:
        rev, _, rel = arg.partition(":")
        if rev:
            return _git_side(rev, Path(rel or "."))
    if path.is_dir() and (path / MANIFEST).is_file() and not any((path / n).is_file() for n in SPEC_FILE_NAMES):
        return _pack_side(path)
    if not path.exists():
        raise SideError(f"{arg}: no such file or folder (give a spec folder, a built pack, or REV:path of a git "
                        "repository)")
    return Side(arg, path, "folder")


# -- git ------------------------------------------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise SideError("git is not installed; give two spec folders instead") from None
    except subprocess.TimeoutExpired:
        raise SideError(f"git {' '.join(args)} took more than 120 s") from None
    if done.returncode != 0:
        msg = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SideError(f"git {' '.join(args)}: {msg[-1] if msg else 'failed'}")
    return done.stdout


def _git_side(rev: str, path: Path) -> Side:
    where = path if path.is_dir() else (path.parent if str(path.parent) else Path("."))
    if not where.is_dir():
        where = Path(".")
    top = Path(_git(["rev-parse", "--show-toplevel"], where).decode().strip())
    _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top)
    try:
        rel = path.resolve().relative_to(top.resolve())
    except ValueError:
        raise SideError(f"{path} is not inside the git repository at {top}") from None
    tmp = tempfile.TemporaryDirectory(prefix="techpack-rev-")
    root = Path(tmp.name)
    spec_dir = rel if path.suffix not in (".yaml", ".yml") else rel.parent
    data = _git(["archive", "--format=tar", rev, "--", spec_dir.as_posix() or "."], top)
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(root, filter="data")
    except (tarfile.TarError, OSError) as exc:
        tmp.cleanup()
        raise SideError(f"{rev}:{rel.as_posix()}: cannot unpack the revision: {exc}") from None
    target = root / rel
    if not target.exists():
        tmp.cleanup()
        raise SideError(f"{rev}:{rel.as_posix()}: no such path at that revision")
    return Side(f"{rev}:{rel.as_posix() or '.'}", target, "git", _tmp=tmp)


# -- built packs ------------------------------------------------------------------------------------

def _pack_side(folder: Path) -> Side:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SideError(f"{folder / MANIFEST}: not a techpack manifest ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise SideError(f"{folder / MANIFEST}: not a techpack manifest (no file list)")
    built_by = str(manifest.get("techpack", "an unknown version"))
    info = {"techpack": built_by, "manifest": manifest.get("manifest"), "date": manifest.get("source_date")}
    if manifest.get("manifest") not in (None, MANIFEST_VERSION):
        raise SideError(f"{folder}: pack manifest format {manifest.get('manifest')!r} (techpack {built_by}) is not "
                        f"one this techpack reads ({MANIFEST_VERSION}); diff the spec folder or its git revision")
    pdfs = [f.get("path") for f in manifest["files"] if isinstance(f, dict) and f.get("kind") == PACK_PDF_KIND]
    if not pdfs or not isinstance(pdfs[0], str) or not (folder / pdfs[0]).is_file():
        raise SideError(f"{folder}: the pack (built by techpack {built_by}) has no tech-pack PDF to read the spec "
                        "from; diff the spec folder or its git revision instead")
    files = _attachments(folder / pdfs[0], built_by)
    spec_files = {n: d for n, d in files.items() if n.startswith("spec/")}
    if not spec_files:
        raise SideError(f"{folder / pdfs[0]}: no spec is attached (a pack built with --no-pdf-a, or by a techpack "
                        f"older than the PDF/A attachments; this one was built by techpack {built_by}); diff the "
                        "spec folder or its git revision instead")
    tmp = tempfile.TemporaryDirectory(prefix="techpack-pack-")
    root = Path(tmp.name)
    for name, data in files.items():
        rel = _safe(name.split("/", 1)[1]) if name.startswith(("spec/", "models/")) else None
        if rel is None:
            continue
        dest = root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    return Side(f"pack {folder}", root, "pack", info, _tmp=tmp)


def _safe(rel: str) -> PurePosixPath | None:
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or any(part in ("..", "") for part in p.parts):
        return None
    return p


def _attachments(pdf: Path, built_by: str) -> dict[str, bytes]:
    from pypdf import PdfReader  # noqa: PLC0415
    from pypdf.errors import PyPdfError  # noqa: PLC0415

    try:
        reader = PdfReader(pdf)
        return {name: data[0] for name, data in reader.attachments.items() if data}
    except (PyPdfError, OSError, ValueError, KeyError) as exc:
        raise SideError(f"{pdf}: cannot read its attachments ({exc}); the pack was built by techpack {built_by}") from None
