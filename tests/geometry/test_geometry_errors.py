"""Every way a model or STEP file can fail ends in a GeometryError with a sentence."""

from __future__ import annotations

import time

import pytest

from techpack.geometry import GeometryError, load_facts


def fails(path, kind, cache_dir, **kw) -> GeometryError:
    with pytest.raises(GeometryError) as info:
        load_facts(path, kind, cache_dir=cache_dir, **kw)
    err = info.value
    assert "Traceback" not in err.message
    assert str(err) == err.message
    return err


def test_garbage_step(tmp_path, cache_dir):
    p = tmp_path / "junk.step"
    p.write_text("this is not a STEP file\n")
    err = fails(p, "step", cache_dir)
    assert err.message == "STEP file could not be read: not a valid STEP file"


def test_step_without_shapes(tmp_path, cache_dir):
    p = tmp_path / "nodata.step"
    p.write_text("ISO-10303-21;\nHEADER;\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n")
    err = fails(p, "step", cache_dir)
    assert err.message == "STEP file could not be read: no shapes found"


def test_empty_step(tmp_path, cache_dir):
    p = tmp_path / "empty.step"
    p.write_bytes(b"")
    err = fails(p, "step", cache_dir)
    assert err.message == "STEP file could not be read: the file is empty"


def test_missing_file(tmp_path, cache_dir):
    err = fails(tmp_path / "nope.step", "step", cache_dir)
    assert err.message.startswith("STEP file not found: ")


def test_script_that_raises(write_model, cache_dir):
    p = write_model("bad.py", """
        import cadquery as cq
        x = 1
        result = foo
    """)
    err = fails(p, "cadquery", cache_dir)
    assert err.message == "cadquery model failed: NameError: name 'foo' is not defined (line 3)"


def test_script_with_syntax_error(write_model, cache_dir):
    p = write_model("syntax.py", "import cadquery as cq\nresult = (\n")
    err = fails(p, "cadquery", cache_dir)
    assert err.message.startswith("cadquery model failed: SyntaxError: ")
    assert err.message.endswith("(line 2)")


def test_script_without_result(write_model, cache_dir):
    p = write_model("nores.py", """
        import cadquery as cq
        part = cq.Workplane("XY").box(1, 1, 1)
    """)
    err = fails(p, "cadquery", cache_dir)
    assert err.message == "cadquery model defines no `result`"
    assert not list(cache_dir.rglob("*.json")), "errors must not be cached"


def test_empty_script(write_model, cache_dir):
    err = fails(write_model("empty.py", ""), "cadquery", cache_dir)
    assert err.message == "cadquery model defines no `result`"


def test_result_of_wrong_type(write_model, cache_dir):
    err = fails(write_model("int.py", "result = 42\n"), "cadquery", cache_dir)
    assert err.message == (
        "cadquery model's `result` must be a cadquery Workplane or Shape, not int"
    )


def test_endless_loop_times_out(write_model, tmp_path, cache_dir):
    """A looping model costs the timeout and a finding.  (A model can no longer start a child process at all:
    tests/hostile/sandbox-forks, sandbox-daemonises; signals and process groups: tests/test_signals.py.)"""
    p = write_model("loop.py", """
        while True:
            pass
    """)
    t0 = time.monotonic()
    err = fails(p, "cadquery", cache_dir, timeout=3)
    elapsed = time.monotonic() - t0
    assert err.message == "cadquery model did not finish within 3 s"
    assert elapsed < 10


@pytest.mark.parametrize(
    "source",
    [
        "x = bytearray(10**11)\nresult = None\n",
        "x = []\nwhile True:\n    x.append(bytearray(10**6))\n",
    ],
    ids=["one-huge-allocation", "growing-list"],
)
def test_unbounded_allocation_hits_the_memory_limit(write_model, cache_dir, source):
    p = write_model("hog.py", source)
    t0 = time.monotonic()
    err = fails(p, "cadquery", cache_dir, memory_mb=512, timeout=60)
    assert err.message == "model used more than 512 MiB of memory"
    assert time.monotonic() - t0 < 30


def test_unknown_kind_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        load_facts(tmp_path / "x.iges", "iges")
