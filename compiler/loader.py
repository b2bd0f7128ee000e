"""Spec and capability files → typed, located models.

``load_spec`` accepts the spec file or the folder holding ``techpack.yaml``;
``include:`` pulls further files of the same folder tree into the one spec
(their sections are merged; locations stay those of each file).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostics, Location
from .geometry.facts import Bases
from .identity import spec_hash
from .schema import errors
from .schema.base import attach_nodes
from .schema.capability import CAPABILITY_VERSION, Capability
from .schema.spec import SPEC_VERSION, Spec
from .yamlsrc import Mapping, Node, Scalar, Sequence, display_path, load_file

SPEC_FILE_NAMES = ("techpack.yaml", "techpack.yml")
LIST_SECTIONS = ("materials", "finishes", "parts", "bom", "assembly", "deviations", "waivers")
SINGLE_SECTIONS = ("product", "packaging", "production")
MAX_INCLUDED_FILES = 1000
DEFAULT_CAPABILITY = Path(__file__).parent / "data" / "default-capability.yaml"

M = TypeVar("M", bound=BaseModel)


@dataclass
class SourceFile:
    path: Path
    name: str
    sha256: str
    data: bytes = field(default=b"", repr=False)
    """The bytes that were read and checked (read once)."""


@dataclass
class LoadedSpec:
    spec: Spec
    folder: Path
    files: list[SourceFile] = field(default_factory=list)
    blobs: dict[Path, bytes] = field(default_factory=dict, repr=False)
    """Geometry files as read once for the checks (resolved path → bytes): rendered and attached as such."""

    bases: Bases = field(default_factory=Bases, repr=False)
    """The geometry cache bases of this build: each model folder walked once (see
    :class:`~techpack.geometry.facts.Bases`)."""

    def blob(self, path: Path) -> bytes | None:
        """The bytes of a geometry file as checked, or None when it was not read."""
        return self.blobs.get(Path(path).resolve())

    def basis(self, path: Path, kind: str) -> bytes | None:
        """The cache basis of the geometry file at ``path`` as checked (None when it was not read)."""
        data = self.blob(path)
        return None if data is None else self.bases.get(path, kind, data)

    def relative(self, path: Path, fallback: str) -> str:
        """``path`` relative to the spec folder with ``/`` separators (``fallback`` when outside it)."""
        full = path.resolve()
        return full.relative_to(self.folder).as_posix() if full.is_relative_to(self.folder) else fallback

    def hashed_files(self) -> list[tuple[str, str]]:
        """``(path relative to the spec folder, SHA-256)`` of every spec file, each once, in reading order."""
        out: dict[str, str] = {}
        for f in self.files:
            out.setdefault(self.relative(f.path, f.name), f.sha256)
        return list(out.items())

    @property
    def sha256(self) -> str:
        """The spec hash: SHA-256 of the files' ``sha256sum`` listing sorted by path (:mod:`techpack.identity`)."""
        return spec_hash(self.hashed_files())


def resolve_spec_path(path: Path, diags: Diagnostics) -> Path | None:
    """The spec file for PATH: the file itself, or ``techpack.yaml`` in the folder."""
    if path.is_dir():
        for name in SPEC_FILE_NAMES:
            if (path / name).is_file():
                return path / name
        diags.add("TP000", f"no {SPEC_FILE_NAMES[0]} in folder {display_path(path)}", Location(display_path(path)))
        return None
    if not path.exists():
        diags.add("TP000", "no such file or folder", Location(display_path(path)))
        return None
    return path


def _read(path: Path, diags: Diagnostics, files: list[SourceFile]) -> Node | None:
    before = len(diags)
    kept: list[bytes] = []
    node = load_file(path, diags, keep=kept)
    if node is None and len(diags) == before:
        diags.add("TP011", "the file is empty: a spec file is a mapping of sections (product:, parts:, …)",
                  Location(display_path(path), 1, 1))
    if node is not None:  # read once: the bytes parsed are the bytes hashed and attached
        files.append(SourceFile(path, display_path(path), hashlib.sha256(kept[0]).hexdigest(), kept[0]))
    return node


def load_spec(path: Path, diags: Diagnostics) -> LoadedSpec | None:
    """Read, merge and validate a spec; every problem goes to ``diags``."""
    spec_path = resolve_spec_path(path, diags)
    if spec_path is None:
        return None
    folder = spec_path.parent.resolve()
    files: list[SourceFile] = []
    root = _read(spec_path, diags, files)
    if root is None:
        return None
    if not isinstance(root, Mapping):
        diags.add("TP011", "a spec file must be a mapping of sections (product:, parts:, …)", root.loc)
        return None
    version = root.values.get("techpack")
    if isinstance(version, Scalar) and version.value != SPEC_VERSION:
        diags.add("TP017", f"spec format version {version.value!r} is not supported (this techpack reads {SPEC_VERSION!r})",
                  version.loc)
        return None
    root = _merge_includes(root, spec_path, folder, diags, files)
    units = _peek_units(root)
    spec = validate(Spec, root, diags, context={"units": units})
    if spec is None:
        return None
    return LoadedSpec(spec, folder, files)


def validate(model: type[M], root: Node, diags: Diagnostics, context: dict | None = None) -> M | None:
    """Validate located nodes against a schema class; errors become diagnostics."""
    try:
        obj = model.model_validate(root.to_python(), context=context or {})
    except ValidationError as exc:
        errors.report(exc, root, model, diags)
        return None
    attach_nodes(obj, root)
    return obj


