"""The pipeline: spec → located parse → typed model → checks (→ renderers, in ``build``).

``check`` is exactly this with no renderer run and nothing written.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .characteristics import part_characteristics
from .checks import CHECKS, Context
from .checks import waivers
from .dates import source_date
from .diagnostics import Diagnostics
from .gcpause import gc_paused
from .loader import LoadedCapability, LoadedSpec, load_capability, load_spec


@dataclass
class Options:
    """What a run needs besides the spec path."""

    capability: list[Path] = field(default_factory=list)
    """Capability files, one supplier each; empty = the shipped default profile."""
    supplier: str | None = None
    """Name of the supplier the pack is addressed to (``--supplier``); default the first capability file."""
    geometry: bool = True
    """Load geometry facts (bounding box, volume) for envelope and mass checks."""
    geometry_timeout: float = 120.0
    geometry_memory_mb: int = 4096
    sandbox: str = field(default_factory=lambda: os.environ.get("TECHPACK_SANDBOX") or "auto")
    """``auto`` (default, or ``$TECHPACK_SANDBOX``): geometry workers run confined where the machine can, else with a warning (TP111);
    ``require``: confined or not at all (TP112)."""
    baseline: str | None = None
    """Earlier revision to compare with (folder, pack, ``REV:path`` or a git revision): TP801/TP802."""
    meanwhile: Callable[[], None] | None = field(default=None, compare=False)
    """Called while the geometry workers run (a build imports its renderers then, on a core that waits)."""


@dataclass
class Compilation:
    """Everything a renderer needs, and every finding."""

    diagnostics: Diagnostics
    loaded: LoadedSpec | None = None
    capability: LoadedCapability | None = None
    context: Context | None = None
    date: dt.datetime | None = None
    changes: object | None = None
    """With a baseline: the :class:`~techpack.revisions.model.ChangeSet` from it to this spec."""
    sheets: dict = field(default_factory=dict)
    """Drawing sheets made so far, by part number (:func:`techpack.drawings.part_sheet`): made once, shared
    by the drawings and the quality documents (which take each balloon's sheet and zone from them)."""

    @property
    def ok(self) -> bool:
        return self.context is not None and not self.diagnostics.has_errors


def compile_spec(path: Path, options: Options | None = None) -> Compilation:
    """Load, derive and check a spec; never raises on a user's mistake."""
    from .geometry import sandbox  # noqa: PLC0415 - does not import cadquery

    options = options or Options()
    with gc_paused(promote=True):  # the compilation outlives the call: no young-generation scan of it
        if options.geometry:  # bubblewrap's probe runs while the spec loads (load_geometry asks for its answer)
            sandbox.probe_soon()
        try:
            return _compile(path, options)
        finally:
            sandbox.settle()  # no thread outlives the call (a build forks afterwards)


def _compile(path: Path, options: Options) -> Compilation:
    diags = Diagnostics()
    loaded = load_spec(path, diags)
    capability = load_capability(options.capability, diags)
    result = Compilation(diags, loaded, capability)
    if loaded is None:
        return result
    result.date = source_date(diags, loaded.spec.product.revision_date, loaded.spec.product.loc("revision_date"))
    chars = part_characteristics(loaded.spec, diags)
    if capability is not None and options.supplier is not None:
        names = [c.shop.name for c in capability.suppliers]
        if options.supplier in names:
            capability.addressed = names.index(options.supplier)
        else:
            diags.add("TP314", f"no capability file describes supplier {options.supplier!r}; the files describe "
                      + ", ".join(repr(n) for n in names), None)
    ctx = Context(loaded, chars, capability.capability if capability else None, date=result.date)
    if capability is not None:
        ctx.suppliers = list(capability.suppliers)
        ctx.supplier_files = [f.name for f in capability.files]
    if options.geometry:
        ctx.geometry = load_geometry(loaded, diags, options)
    for check in CHECKS.values():
        check(ctx, diags)
    result.context = ctx
    if options.baseline is not None:
        from .revisions.check import check_baseline  # noqa: PLC0415 - only with --baseline

        result.changes = check_baseline(result, options.baseline, path, diags)
    waivers.apply(loaded.spec, diags, result.date.date().isoformat())
    return result


def load_geometry(loaded: LoadedSpec, diags: Diagnostics, options: Options) -> dict:
    """Geometry facts per part number, loaded in isolated workers (cached by content hash)."""
    from .checks.references import geometry_path  # noqa: PLC0415

    jobs = []
    for part in loaded.spec.parts:
        if part.geometry is None:
            continue
        path = geometry_path(loaded.folder, part.geometry.path)
        if path is not None and path.is_relative_to(loaded.folder) and path.is_file():
            jobs.append((part, path))
    if not jobs:
        return {}
    from .geometry import GeometryError, load_facts, sandbox  # noqa: PLC0415 - only when there is geometry

    sandbox.set_mode(options.sandbox)
    why = sandbox.available()
    if why and options.sandbox == "require":
        for part, _ in jobs:
            diags.add("TP112", f"geometry of {part.number} was not loaded: --sandbox=require, but {why}",
                      part.geometry.loc(part.geometry.kind), subject=part.number)
        return {}
    if why:
        for part, _ in jobs:
            if part.geometry.kind == "cadquery":
                diags.add("TP111", f"the cadquery model of {part.number} runs unconfined: {why}; it can read and "
                          "change what you can (install bubblewrap; --sandbox=require refuses instead)",
                          part.geometry.loc(part.geometry.kind), subject=part.number)

    read: dict[str, bytes | OSError] = {}  # part number -> cache basis, or why the file could not be read
    for part, path in jobs:
        try:
            data = path.read_bytes()  # read once: these bytes are measured, rendered and attached
        except OSError as exc:
            read[part.number] = exc
            continue
        loaded.blobs[path.resolve()] = data
        read[part.number] = loaded.basis(path, part.geometry.kind)  # here, in order: each folder walked once

    def one(job):
        part, path = job
        basis = read[part.number]
        if isinstance(basis, OSError):
            return part, None, GeometryError(f"the file could not be read: {basis.strerror or basis}")
        try:
            return part, load_facts(path, part.geometry.kind, timeout=options.geometry_timeout,
                                    memory_mb=options.geometry_memory_mb, data=loaded.blob(path),
                                    basis=basis), None
        except GeometryError as exc:
            return part, None, exc

    # one worker per model: parts that share a file (a family of plates from one script) share its answer,
    # instead of two workers loading the same model side by side before either has filled the cache
    first: dict[tuple, tuple] = {}
    for part, path in jobs:
        first.setdefault((part.geometry.kind, path.resolve()), (part, path))
    facts: dict = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        running = pool.map(one, first.values())  # the workers start now
        if options.meanwhile is not None:
            options.meanwhile()  # while they run
        answers = dict(zip(first, running))
        for part, path in jobs:
            _, fact, err = answers[(part.geometry.kind, path.resolve())]
            if err is not None:
                diags.add("TP110", f"geometry of {part.number}: {err}", part.geometry.loc(part.geometry.kind),
                          subject=part.number)
            elif fact is not None and fact.solids > 1:
                diags.add("TP113", f"geometry of {part.number}: the model holds {fact.solids} separate solids; a "
                          "made part is one solid (no STEP model is exported, and volume, mass and drawing would "
                          "add up every body)", part.geometry.loc(part.geometry.kind), subject=part.number)
            facts[part.number] = fact
    return facts
