"""The geometry worker's confinement: what a STEP file or a stranger's cadquery model can reach.

Layers, outermost first (each stops something the others do not):

* **bubblewrap** (``bwrap``, Debian's ``bubblewrap``): new user, mount, PID, network,
  IPC and UTS namespaces.  The file system is rebuilt from read-only binds of the
  Python installation, techpack's code, ``/usr`` and the model's own folder; the only
  writable place is a private, size-limited tmpfs (HOME and TMPDIR); home, ``/etc``, other products,
  the geometry cache and the spec are simply absent or read-only.  No network (an own,
  empty network namespace).  The worker is PID 1's child in its own PID namespace:
  killing it kills every process the model started, and ``--die-with-parent`` ends it
  with techpack.  All capabilities are dropped.
* **rlimits** (set before the sandbox starts, inherited): CPU seconds, file size, open
  files, no core files; the worker adds an address-space limit after importing the kernel.
* **seccomp** (loaded by the worker itself, before any model code, with
  ``no_new_privs``): no new processes (fork, vfork, clone without CLONE_THREAD), no
  exec, no network sockets, no signals to other processes, no ptrace, mount, unshare,
  BPF or io_uring.  Works without bubblewrap too.
* **cleared environment**: an allow-list only (PATH, HOME=/tmp, LANG, Python's own
  switches); tokens and secrets of the calling shell never reach the model.
* **audit hook** (Python's ``sys.addaudithook``): names what the model tried - "read
  /etc/passwd", "start a process", "use the network" - so the finding says which
  operation was refused, and a model that catches the refusal still fails.  It is a
  diagnosis, not a boundary: the layers above are what stop a model that goes around it.

Where bubblewrap is missing or cannot create namespaces the worker still runs with the
other layers, and the check says so (TP111); ``--sandbox=require`` makes that an error
(TP112) for CI that builds other people's specs.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MODES", "Plan", "available", "mode", "plan", "set_mode"]

MODES = ("auto", "require")
TMP_BYTES = 256 * 1024 * 1024
"""Size of the worker's private /tmp (memory-backed)."""
FILE_BYTES = 256 * 1024 * 1024
"""RLIMIT_FSIZE: the largest file the worker may write."""
NOFILE = 1024
PRIVATE_TMP = "/run/techpack-tmp"
"""The worker's private, memory-backed temporary folder inside the sandbox (HOME and TMPDIR)."""

_MODE = "auto"


def set_mode(value: str) -> None:
    """``auto``: confine when the machine can, else run with a warning; ``require``: confine or refuse."""
    global _MODE
    if value not in MODES:
        raise ValueError(f"sandbox mode must be one of {MODES}, not {value!r}")
    _MODE = value


def mode() -> str:
    return _MODE


def _bwrap() -> str | None:
    """``$TECHPACK_BWRAP`` (a path; empty = none), else ``bwrap`` on PATH."""
    env = os.environ.get("TECHPACK_BWRAP")
    if env is not None:
        return env if env and os.access(env, os.X_OK) else None
    return shutil.which("bwrap")


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("lib", "lib64", "lib32", "bin", "sbin"):
        p = Path("/") / name
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            args += ["--ro-bind", str(p), str(p)]
    for f in ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/fonts", "/etc/alternatives"):
        args += ["--ro-bind-try", f, f]
    return args


_NAMESPACES = ["--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
               "--unshare-cgroup-try", "--uid", "65534", "--gid", "65534", "--hostname", "techpack-geometry",
               "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--clearenv"]


@functools.lru_cache(maxsize=None)
def _probe(bwrap: str | None) -> str:
    """'' when bubblewrap can confine here, else why not (one line)."""
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    cmd = [bwrap, *_NAMESPACES, *_system_binds(), "--proc", "/proc", "--dev", "/dev",
           "--tmpfs", PRIVATE_TMP, "--remount-ro", "/", "--", "/usr/bin/env", "true"]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"bubblewrap could not be run: {exc}"
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"bubblewrap cannot create namespaces here ({why[-1] if why else f'exit status {proc.returncode}'})"
    return ""


_SOON: list = []  # the thread probe_soon started, if any


def probe_soon() -> None:
    """Start the probe (:func:`available`) in a thread, once per process, so that its answer is ready when the
    first geometry worker is planned: bubblewrap takes about 0.1 s to set up its namespaces, and a compilation
    with a model asks on every build, cached or not, as its findings say whether the models run confined. The
    thread only starts bubblewrap (a fork and exec, no Python in the child); :func:`available` waits for it."""
    if not _SOON:
        thread = threading.Thread(target=lambda: _probe(_bwrap()), name="techpack-sandbox-probe", daemon=True)
        _SOON.append(thread)
        thread.start()


def settle() -> None:
    """Wait for the probe :func:`probe_soon` started (at once when there is none or it has ended)."""
    if _SOON:
        _SOON[0].join()


