"""Inside the geometry worker, before any model code runs: seccomp, and an audit hook that names refusals.

Standard library only (the worker imports this after the geometry kernel is loaded).
See :mod:`techpack.geometry.sandbox` for what each layer stops.
"""

from __future__ import annotations

import os
import socket
import struct
import sys
from typing import Any

_REFUSED: list[tuple[str, int | None]] = []
_MODEL_DIR = ""
_MODEL_FILE = ""


class Refused(PermissionError):
    """An operation the geometry sandbox does not allow."""


def refusals() -> list[tuple[str, int | None]]:
    """(operation, model line) of every refused operation, in order; the model may have caught them."""
    return list(_REFUSED)


# --------------------------------------------------------------------------- seccomp (x86-64)

_AUDIT_ARCH_X86_64 = 0xC000003E
_RET_ALLOW, _RET_KILL = 0x7FFF0000, 0x80000000


def _errno(n: int) -> int:
    return 0x00050000 | n


_EPERM, _ENOSYS = 1, 38
_CLONE_THREAD = 0x00010000
# syscall numbers (x86-64) refused outright
_DENY = {57: "fork", 58: "vfork", 59: "execve", 322: "execveat", 101: "ptrace", 200: "tkill", 272: "unshare",
         308: "setns", 165: "mount", 166: "umount2", 321: "bpf", 323: "userfaultfd", 298: "perf_event_open",
         250: "keyctl", 248: "add_key", 249: "request_key", 310: "process_vm_readv", 311: "process_vm_writev",
         424: "pidfd_send_signal", 425: "io_uring_setup", 426: "io_uring_enter", 427: "io_uring_register",
         155: "pivot_root", 161: "chroot", 169: "reboot", 246: "kexec_load", 175: "init_module",
         313: "finit_module"}


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k & 0xFFFFFFFF)


_LD_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06


def _filter(pid: int) -> bytes:
    """The BPF program: refuse what a geometry model never needs; allow the rest."""
    prog = [_insn(_LD_ABS, 0, 0, 4),                       # arch
            _insn(_JEQ, 1, 0, _AUDIT_ARCH_X86_64),
            _insn(_RET, 0, 0, _RET_KILL),
            _insn(_LD_ABS, 0, 0, 0),                       # syscall number
            _insn(_JGE, 0, 1, 0x40000000),                 # x32 ABI: refuse
            _insn(_RET, 0, 0, _errno(_EPERM))]
    for nr in sorted(_DENY):
        prog += [_insn(_JEQ, 0, 1, nr), _insn(_RET, 0, 0, _errno(_EPERM))]
    prog += [_insn(_JEQ, 0, 1, 435), _insn(_RET, 0, 0, _errno(_ENOSYS))]  # clone3: glibc falls back to clone
    # clone: threads only
    prog += [_insn(_JEQ, 0, 4, 56), _insn(_LD_ABS, 0, 0, 16), _insn(_JSET, 0, 1, _CLONE_THREAD),
             _insn(_RET, 0, 0, _RET_ALLOW), _insn(_RET, 0, 0, _errno(_EPERM))]
    # kill / tgkill: only this process
    for nr in (62, 234):
        prog += [_insn(_LD_ABS, 0, 0, 0), _insn(_JEQ, 0, 4, nr), _insn(_LD_ABS, 0, 0, 16),
                 _insn(_JEQ, 0, 1, pid), _insn(_RET, 0, 0, _RET_ALLOW), _insn(_RET, 0, 0, _errno(_EPERM))]
    # socket: local (AF_UNIX) only
    prog += [_insn(_LD_ABS, 0, 0, 0), _insn(_JEQ, 0, 4, 41), _insn(_LD_ABS, 0, 0, 16),
             _insn(_JEQ, 0, 1, socket.AF_UNIX), _insn(_RET, 0, 0, _RET_ALLOW), _insn(_RET, 0, 0, _errno(_EPERM))]
    prog.append(_insn(_RET, 0, 0, _RET_ALLOW))
    return b"".join(prog)


