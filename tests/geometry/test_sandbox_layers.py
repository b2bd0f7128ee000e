"""Each confinement layer on its own, without the audit hook that names refusals: the kernel stops
what the hook would have named (a model can go around Python; it cannot go around the kernel)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from techpack.geometry import confine, launch, sandbox

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed")


def run_confined(tmp_path: Path, code: str, *, kind: str = "cadquery") -> launch.Finished:
    """Run ``python -c CODE`` as the geometry worker would be run on a model in tmp_path/product."""
    product = tmp_path / "product"
    product.mkdir(exist_ok=True)
    (product / "techpack.yaml").write_text("spec: unchanged\n")
    model = product / "model.py"
    model.write_text("result = None\n")
    private = tmp_path / "private"
    (private / "in").mkdir(parents=True, exist_ok=True)
    source = private / "in" / "model.py"
    source.write_bytes(model.read_bytes())
    how = sandbox.plan(["-c", code, str(source)], kind=kind, model=model, source=source, private=private)
    return launch.run(how.cmd, env=how.env, cwd=how.cwd, timeout=60, preexec=lambda: sandbox.rlimits(60))


@needs_bwrap
def test_this_machine_confines():
    """CI installs bubblewrap (.ci/run): the sandbox tests must really run confined there."""
    assert sandbox.available() == ""


@needs_bwrap
@pytest.mark.parametrize("code, expect", [
    ("open('/etc/passwd').read()", "FileNotFoundError"),
    ("open('../beside-the-product.txt').read()", "FileNotFoundError"),
    ("open('techpack.yaml', 'a').write('x')", "Read-only file system"),
    ("open('/tmp/x', 'w').write('x')", "Read-only file system"),
    ("import socket; socket.create_connection(('127.0.0.1', PORT), timeout=5)", "ConnectionRefusedError"),
])
def test_namespaces_stop_it(tmp_path, code, expect):
    (tmp_path / "beside-the-product.txt").write_text("secret")
    listener = socket.create_server(("127.0.0.1", 0))  # a service of the host, on its loopback
    with listener:
        done = run_confined(tmp_path, code.replace("PORT", str(listener.getsockname()[1])))
    assert done.returncode == 1
    assert expect in done.stderr
    assert (tmp_path / "product" / "techpack.yaml").read_text() == "spec: unchanged\n"


@needs_bwrap
def test_private_tmp_is_writable_and_environment_is_cleared(tmp_path, monkeypatch):
    monkeypatch.setenv("TECHPACK_TEST_SECRET", "ghp_not-a-real-token")
    code = ("import os, tempfile; f = tempfile.NamedTemporaryFile(); f.write(b'ok'); "
            "print(sorted(os.environ)); print(os.getpid(), len([p for p in os.listdir('/proc') if p.isdigit()]))")
    done = run_confined(tmp_path, code)
    assert done.returncode == 0, done.stderr
    env_line, pid_line = done.stdout.decode().splitlines()
    assert "TECHPACK_TEST_SECRET" not in env_line
    pid, visible = (int(v) for v in pid_line.split())
    assert pid < 10 and visible < 10  # its own PID namespace: it sees only itself and bubblewrap's init


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.uname().machine != "x86_64",
                    reason="the seccomp filter is built for Linux x86-64")
@pytest.mark.parametrize("call", ["os.fork()", "os.execv('/bin/true', ['true'])",
                                  "socket.socket(socket.AF_INET, socket.SOCK_STREAM)", "os.kill(1, 0)"])
def test_seccomp_stops_it_without_bubblewrap(call):
    code = ("import os, socket, sys; sys.path.insert(0, sys.argv[1]); from techpack.geometry import confine; "
            f"assert confine.load_seccomp() == ''\ntry:\n    {call}\nexcept PermissionError:\n    print('refused')")
    proc = subprocess.run([sys.executable, "-c", code, str(Path(confine.__file__).parents[2])],
                          capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "refused", proc.stderr


def test_threads_still_work_under_seccomp():
    code = ("from techpack.geometry import confine; assert confine.load_seccomp() == ''\n"
            "import threading; out = []; t = threading.Thread(target=lambda: out.append(1)); t.start(); t.join()\n"
            "print(out)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[1]", proc.stderr


def test_the_probe_runs_while_the_spec_loads_once_and_no_thread_outlives_the_compilation(example, monkeypatch):
    """compile_spec starts bubblewrap's probe in a thread before it loads the spec; load_geometry waits for that
    answer instead of probing again, and the compilation returns with the thread ended (a build forks next)."""
    import functools
    import threading

    from techpack import engine
    from techpack.engine import Options, compile_spec

    calls, loaded_first = [], []
    monkeypatch.setattr(sandbox, "_SOON", [])
    monkeypatch.setattr(sandbox, "_probe", functools.lru_cache(maxsize=None)(  # cached, as the real one is
        lambda bwrap: calls.append(threading.current_thread().name) or "bubblewrap cannot create namespaces (test)"))
    real_load = engine.load_spec
    monkeypatch.setattr(engine, "load_spec", lambda *a: loaded_first.append(len(sandbox._SOON)) or real_load(*a))
    spec = example("bracket")
    result = compile_spec(spec, Options(geometry=True))
    assert calls == ["techpack-sandbox-probe"]  # one probe, in its thread, not in load_geometry
    assert loaded_first == [1]  # started before the spec loaded
    assert not [t for t in threading.enumerate() if t.name == "techpack-sandbox-probe"]
    assert [d.code for d in result.diagnostics.items if d.code == "TP111"] == ["TP111"]  # its answer was used
    monkeypatch.setattr(sandbox, "_SOON", [])
    compile_spec(spec, Options(geometry=False))
    assert sandbox._SOON == [] and calls == ["techpack-sandbox-probe"]  # no geometry, no probe
