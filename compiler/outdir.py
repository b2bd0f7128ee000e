"""The output folder: what may be replaced, one build at a time, staged and swapped into place.

A build replaces OUT as a whole, so OUT must be something techpack may replace:

* absent, or an empty folder, or
* a folder that a techpack build wrote: it holds a techpack ``manifest.json`` and nothing that the
  manifest does not list.

Anything else is refused before any work (:func:`refusal`): the product folder or a folder holding
it, a folder holding a capability file, the working folder or one holding it, the home folder, ``/``,
and any folder with files no build wrote.

One build per OUT at a time: :func:`locked` holds an exclusive lock on ``.<OUT>.lock`` beside OUT
(the file is removed when the build ends). A second build waits for the first.

Staging folders are ``.<OUT>.tmp-<random>`` beside OUT, each with a marker file that techpack
wrote; the sweep of a killed build's leftovers removes only folders with that literal prefix that
carry the marker (or a complete pack of ours, the previous pack a killed swap left behind).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from . import libc

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
STAGING_MARKER = ".techpack-staging"
_MARKER_TEXT = b"techpack staging folder: removed by the next build of the same output folder\n"

# errno values that mean "the place cannot be written", a user's situation rather than a bug
WRITE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EBUSY,
                errno.EXDEV, errno.ESTALE, errno.ENAMETOOLONG, errno.EMLINK, errno.EFBIG, errno.ENOTDIR}


class OutputProblem(Exception):
    """The output folder cannot be used or written; the message says why in the user's terms."""


def read_manifest(out: Path) -> dict | None:
    """The manifest of a pack techpack wrote in ``out``, or None."""
    path = out / MANIFEST
    try:
        if out.is_symlink() or path.is_symlink():
            return None
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(doc, dict) and doc.get("manifest") == MANIFEST_VERSION
            and isinstance(doc.get("files"), list)
            and all(isinstance(f, dict) and isinstance(f.get("path"), str) for f in doc["files"])):
        return None
    return doc


def _is_within(inner: Path, outer: Path) -> bool:
    """``inner`` is ``outer`` or lies below it (both resolved)."""
    return inner == outer or outer in inner.parents


def _strangers(out: Path, manifest: dict) -> list[str]:
    """Entries of ``out`` that the manifest does not account for (sorted, relative)."""
    listed = {MANIFEST} | {f["path"] for f in manifest["files"]}
    dirs = {p.as_posix() for f in listed for p in Path(f).parents if p != Path(".")}
    found = []
    for dirpath, dirnames, filenames in os.walk(out):
        rel = Path(dirpath).relative_to(out)
        for name in sorted(dirnames):
            r = (rel / name).as_posix()
            if r not in dirs:
                found.append(r + "/")
        dirnames[:] = sorted(n for n in dirnames if (rel / n).as_posix() in dirs)
        found += [(rel / n).as_posix() for n in sorted(filenames) if (rel / n).as_posix() not in listed]
    return sorted(found)


def refusal(out: Path, product: Path, inputs: list[Path] = ()) -> str | None:
    """Why ``out`` must not be replaced by a build of the product in ``product``, or None when it may."""
    shown = str(out)
    if out.is_symlink():
        return f"the output folder {shown} is a link; give a real folder"
    if out.exists() and not out.is_dir():
        return f"the output folder {shown} is a file; give a folder"
    try:
        real = out.resolve()
        cwd = Path.cwd().resolve()
    except (OSError, RuntimeError) as exc:
        return f"the output folder {shown} cannot be resolved: {exc}"
    if real.parent == real:
        return f"the output folder {shown} is the root of the file system; give a folder of its own"
    home = Path(os.path.expanduser("~"))
    with contextlib.suppress(OSError, RuntimeError):
        if real == home.resolve():
            return f"the output folder {shown} is the home folder; give a folder of its own, e.g. {shown}/pack"
    if _is_within(product.resolve(), real):
        what = "is the product folder" if product.resolve() == real else "holds the product folder"
        return (f"the output folder {shown} {what}; a build replaces its output folder as a whole, "
                "so give a folder outside the spec, e.g. out/<product>")
    for path in inputs:
        with contextlib.suppress(OSError, RuntimeError):
            if _is_within(path.resolve(), real):
                return f"the output folder {shown} holds the input {path}; give a folder of its own"
    if _is_within(cwd, real):
        what = "is the working folder" if cwd == real else "holds the working folder"
        return f"the output folder {shown} {what}; give a folder of its own, e.g. out/pack"
    if not out.exists():
        return None
    try:
        empty = not any(os.scandir(out))
    except OSError as exc:
        return f"the output folder {shown} cannot be read: {exc.strerror}"
    if empty:
        return None
    manifest = read_manifest(out)
    if manifest is None:
        return (f"the output folder {shown} is not empty and no techpack build wrote it (no techpack "
                "manifest.json); a build replaces it as a whole, so give an empty or new folder")
    strangers = _strangers(out, manifest)
    if strangers:
        named = ", ".join(repr(s) for s in strangers[:3]) + (f" and {len(strangers) - 3} more"
                                                             if len(strangers) > 3 else "")
        return (f"the output folder {shown} holds files that no techpack build wrote ({named}); "
                "a build replaces it as a whole, so move them away or give another folder")
    return None


