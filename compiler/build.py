"""``techpack build``: check, then render every output into a staging folder and swap it into place.

* Nothing is written unless the spec checks clean (``check`` is this without writing).
* Atomic: the pack is built in ``.<OUT>.tmp-*`` beside OUT and exchanged with OUT
  in one ``renameat2(RENAME_EXCHANGE)`` (two renames where that is missing), so a
  failure, Ctrl-C or kill -9 leaves the previous OUT exactly as it was.
* Incremental: every input is hashed; when nothing changed the build stops
  before loading the spec, and a change to one part re-renders only the files
  that depend on it (the others are copied from the previous pack, their
  hashes verified).
* Reproducible: every file's bytes depend only on the inputs and the source date.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__, outdir, schedule, versions
from .hashing import code_hash, file_sha as _file_sha, templates_hash
from .diagnostics import Diagnostics, Location
from .outdir import MANIFEST, MANIFEST_VERSION, read_manifest  # noqa: F401 - read_manifest is public here


@dataclass
class BuildOptions:
    capability: list[Path] = field(default_factory=list)
    dry_run: bool = False
    pdf_a: bool = True
    """Write the tech-pack PDF as PDF/A-3b with the spec, capability data and drawings attached."""
    force: bool = False
    """Render everything even when the inputs are unchanged."""
    jobs: int = 0
    """Render processes to use (0: ``TECHPACK_JOBS`` or the available cores; 1: serial)."""
    geometry_timeout: float = 120.0
    """Seconds one part's geometry may take to load before it is an error (TP110)."""
    supplier: str | None = None
    """The supplier the pack is addressed to (``--supplier``); default the first capability file."""
    sandbox: str = field(default_factory=lambda: os.environ.get("TECHPACK_SANDBOX") or "auto")
    """Geometry workers confined where possible (``auto``) or without exception (``require``)."""
    baseline: str | None = None
    """Earlier revision (folder, pack, ``REV:path`` or git revision): change notice, delta FAI, TP801/TP802."""


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    planned: list = field(default_factory=list)  # Target list
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    sections: dict[str, dict] = field(default_factory=dict)
    """Per sectioned PDF: the sections rendered anew and those taken from the cache, and its pages."""
    up_to_date: bool = False
    written: bool = False


