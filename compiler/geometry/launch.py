"""Starting, watching and ending geometry worker processes.

Every worker runs in its own process group (its own session), is registered here
while it lives, and is ended as a whole:

* :func:`stop_all` kills every live worker's process group at once and refuses new
  workers; the command line calls it from its SIGINT/SIGTERM handlers, so Ctrl-C
  returns at once instead of waiting for a geometry timeout, and an ``atexit`` hook
  calls it on any other way out;
* each worker gets ``PR_SET_PDEATHSIG(SIGKILL)`` so it dies with techpack even when
  techpack is killed with SIGKILL (the sandbox adds ``--die-with-parent`` and a PID
  namespace, which also takes any process the model started);
* its stdout and stderr are read with a bound: a model that prints without end is
  stopped and reported, it never fills the parent's memory.
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from typing import Callable

__all__ = ["Finished", "Stopped", "run", "stop_all", "stopping"]

STDOUT_LIMIT = 256 * 1024 * 1024
"""The worker's answer (facts or projected views) may not be larger than this."""
STDERR_LIMIT = 64 * 1024 * 1024
"""More than this on stderr ends the worker (the model is printing without end)."""
STDERR_KEEP = 64 * 1024
"""The last bytes of stderr kept for the error message and debug log."""
_CHUNK = 64 * 1024

_LIVE: set[subprocess.Popen] = set()
_LOCK = threading.Lock()
_STOPPING = threading.Event()


class Stopped(Exception):
    """techpack is being interrupted or terminated: no new worker starts."""


@dataclass
class Finished:
    returncode: int | None
    stdout: bytes
    stderr: str
    """The last STDERR_KEEP bytes of stderr, decoded."""
    timed_out: bool = False
    overflow: str = ""
    """``stdout`` or ``stderr`` when that stream passed its limit (the worker was killed)."""
    stopped: bool = False


def stopping() -> bool:
    return _STOPPING.is_set()


def stop_all() -> None:
    """Kill every live worker's whole process group now; start no new one."""
    _STOPPING.set()
    with _LOCK:
        live = list(_LIVE)
    for proc in live:
        kill_group(proc)


def reset() -> None:
    """Allow workers again (for a library caller that handled an interrupt and goes on)."""
    _STOPPING.clear()


atexit.register(stop_all)


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    try:
        proc.kill()
    except OSError:
        pass


def _pdeathsig() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent already died between fork and prctl
            os._exit(1)
    except Exception:  # noqa: BLE001 - best effort; the sandbox adds --die-with-parent
        pass


class _Reader(threading.Thread):
    """Drains one pipe; keeps at most ``keep`` bytes (the head, or with ``tail`` the end)."""

    def __init__(self, fd: int, keep: int, limit: int, tail: bool, on_overflow: Callable[[], None]) -> None:
        super().__init__(daemon=True)
        self.fd, self.keep, self.limit, self.tail = fd, keep, limit, tail
        self.on_overflow = on_overflow
        self.buf = bytearray()
        self.total = 0
        self.overflow = False

    def run(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, _CHUNK)
            except OSError:
                break
            if not chunk:
                break
            self.total += len(chunk)
            if self.total > self.limit:
                if not self.overflow:
                    self.overflow = True
                    self.on_overflow()
                continue  # keep draining so the writer is not blocked while it dies
            self.buf += chunk
            if self.tail and len(self.buf) > self.keep:
                del self.buf[: len(self.buf) - self.keep]


def run(cmd: list[str], *, env: dict[str, str], cwd: str, timeout: float,
        preexec: Callable[[], None] | None = None, pass_fds: tuple[int, ...] = ()) -> Finished:
    """Run ``cmd`` in its own session; kill its group on timeout, overflow or :func:`stop_all`."""
    if _STOPPING.is_set():
        raise Stopped()

    def child_setup() -> None:  # pragma: no cover - in the child
        _pdeathsig()
        if preexec is not None:
            preexec()

    with _LOCK:  # no stop_all between the check and the registration
        if _STOPPING.is_set():
            raise Stopped()
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env,
            start_new_session=True, preexec_fn=child_setup if sys.platform.startswith("linux") else preexec,
            pass_fds=pass_fds)
        _LIVE.add(proc)
    try:
        out = _Reader(proc.stdout.fileno(), STDOUT_LIMIT, STDOUT_LIMIT, False, lambda: kill_group(proc))
        err = _Reader(proc.stderr.fileno(), STDERR_KEEP, STDERR_LIMIT, True, lambda: kill_group(proc))
        out.start()
        err.start()
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        except BaseException:
            kill_group(proc)
            raise
        finally:
            # Whatever the model left running in its process group goes with it.
            kill_group(proc)
            proc.wait()
        # The pipes close when every process holding them is gone (the group was just killed).
        out.join(5)
        err.join(5)
        return Finished(proc.returncode, bytes(out.buf), bytes(err.buf).decode("utf-8", "replace"),
                        timed_out=timed_out, overflow="stdout" if out.overflow else "stderr" if err.overflow else "",
                        stopped=_STOPPING.is_set())
    finally:
        with _LOCK:
            _LIVE.discard(proc)
        for pipe in (proc.stdout, proc.stderr):
            try:
                pipe.close()
            except OSError:
                pass