def _peek_units(root: Mapping) -> str:
    product = root.values.get("product")
    if isinstance(product, Mapping):
        units = product.values.get("units")
        if isinstance(units, Scalar) and units.value in ("mm", "in"):
            return units.value
    return "mm"


def _merge_includes(root: Mapping, spec_path: Path, folder: Path, diags: Diagnostics,
                    files: list[SourceFile]) -> Mapping:
    inc = root.values.get("include")
    if inc is None:
        return root
    if not isinstance(inc, Sequence):
        diags.add("TP011", "include: expected a list of file names or patterns", inc.loc)
        return root
    merged = Mapping(root.loc, dict(root.values), dict(root.keys))
    for key in LIST_SECTIONS:
        if key in merged.values and isinstance(merged.values[key], Sequence):
            merged.values[key] = Sequence(merged.values[key].loc, list(merged.values[key].items))
    seen = {spec_path.resolve()}
    for entry in inc.items:
        if not isinstance(entry, Scalar) or entry.is_null:
            diags.add("TP016", "include entries are file names or glob patterns", entry.loc)
            continue
        for path in _expand(entry, spec_path.parent, folder, diags):
            if path in seen:
                continue
            seen.add(path)
            if len(seen) > MAX_INCLUDED_FILES:
                diags.add("TP016", f"more than {MAX_INCLUDED_FILES} included files", entry.loc)
                return merged
            node = _read(path, diags, files)
            if node is None:
                continue
            if not isinstance(node, Mapping):
                diags.add("TP011", "an included file must be a mapping of sections", node.loc)
                continue
            _merge_one(merged, node, diags)
    return merged


def _expand(entry: Scalar, base: Path, folder: Path, diags: Diagnostics) -> list[Path]:
    pattern = entry.value
    if pattern.startswith(("/", "\\")) or ":" in pattern[:3] or ".." in Path(pattern).parts:
        diags.add("TP016", f"include {pattern!r} must be a relative path inside the product folder", entry.loc)
        return []
    out = []
    try:
        matches = sorted(base.glob(pattern)) if any(c in pattern for c in "*?[") else [base / pattern]
        for m in matches:
            resolved = m.resolve()
            if not resolved.is_relative_to(folder):
                diags.add("TP016", f"include {pattern!r} resolves outside the product folder", entry.loc)
                continue
            if not resolved.is_file():
                continue
            out.append(resolved)
    except (OSError, ValueError) as exc:
        diags.add("TP016", f"include {pattern[:80]!r} is not a usable file name ({_reason(exc)})", entry.loc)
        return []
    if not out:
        diags.add("TP016", f"include {pattern!r} matches no file", entry.loc)
    return out


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return "it holds a NUL character" if "null" in str(exc).lower() else str(exc)


def _merge_one(merged: Mapping, node: Mapping, diags: Diagnostics) -> None:
    for key, value in node.values.items():
        key_loc = node.keys[key].loc
        if key in LIST_SECTIONS:
            if not isinstance(value, Sequence):
                diags.add("TP011", f"{key}: expected a list", value.loc)
                continue
            target = merged.values.get(key)
            if isinstance(target, Sequence):
                target.items.extend(value.items)
            else:
                merged.values[key] = Sequence(value.loc, list(value.items))
                merged.keys[key] = node.keys[key]
        elif key in SINGLE_SECTIONS:
            if key in merged.values:
                first = merged.keys[key].loc
                diags.add("TP016", f"section {key!r} is already defined at {first}", key_loc)
                continue
            merged.values[key] = value
            merged.keys[key] = node.keys[key]
        elif key == "include":
            diags.add("TP016", "only the main spec file may include others", key_loc)
        else:
            merged.values.setdefault(key, value)
            merged.keys.setdefault(key, node.keys[key])


# ---------------------------------------------------------------- capability


@dataclass
class LoadedCapability:
    """The capability files of a run: one supplier each, in the order given."""

    suppliers: list[Capability]
    files: list[SourceFile]
    addressed: int = 0
    """Index of the supplier the pack is addressed to (``--supplier NAME``; default the first file)."""

    @property
    def capability(self) -> Capability:
        return self.suppliers[self.addressed]


def load_capability(paths: list[Path], diags: Diagnostics) -> LoadedCapability | None:
    """Read capability files (the shipped default when none are given); each file is one supplier."""
    paths = list(paths) or [DEFAULT_CAPABILITY]
    files: list[SourceFile] = []
    loaded: list[Capability] = []
    for path in paths:
        if not path.is_file():
            what = "is a folder, not a capability file" if path.is_dir() else "capability file not found"
            diags.add("TP000", what, Location(display_path(path)))
            continue
        root = _read(path, diags, files)
        if root is None:
            continue
        if isinstance(root, Mapping):
            version = root.values.get("capability")
            if isinstance(version, Scalar) and version.value != CAPABILITY_VERSION:
                diags.add("TP017", f"capability format version {version.value!r} is not supported", version.loc)
                continue
        cap = validate(Capability, root, diags)
        if cap is not None:
            loaded.append(cap)
    if not loaded or len(loaded) != len(paths):
        return None
    return LoadedCapability(loaded, files)