def available() -> str:
    """'' when geometry workers run confined on this machine, else the reason they cannot."""
    settle()  # the same question: never two probes at once
    return _probe(_bwrap())


def _python_roots() -> list[str]:
    """The folders the worker's Python needs to read: installation, site-packages, techpack's code."""
    import techpack  # noqa: PLC0415

    home = os.path.realpath(os.path.expanduser("~"))
    cwd = os.path.realpath(os.getcwd())
    cands = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
             os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))),
             os.path.dirname(os.path.realpath(techpack.__file__))]
    cands += [p for p in sys.path if p and os.path.isdir(p)]  # not '' (the working folder)
    roots: list[str] = []
    for c in cands:
        r = os.path.realpath(c)
        if not os.path.isdir(r) or r in ("/", home, cwd) or home.startswith(r.rstrip("/") + "/"):
            continue  # never the whole file system or a folder holding the home folder
        if r.startswith(("/proc", "/sys", "/dev")):
            continue
        roots.append(r)
    roots = sorted(set(roots))
    return [r for r in roots if not any(r != o and r.startswith(o.rstrip("/") + "/") for o in roots)]


def _env(tmp: str, read: list[str], write: str) -> dict[str, str]:
    """The worker's whole environment: an allow-list, nothing of the caller's."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": tmp,
        "TMPDIR": tmp,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MALLOC_ARENA_MAX": "2",  # few arenas: each reserves 64 MiB that RLIMIT_AS would count
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "PYTHONFAULTHANDLER": "1",
        "PYTHONNOUSERSITE": "1",
        "PYTHONHASHSEED": "0",
        "TECHPACK_SANDBOX_READ": os.pathsep.join(read),
        "TECHPACK_SANDBOX_WRITE": write,
    }
    # techpack importable as in the parent (an editable install or PYTHONPATH); never the working folder
    roots = _python_roots()
    entries = [os.path.realpath(p) for p in sys.path if p and os.path.isdir(p)]
    env["PYTHONPATH"] = os.pathsep.join(p for p in entries if any(p == r or p.startswith(r + "/") for r in roots))
    return env


@dataclass
class Plan:
    """How to start one worker: the command, its environment and working folder, and whether it is confined."""

    cmd: list[str]
    env: dict[str, str]
    cwd: str
    confined: bool


def plan(worker: list[str], *, kind: str, model: Path, source: Path, private: Path) -> Plan:
    """The command that runs ``worker`` (argv after the interpreter) on ``source``.

    ``model`` is the model's real path (its folder is readable for a cadquery model's
    own helper modules), ``source`` the copy of the bytes that were checked, ``private``
    a fresh folder of the caller's that holds it.
    """
    roots = _python_roots()
    folder = str(model.parent)
    read = [*roots, "/usr"] + ([folder] if kind == "cadquery" else [])
    bwrap = _bwrap()
    if available() == "":
        src = f"/input/{source.name}"
        argv = [sys.executable, *[src if a == str(source) else a for a in worker]]
        env = _env(PRIVATE_TMP, read + ["/input"], PRIVATE_TMP)
        cmd = [bwrap, *_NAMESPACES]
        for k, v in env.items():
            cmd += ["--setenv", k, v]
        cmd += ["--proc", "/proc", "--dev", "/dev"]
        cmd += _system_binds()
        for r in roots:
            cmd += ["--ro-bind", r, r]
        if kind == "cadquery":
            cmd += ["--ro-bind", folder, folder]
        # the private tmpfs is the one writable place: the root (and the folders bwrap made in it to
        # hold the binds, e.g. /tmp/<where the product is>) is read-only
        cmd += ["--ro-bind", str(private / "in"), "/input", "--size", str(TMP_BYTES), "--tmpfs", PRIVATE_TMP,
                "--remount-ro", "/", "--chdir", folder if kind == "cadquery" else PRIVATE_TMP, "--", *argv]
        return Plan(cmd, {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, "/", True)
    work = private / "tmp"
    work.mkdir(exist_ok=True)
    env = _env(str(work), read + [str(private / "in")], str(work))
    return Plan([sys.executable, *worker], env, folder if kind == "cadquery" else str(work), False)


def rlimits(timeout: float) -> None:  # pragma: no cover - runs in the child between fork and exec
    """CPU, file size, open files, no core files: inherited by bubblewrap and the worker."""
    import resource

    cpu = int(math.ceil(timeout)) * 4 + 30  # threads count too; the wall-clock timeout comes first
    for what, value in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_CPU, cpu),
                        (resource.RLIMIT_FSIZE, FILE_BYTES), (resource.RLIMIT_NOFILE, NOFILE)):
        try:
            soft, hard = resource.getrlimit(what)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(what, (value, hard))
        except (ValueError, OSError):
            pass
