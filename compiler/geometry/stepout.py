"""STEP export inside the geometry worker: the loaded shape as AP214 (mm), text.

Runs in the worker process (cadquery/OCP loaded).  The header written here is
OCCT's own, with the wall-clock time in it; :mod:`techpack.geometry.export`
replaces it with the part's number, revision and the build date, so the file's
bytes depend only on the model and the spec.
"""

from __future__ import annotations

import os
import tempfile


def write_step(shape) -> str:
    """``shape`` as ISO 10303-21 text, schema AP214 (AUTOMOTIVE_DESIGN), millimetres."""
    from OCP.IFSelect import IFSelect_RetDone
    from OCP.Interface import Interface_Static
    from OCP.STEPControl import STEPControl_AsIs, STEPControl_Writer

    Interface_Static.SetCVal_s("write.step.schema", "AP214IS")
    Interface_Static.SetCVal_s("write.step.unit", "MM")
    writer = STEPControl_Writer()
    if writer.Transfer(shape.wrapped, STEPControl_AsIs) != IFSelect_RetDone:
        raise RuntimeError("the shape could not be translated to STEP")
    fd, tmp = tempfile.mkstemp(prefix="techpack-", suffix=".step")
    os.close(fd)
    try:
        if writer.Write(tmp) != IFSelect_RetDone:
            raise RuntimeError("the STEP file could not be written")
        with open(tmp, encoding="latin-1") as fh:
            return fh.read()
    finally:
        os.unlink(tmp)