# -- one build per output folder ------------------------------------------------------------------

def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextlib.contextmanager
def locked(out: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock for the duration of a build; wait while another build holds it."""
    path = lock_path(out)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    waiting(f"waiting for another build of {out} to finish"
                            + (f" (process {holder})" if holder.isdigit() else ""))
                fcntl.flock(fd, fcntl.LOCK_EX)
            # the holder before us may have removed the file: then lock the new one
            try:
                same = os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        break
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)  # while still holding it, so no one else can hold this inode's lock
        os.close(fd)


# -- staging and the swap ---------------------------------------------------------------------------

def _staging_prefix(out: Path) -> str:
    return f".{out.name}.tmp-"


def make_staging(out: Path) -> Path:
    """A new, marked staging folder beside ``out`` (with the permissions of an ordinary folder)."""
    staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(out), dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp makes it private; the pack is an ordinary folder
    (staging / STAGING_MARKER).write_bytes(_MARKER_TEXT)
    return staging


def _scratch_prefix(out: Path) -> str:
    return f".{out.name}.render-"


def make_scratch(out: Path) -> Path:
    """A new, marked folder beside ``out`` for the render processes' temporary files (WeasyPrint's fonts):
    the build removes it when its render host is reaped, and the next build of ``out`` removes one that a
    killed build left (:func:`remove_stale_scratch`), as it does a staging folder."""
    scratch = Path(tempfile.mkdtemp(prefix=_scratch_prefix(out), dir=out.parent))
    (scratch / STAGING_MARKER).write_bytes(_MARKER_TEXT)
    return scratch


def remove_stale_scratch(out: Path) -> list[Path]:
    """Remove render scratch folders of ``out`` left by a killed build (the caller holds ``out``'s lock and has
    not started its own render host yet)."""
    return _remove_marked(out, _scratch_prefix(out))


def _ours(folder: Path) -> bool:
    marker = folder / STAGING_MARKER
    if marker.is_file() and not marker.is_symlink():
        with contextlib.suppress(OSError):
            if marker.read_bytes() == _MARKER_TEXT:
                return True
    manifest = read_manifest(folder)
    return manifest is not None and not _strangers(folder, manifest)


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove staging folders of ``out`` left by a killed build (the caller holds ``out``'s lock)."""
    return _remove_marked(out, _staging_prefix(out))


def _remove_marked(out: Path, prefix: str) -> list[Path]:
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(out.parent):
            if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
                continue
            path = Path(entry.path)
            if _ours(path):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
    return removed


def verify(staging: Path, manifest: dict) -> list[str]:
    """What in ``staging`` does not match ``manifest`` (empty when the pack is exactly what it lists)."""
    problems = [f"unexpected {s}" for s in _strangers(staging, manifest) if s != STAGING_MARKER]
    for f in manifest["files"]:
        p = staging / f["path"]
        try:
            fd = os.open(p, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            problems.append(f"missing {f['path']}")
            continue
        h = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
        if size != f["size"] or h.hexdigest() != f["sha256"]:
            problems.append(f"changed {f['path']}")
    return problems


def fsync_tree(root: Path) -> None:
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fd = os.open(root, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False where unsupported."""
    fn = libc.function("renameat2")
    if fn is None:
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, getattr(errno, "ENOTSUP", errno.EINVAL)):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_into_place(staging: Path, out: Path) -> None:
    """Put the finished ``staging`` at ``out``; the previous ``out`` is removed only after the swap."""
    (staging / STAGING_MARKER).unlink()
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging)  # now holds the previous pack
        return
    backup = staging.with_name(staging.name + "-old")
    os.rename(out, backup)
    os.rename(staging, out)
    shutil.rmtree(backup)


def describe_os_error(exc: OSError, out: Path) -> str:
    """An OSError while writing the pack, in the user's terms."""
    where = exc.filename if exc.filename else out.parent
    reason = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exhausted",
              errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
              errno.EPERM: "operation not permitted", errno.EBUSY: "the folder is in use (a mount point?)",
              errno.EXDEV: "the output folder is on another file system than its parent",
              errno.ESTALE: "the staging folder was removed by someone else during the build"}.get(
                  exc.errno, exc.strerror or str(exc))
    return (f"cannot write the pack to {out}: {reason} ({where}); nothing was changed, "
            "the previous pack is intact")
