"""The geometry worker's start and exit: VTK is imported only when a model uses it, and the worker leaves
without the interpreter's teardown once its answer is out."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from techpack.geometry import load_facts
from techpack.geometry import worker


def test_deferred_module_runs_on_first_use_and_then_is_the_module(tmp_path, monkeypatch):
    (tmp_path / "tp_slowmod.py").write_text(textwrap.dedent("""
        import pathlib
        pathlib.Path(__file__).with_name("ran").write_text("yes")
        value = 42
        _private = 1
    """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "tp_slowmod", raising=False)
    worker._defer_import("tp_slowmod")
    try:
        import tp_slowmod

        assert not (tmp_path / "ran").exists()  # imported, not run
        assert tp_slowmod.value == 42  # the first read runs it
        assert (tmp_path / "ran").read_text() == "yes"
        assert tp_slowmod._private == 1  # the stand-in now holds every name
        real = sys.modules["tp_slowmod"]
        assert real is not tp_slowmod and real.value == 42 and real.__file__.endswith("tp_slowmod.py")
        names: dict = {}
        exec("from tp_slowmod import *", names)  # noqa: S102 - the star import of a deferred module
        assert names["value"] == 42
    finally:
        sys.modules.pop("tp_slowmod", None)


def test_deferred_import_leaves_a_loaded_or_missing_module_alone():
    before = sys.modules["json"]
    worker._defer_import("json")
    assert sys.modules["json"] is before
    worker._defer_import("tp_no_such_module_anywhere")
    assert "tp_no_such_module_anywhere" not in sys.modules


def test_cadquery_imports_without_all_of_vtk_and_vtk_still_works():
    code = textwrap.dedent("""
        import sys
        from techpack.geometry import worker
        worker._defer_import("vtk")
        import cadquery as cq
        loaded = sum(1 for m in sys.modules if m.startswith("vtkmodules."))
        assert "vtkmodules.vtkRenderingOpenGL2" not in sys.modules, loaded
        import vtk
        assert vtk.vtkVersion.GetVTKVersion()
        assert "vtkmodules.vtkRenderingOpenGL2" in sys.modules
        assert cq.Workplane().box(1, 2, 3).val().toVtkPolyData().GetNumberOfPoints() > 0
        print(loaded)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) < 60  # all of VTK is about 160 modules


def test_a_model_that_uses_vtk_loads_through_the_worker(tmp_path):
    model = tmp_path / "uses_vtk.py"
    model.write_text(textwrap.dedent("""
        import cadquery as cq
        import vtk
        box = cq.Workplane("XY").box(20, 10, 5)
        points = box.val().toVtkPolyData().GetNumberOfPoints()
        assert points > 0 and vtk.vtkVersion.GetVTKVersion()
        result = box
    """), encoding="utf-8")
    facts = load_facts(model, "cadquery", cache_dir=tmp_path / "cache")
    assert [round(a - b, 6) for a, b in zip(facts.bbox_max, facts.bbox_min)] == [20.0, 10.0, 5.0]