Progress = Callable[[str], None]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _listing_hash(root: Path, skip: Path | None) -> str:
    """The names of the files under ``root`` (never their bytes): a new file that an ``include:`` glob would
    match changes it, a large unrelated file costs a directory entry."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        d = Path(dirpath)
        dirnames[:] = sorted(n for n in dirnames if not n.startswith(".") and n != "__pycache__"
                             and (skip is None or (d / n).resolve() != skip))
        for name in sorted(filenames):
            h.update((d / name).relative_to(root).as_posix().encode() + b"\n")
    return h.hexdigest()


def fingerprint(spec_path: Path, out: Path, options: BuildOptions, sources: dict[str, str] | list | None = None) -> str:
    """Everything a build's bytes depend on, hashed, without parsing anything.

    Only *declared* inputs are read: ``sources`` maps each file the spec names (the spec, its includes,
    geometry and a cadquery model's own modules; paths relative to the product folder) to its sha256
    as the build read it, or lists those paths to hash from disk now (streamed).  The product folder
    adds only its file names.
    """
    folder = (spec_path if spec_path.is_dir() else spec_path.parent).resolve()
    if not isinstance(sources, dict):
        sources = {rel: _file_sha(folder / rel) for rel in (sources or []) if isinstance(rel, str)}
    h = hashlib.sha256()
    h.update(f"techpack {__version__}\n".encode())
    h.update(f"spec {spec_path.name if spec_path.is_file() else ''} {_listing_hash(folder, out.resolve())}\n".encode())
    for rel in sorted(sources):
        h.update(f"source {rel} {sources[rel]}\n".encode())
    for cap in options.capability:
        h.update(f"capability {_file_sha(cap) if cap.is_file() else ''}\n".encode())
    h.update(f"templates {templates_hash()}\n".encode())
    h.update(f"code {code_hash()}\n".encode())
    h.update(versions.fingerprint_text().encode())
    h.update(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    h.update(f"pdf_a={options.pdf_a}\n".encode())
    h.update(f"supplier={options.supplier or ''}\n".encode())
    from .store.pack import digest  # noqa: PLC0415 - open NCRs/deviations of the traceability store, if any

    h.update(f"store {digest(folder)}\n".encode())
    return h.hexdigest()


def declared_sources(comp) -> dict[str, str]:
    """The files this build read, relative to the product folder, with the sha256 of the bytes it read."""
    from .geometry.facts import model_modules  # noqa: PLC0415 - the no-op build stays light

    loaded = comp.loaded
    folder = loaded.folder
    found: dict[str, str] = {}
    for f in loaded.files:
        if f.path.resolve().is_relative_to(folder):
            found[f.path.resolve().relative_to(folder).as_posix()] = f.sha256
    for path, data in loaded.blobs.items():
        if path.is_relative_to(folder):
            found[path.relative_to(folder).as_posix()] = _sha(data)
    for part in loaded.spec.parts:  # a cadquery model imports its folder's modules
        if part.geometry is not None and part.geometry.kind == "cadquery":
            model = (folder / part.geometry.path).resolve()
            if model.is_relative_to(folder) and model.parent.is_dir():
                for py in model_modules(model):
                    rel = py.resolve().relative_to(folder).as_posix() if py.resolve().is_relative_to(folder) else None
                    if rel is not None and rel not in found:
                        found[rel] = _file_sha(py)
    return found


def _intact(out: Path, manifest: dict) -> bool:
    """Every file the manifest lists is there, a regular file, of the recorded size."""
    for f in manifest.get("files", []):
        p = out / f["path"]
        if p.is_symlink() or not p.is_file() or p.stat().st_size != f["size"]:
            return False
    return True


def build(spec_path: Path, out: Path, options: BuildOptions | None = None, *,
          renderers: dict | None = None, progress: Progress | None = None, strict: bool = False) -> BuildResult:
    """Check ``spec_path`` and write the pack to ``out``; never a half-written pack."""
    options = options or BuildOptions()
    say = progress or (lambda _msg: None)
    diags = Diagnostics()
    out = Path(out)
    folder = spec_path if spec_path.is_dir() else spec_path.parent
    reason = outdir.refusal(out, folder, list(options.capability))
    if reason:
        diags.add("TP007", reason, Location(str(out)))
        return BuildResult(diags)
    if options.dry_run:
        return _build_locked(spec_path, out, options, renderers, say, strict)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with outdir.locked(out, say):
            reason = outdir.refusal(out, folder, list(options.capability))  # another build may have written it
            if reason:
                diags.add("TP007", reason, Location(str(out)))
                return BuildResult(diags)
            return _build_locked(spec_path, out, options, renderers, say, strict)
    except OSError as exc:
        if exc.errno not in outdir.WRITE_ERRNOS:
            raise
        diags.add("TP008", outdir.describe_os_error(exc, out), Location(str(out)))
        return BuildResult(diags)


def _build_locked(spec_path: Path, out: Path, options: BuildOptions, renderers: dict | None, say: Progress,
                  strict: bool) -> BuildResult:
    diags = Diagnostics()
    previous = outdir.read_manifest(out) if out.is_dir() else None
    fp = (fingerprint(spec_path, out, options, previous.get("sources"))
          if previous and isinstance(previous.get("sources"), list) and spec_path.exists() else "")
    if (previous and not options.force and not options.dry_run and options.baseline is None and fp
            and previous.get("inputs") == fp
            and _intact(out, previous)):
        say(f"{out}: up to date")
        return BuildResult(diags, up_to_date=True)

    # the render host loads the render stack while the spec compiles (only where jobs can run side by side);
    # forked once the compiler is imported, so it does not import it a second time
    from . import engine  # noqa: F401,PLC0415
    host = None
    if schedule.build_jobs(options) > 1 and not options.dry_run:
        # its temporary files beside the pack, marked: the next build removes them if this one is killed
        outdir.remove_stale_scratch(out)
        host = schedule.Host.start(outdir.make_scratch(out))
    try:
        return _compile_and_render(spec_path, out, options, renderers, say, strict, previous, host)
    finally:
        if host is not None:
            host.close()


def _import_renderers() -> None:
    """Import the renderers (the drawings' layout, numpy with it: 0.3 s) while the geometry workers run."""
    from . import renderers  # noqa: F401,PLC0415


def _compile_and_render(spec_path: Path, out: Path, options: BuildOptions, renderers: dict | None, say: Progress,
                        strict: bool, previous: dict | None, host: "schedule.Host | None") -> BuildResult:
    from .engine import Options, compile_spec  # noqa: PLC0415 - the no-op path above stays light

    comp = compile_spec(spec_path, Options(capability=options.capability, geometry_timeout=options.geometry_timeout,
                                           supplier=options.supplier, sandbox=options.sandbox,
                                           baseline=options.baseline,
                                           meanwhile=None if renderers is not None else _import_renderers))
    diags = comp.diagnostics
    result = BuildResult(diags)
    if not comp.ok or (strict and any(d.severity.value == "warning" and not d.waived for d in diags)):
        return result
    comp.build_options = options  # type: ignore[attr-defined]
    if renderers is None:
        from .renderers import RENDERERS as renderers  # noqa: PLC0415,N811
    plan = _plan(comp, renderers, diags)
    result.planned = [t for _, ts in plan for t in ts]
    if diags.has_errors or options.dry_run:
        return result
    sources = declared_sources(comp)
    fp = fingerprint(spec_path, out, options, sources)
    _render_into_place(comp, out, plan, None if options.force else previous, fp, result, say, sorted(sources), host)
    return result


def _plan(comp, renderers: dict, diags: Diagnostics) -> list[tuple[object, list]]:
    from .renderers.base import safe_relative  # noqa: PLC0415

    plan = []
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    for renderer in renderers.values():
        targets = renderer.targets(comp)
        for t in targets:
            key = t.path.casefold()
            if not safe_relative(t.path) or t.path == MANIFEST:
                diags.add("TP013", f"output file name {t.path!r} is not safe on every file system; "
                          "use letters, digits, '.', '_' and '-'", None)
            elif t.path in seen or key in folded:
                other = seen.get(t.path) or folded[key]
                diags.add("TP101", f"two outputs would share the file name {t.path!r} ({other} and "
                          f"{renderer.name}); part numbers must differ in more than letter case", None)
            seen[t.path] = renderer.name
            folded[key] = renderer.name
        plan.append((renderer, targets))
    return plan


def _input_hashes(comp) -> dict[str, str]:
    """The hash of each dependency key a target can name."""
    loaded = comp.loaded
    spec = loaded.spec
    base = hashlib.sha256()
    base.update(f"{__version__}\n{code_hash()}\n{templates_hash()}\n{comp.date.isoformat()}\n".encode())
    base.update(versions.fingerprint_text().encode())  # a library upgrade re-renders what it shapes
    base.update(f"pdf_a={getattr(comp, 'build_options').pdf_a}\n".encode())  # the only option that changes bytes
    product = spec.product.model_dump_json().encode()
    keys = {"spec": _sha(base.hexdigest().encode() + loaded.sha256.encode()),
            "capability": _sha(base.hexdigest().encode()
                               + "".join(f.sha256 for f in comp.capability.files).encode()
                               + f"addressed={comp.capability.addressed}".encode())}
    if getattr(comp, "changes", None) is not None:  # --baseline: the change set is an input
        from .revisions.report import as_json  # noqa: PLC0415

        keys["baseline"] = _sha(base.hexdigest().encode() + as_json(comp.changes).encode())
    if comp.context is not None and comp.context.store_deviations:  # listed in the tech-pack PDF
        keys["spec"] = _sha((keys["spec"] + repr(comp.context.store_deviations)).encode())
    for part in spec.parts:
        h = hashlib.sha256(base.hexdigest().encode() + product)
        h.update(part.model_dump_json().encode())
        for m in spec.materials:
            if m.id == part.material:
                h.update(m.model_dump_json().encode())
        for f in spec.finishes:
            if f.id == part.finish:
                h.update(f.model_dump_json().encode())
        if part.geometry is not None:  # as read for the checks, with a cadquery model's own modules
            basis = loaded.basis(loaded.folder / part.geometry.path, part.geometry.kind)
            h.update(_sha(basis).encode() if basis is not None else b"")
        keys[f"part:{part.number}"] = h.hexdigest()
    return keys


def _render_into_place(comp, out: Path, plan, previous: dict | None, fp: str, result: BuildResult,
                       say: Progress, sources: list[str] | None = None, host: "schedule.Host | None" = None) -> None:
    from .renderers.base import Output  # noqa: PLC0415

    keys = _input_hashes(comp)
    old_files = {f["path"]: f for f in (previous or {}).get("files", [])}
    outdir.remove_stale_staging(out)
    staging = outdir.make_staging(out)
    try:
        declared = {t.path: t for _, ts in plan for t in ts}
        output = Output(staging, declared)
        records = []
        work, hashes = [], {}
        for renderer, targets in plan:
            todo = []
            for t in targets:
                ih = _sha("\n".join([renderer.name, t.path, t.kind] + [keys.get(k, k) for k in t.depends]).encode())
                hashes[t.path] = ih
                old = old_files.get(t.path)
                data = _reusable(out, old, ih) if old is not None else None
                if data is None:
                    todo.append(t)
                else:
                    output.write(t.path, data)
                    result.reused.append(t.path)
            result.rendered += [t.path for t in todo]
            work.append((renderer, todo))
        for renderer, todo in work:  # shared domain results (drawing layouts) before the jobs fork
            prepare = getattr(renderer, "prepare", None)
            if todo and prepare is not None:
                prepare(comp, todo)
        jobs = schedule.make_jobs(work)
        workers = min(schedule.build_jobs(comp), max(1, len(jobs)))
        started = time.perf_counter()
        if jobs:
            say(f"rendering {len(result.rendered)} files ({len(jobs)} jobs on {workers} "
                f"{'process' if workers == 1 else 'processes'})")
        # several workers: in the host that has the render stack loaded (one job runs here, as it always did);
        # the light jobs here while it is still loading it
        rest = schedule.run_light(jobs, comp, output, host) if workers > 1 and host is not None else jobs
        if not (workers > 1 and host is not None and host.run(rest, comp, output, workers)):
            schedule.run(rest, comp, output, workers)
        spent = schedule.summary(jobs)
        result.sections = dict(output.notes)
        for path, info in sorted(result.sections.items()):
            n = len(info["rendered"]) + len(info["reused"])
            say(f"{path}: {len(info['rendered'])} of {n} sections rendered, {len(info['reused'])} from the cache")
        rendered = set(result.rendered)
        for i, (renderer, targets) in enumerate(plan, 1):
            for t in targets:
                if t.path not in output.written:
                    raise RuntimeError(f"renderer {renderer.name} did not write {t.path}")
                data = output.written[t.path]
                records.append({"path": t.path, "kind": t.kind, "sha256": _sha(data), "size": len(data),
                                "inputs": hashes[t.path]})
            done = sum(1 for t in targets if t.path in rendered)
            say(f"[{i}/{len(plan)}] {renderer.name}: {done} rendered, {len(targets) - done} unchanged "
                f"({spent.get(renderer.name, 0.0):.1f} s)")
        if jobs:
            say(f"rendered in {time.perf_counter() - started:.1f} s")
        records.sort(key=lambda r: r["path"])
        manifest = {
            "manifest": MANIFEST_VERSION,
            "techpack": __version__,
            "product": {"number": comp.loaded.spec.product.number, "revision": comp.loaded.spec.product.revision},
            "spec_sha256": comp.loaded.sha256,
            "source_date": comp.date.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "inputs": fp,
            "libraries": versions.library_versions(),
            "sources": sources or [],
            "files": records,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        outdir.fsync_tree(staging)
        problems = outdir.verify(staging, manifest)
        if problems:
            result.diagnostics.add("TP008", f"the pack for {out} changed while it was being built "
                                   f"({'; '.join(problems[:3])}); nothing was changed, the previous pack is intact",
                                   Location(str(out)))
            return
        outdir.swap_into_place(staging, out)
        result.written = True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _reusable(out: Path, old: dict, input_hash: str) -> bytes | None:
    """The previous pack's bytes for a file whose inputs did not change, if intact."""
    if old.get("inputs") != input_hash:
        return None
    path = out / old["path"]
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        data = fh.read()
    return data if _sha(data) == old.get("sha256") else None