def load_seccomp() -> str:
    """Install the filter on every thread of this process; '' on success, else why not."""
    if not sys.platform.startswith("linux") or os.uname().machine != "x86_64":
        return "seccomp filter is only built for Linux x86-64"
    import ctypes  # noqa: PLC0415

    libc = ctypes.CDLL(None, use_errno=True)
    code = _filter(os.getpid())
    buf = ctypes.create_string_buffer(code, len(code))

    class Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = Fprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
        return f"no_new_privs: errno {ctypes.get_errno()}"
    # seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog)
    libc.syscall.restype = ctypes.c_long
    if libc.syscall(ctypes.c_long(317), ctypes.c_long(1), ctypes.c_long(1), ctypes.byref(prog)) != 0:
        if libc.prctl(22, 2, ctypes.byref(prog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
            return f"seccomp: errno {ctypes.get_errno()}"
    return ""


# --------------------------------------------------------------------------- audit hook


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _model_line() -> int | None:
    f = sys._getframe(2)
    while f is not None:
        if f.f_code.co_filename == _MODEL_FILE:
            return f.f_lineno
        f = f.f_back
    return None


def _caller_is_model() -> bool:
    """The nearest frame outside the standard library's mapping code is the model's own."""
    f = sys._getframe(2)
    while f is not None:
        name = f.f_code.co_filename
        if not name.endswith(("os.py", "_collections_abc.py")) and not name.startswith("<frozen"):
            return name == _MODEL_FILE or (bool(_MODEL_DIR) and name.startswith(_MODEL_DIR + "/"))
        f = f.f_back
    return False


def _refuse(what: str) -> None:
    _REFUSED.append((what, _model_line()))
    raise Refused(f"refused by techpack's geometry sandbox: {what}")


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_PROCESS = {"os.fork", "os.forkpty", "os.posix_spawn", "os.spawn", "os.exec", "os.system", "subprocess.Popen",
            "os.startfile", "pty.spawn", "os.fexecve"}
_WRITE_EVENTS = {"os.remove": 1, "os.rename": 2, "os.replace": 2, "os.mkdir": 1, "os.rmdir": 1, "os.chmod": 1,
                 "os.chown": 1, "os.truncate": 1, "os.link": 2, "os.symlink": 2, "os.utime": 1,
                 "shutil.rmtree": 1, "shutil.copyfile": 2, "shutil.copymode": 2, "shutil.copystat": 2,
                 "shutil.move": 2, "os.mkfifo": 1, "os.mknod": 1, "os.setxattr": 1, "os.removexattr": 1}


def install_audit_hook(model: str, read: list[str], write: str) -> None:
    """Refuse (and record) what a geometry model may not do, naming the operation."""
    global _MODEL_DIR, _MODEL_FILE
    _MODEL_FILE = model
    _MODEL_DIR = os.path.dirname(model)
    read_roots = [os.path.realpath(r) for r in read if r] + [os.path.realpath(write), "/proc/self", f"/proc/{os.getpid()}",
                                                              "/proc/thread-self", "/dev/null", "/dev/zero",
                                                              "/dev/urandom", "/dev/random"]
    write_roots = [os.path.realpath(write), "/dev/null"]
    # read-only binds that may lie inside the writable /tmp (a product folder under /tmp, the input copy)
    read_only = [os.path.realpath(r) for r in read if r]

    def real(p: Any) -> str | None:
        if isinstance(p, int) or p is None:
            return None
        try:
            return os.path.realpath(os.fsdecode(p))
        except (TypeError, ValueError):
            return None

    def check_write(p: Any) -> None:
        r = real(p)
        if r is not None and (not _under(r, write_roots) or _under(r, read_only)):
            _refuse(f"write {r}")

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            r = real(path)
            if r is None:
                return
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS)
            if writing:
                check_write(path)
            elif not _under(r, read_roots):
                _refuse(f"read {r}")
        elif event in ("os.listdir", "os.scandir"):
            r = real(args[0] if args else None)
            if r is not None and not _under(r, read_roots):
                _refuse(f"list the folder {r}")
        elif event in _WRITE_EVENTS:
            for p in args[: _WRITE_EVENTS[event]]:
                check_write(p)
        elif event in _PROCESS:
            prog = args[0] if args and isinstance(args[0], (str, bytes)) else ""
            _refuse(f"start a process ({event}{' ' + os.fsdecode(prog) if prog else ''})")
        elif event in ("os.kill", "os.killpg", "signal.pthread_kill"):
            _refuse(f"send a signal ({event})")
        elif event == "socket.__new__":
            family = args[1] if len(args) > 1 else None
            if family not in (None, -1, socket.AF_UNIX):
                _refuse("use the network (open a network socket)")
        elif event in ("socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"):
            addr = args[1] if len(args) > 1 else ""
            _refuse(f"use the network ({event.split('.')[1]} {addr})")
        elif event in ("ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata"):
            _refuse(f"call native code ({event} {args[0] if args else ''})".replace(" )", ")"))
        elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "urllib.Request"):
            _refuse(f"use the network ({event} {args[0] if args else ''})")

    sys.addaudithook(hook)
    _guard_environ()


def _guard_environ() -> None:
    """Reading a variable the sandbox did not pass is recorded (the model wanted a secret or a setting)."""
    base = type(os.environ)

    class Environ(base):  # type: ignore[misc, valid-type]
        def __getitem__(self, key):
            try:
                return super().__getitem__(key)
            except KeyError:
                if _caller_is_model():
                    _REFUSED.append((f"read the environment variable {key} (the sandbox clears the environment)",
                                     _model_line()))
                raise

    env = os.environ
    os.environ = Environ(env._data, env.encodekey, env.decodekey, env.encodevalue, env.decodevalue)  # type: ignore
