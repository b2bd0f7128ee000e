"""Generate the published schema and reference documents from the typed classes.

    python -m techpack.docgen            # write them
    python -m techpack.docgen --check    # exit 1 if any is out of date (used by the tests)

Outputs: ``specs/techpack.schema.json``, ``specs/techpack-fragment.schema.json`` (for included
files), ``specs/capability.schema.json``,
``specs/capability/typical-cnc-job-shop.yaml`` (the shipped default profile),
``docs/spec-reference.md``, ``docs/capability-reference.md`` and
``docs/diagnostics.md``.  Field documentation comes from the docstring under
each field in ``compiler/schema/*.py`` — written once, never by hand here.
"""

from __future__ import annotations

import ast
import enum
import inspect
import json
import sys
import typing
from pathlib import Path

from pydantic import BaseModel

from .catalogue import CATALOGUE
from .loader import DEFAULT_CAPABILITY
from .schema.base import Model
from .schema.capability import Capability
from .schema.spec import Spec

def source_root() -> Path:
    """The repository these files belong to: the source tree techpack runs from, else the working folder."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").is_file() else Path.cwd()


def field_docs(cls: type) -> dict[str, str]:
    """The docstrings written under each field of a class body."""
    try:
        tree = ast.parse(inspect.getsource(cls))
    except (OSError, TypeError):  # pragma: no cover - source not available
        return {}
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, nxt in zip(body, body[1:]):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)):
            docs[node.target.id] = inspect.cleandoc(nxt.value.value)
    return docs


def _models(root: type[BaseModel]) -> list[type[Model]]:
    """Every schema class reachable from ``root``, in first-reached order."""
    seen: list[type[Model]] = []

    def visit(tp: typing.Any) -> None:
        if isinstance(tp, type) and issubclass(tp, Model):
            if tp in seen:
                return
            seen.append(tp)
            for f in tp.model_fields.values():
                visit(f.annotation)
            return
        for arg in typing.get_args(tp):
            visit(arg)

    visit(root)
    return seen


def _document(root: type[BaseModel]) -> list[type[Model]]:
    models = _models(root)
    for cls in models:
        docs = field_docs(cls)
        for name, info in cls.model_fields.items():
            if name in docs:
                info.description = docs[name]
    for cls in reversed(models):
        cls.model_rebuild(force=True)
    return models


def json_schema(root: type[BaseModel], title: str, ident: str) -> str:
    _document(root)
    schema = root.model_json_schema(mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": ident, "title": title, **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def fragment_schema(root: type[BaseModel], title: str, ident: str) -> str:
    """The schema of a file ``include:``d by a spec: the same sections, none required, no ``include``.

    Editors validate ``parts/*.yaml`` against this one; the main file uses the full schema.
    """
    schema = json.loads(json_schema(root, title, ident))
    schema["description"] = ("A file included by a techpack spec (`include:` in techpack.yaml): any of the spec's "
                             "sections, merged into the main file. It may not include further files.")
    schema["properties"] = {k: v for k, v in schema["properties"].items() if k not in ("include", "techpack")}
    schema["required"] = []
    schema["additionalProperties"] = False
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _type_name(tp: typing.Any) -> str:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        name = getattr(tp, "__name__", None)
        return _type_name(base) if name is None else name
    if origin in (list,):
        return f"list of {_type_name(typing.get_args(tp)[0])}"
    if origin is dict:
        k, v = typing.get_args(tp)
        return f"mapping {_type_name(k)} → {_type_name(v)}"
    if origin is typing.Union or str(origin) == "types.UnionType":
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return " or ".join(_type_name(a) for a in args)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return " \\| ".join(f"`{e.value}`" for e in tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"[{tp.__name__}](#{tp.__name__.lower()})"
    return getattr(tp, "__name__", str(tp))


_VALUE_TYPES = {
    "Dec": "number", "PositiveDec": "number > 0", "Int": "integer", "PositiveInt": "integer ≥ 1",
    "NonNegativeInt": "integer ≥ 0", "Bool": "`true` \\| `false`", "Text": "text", "Ident": "ID",
    "PartNumber": "part number", "Date": "date `YYYY-MM-DD`", "DatumLabel": "datum letter", "DatumRef": "datum reference",
    "Length": "length", "Coordinate": "coordinate", "BoxSize": "size `X x Y x Z`", "Mass": "mass", "Density": "density", "Roughness": "roughness", "Dimension": "dimension",
    "Depth": "dimension or `through`", "FeatureSize": "dimension (a chamfer: `C1`, `1 × 45°`)",
}


def _annotation_text(cls: type, name: str) -> str:
    raw = cls.__annotations__.get(name, "")
    text = str(raw)
    if text in _VALUE_TYPES:
        return _VALUE_TYPES[text]
    if text.startswith("Optional[") and text[9:-1] in _VALUE_TYPES:
        return _VALUE_TYPES[text[9:-1]]
    if text.startswith("dict[") and ", " in text:
        key, value = text[5:-1].split(", ", 1)
        return f"mapping: {key} → {_VALUE_TYPES.get(value, value)}"
    if text.startswith("list[") and text[5:-1] in _VALUE_TYPES:
        return f"list of {_VALUE_TYPES[text[5:-1]]}"
    return _type_name(cls.model_fields[name].annotation)


def reference(root: type[BaseModel], title: str, intro: str) -> str:
    models = _document(root)
    out = [f"# {title}", "", "<!-- generated by `python -m techpack.docgen`; do not edit -->", "", intro, ""]
    for cls in models:
        out += [f"## {cls.__name__}", ""]
        if cls.__doc__ and cls.__doc__.strip() and cls.__doc__ is not Model.__doc__:
            out += [inspect.cleandoc(cls.__doc__), ""]
        out += ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
        for name, info in cls.model_fields.items():
            required = "yes" if info.is_required() else ""
            default = "" if info.is_required() else _default_text(info.get_default(call_default_factory=True))
            desc = (info.description or "").replace("\n", " ").replace("|", "\\|")
            out.append(f"| `{info.alias or name}` | {_annotation_text(cls, name)} | {required} | {default} | {desc} |")
        out.append("")
    return "\n".join(out)


def _default_text(value: typing.Any) -> str:
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, enum.Enum):
        return f"`{value.value}`"
    if isinstance(value, BaseModel):
        return "(see type)"
    return f"`{value}`"


def diagnostics_reference() -> str:
    out = ["# Diagnostic codes", "", "<!-- generated by `python -m techpack.docgen`; do not edit -->", "",
           "Every finding has a stable code. Output format: `file:line:col: severity CODE: message`.",
           "Findings other than TP0xx can be waived in the spec (`waivers:` with code, target, reason, owner);",
           "waived findings are still reported, marked waived, and do not count towards the exit status.", "",
           "| code | severity | title | meaning |", "|---|---|---|---|"]
    for c in CATALOGUE.values():
        out.append(f"| {c.code} | {c.severity.value} | {c.title} | {c.help.replace('|', '/')} |")
    return "\n".join(out) + "\n"


SPEC_INTRO = """A product spec is YAML 1.2: `techpack.yaml` in the product folder, plus any files it
`include:`s. Values keep their exact text: `0012`, `NO` and `1.10` are text, never numbers or
booleans; numbers are exact decimals; lengths without a unit take `product.units`.
Dimensions are written as on a drawing: `12`, `12 ±0.05`, `12 +0.1/-0.05`, `12 H7`,
`12 H7 (+0.018/0)`, `11.95..12.05`, `40 basic`, `0.5 max`, `90° ±0.5°`, optionally with a unit
and a leading `Ø`. Editors can validate and complete specs with `specs/techpack.schema.json`."""

CAP_INTRO = """Capability data describes a shop: its machines, their envelopes, materials, feature kinds and what
they hold. A machine holds `it_grade` when a tolerance band that wide is made at Cp = `cp_at_grade`
(default 1.33); so σ(D) = IT(grade, D) / (6·cp_at_grade), predicted Cp = band / 6σ and
Cpk = Cp − `mean_shift`/3. Geometric tolerances: Cpk = cp_at_grade · tolerance / `gdt` figure.
`techpack check --capability FILE` replaces the shipped default profile
(`specs/capability/typical-cnc-job-shop.yaml`)."""


def outputs(root: Path | None = None) -> dict[Path, str]:
    """Each generated file of the repository at ``root`` with the content it should have."""
    ROOT = root or source_root()  # noqa: N806
    return {
        ROOT / "specs" / "techpack.schema.json": json_schema(Spec, "techpack product spec",
                                                              "https://techpack.dev/schema/techpack-1.json"),
        ROOT / "specs" / "techpack-fragment.schema.json": fragment_schema(
            Spec, "techpack spec fragment (an included file)", "https://techpack.dev/schema/techpack-fragment-1.json"),
        ROOT / "specs" / "capability.schema.json": json_schema(Capability, "techpack capability data",
                                                                "https://techpack.dev/schema/capability-1.json"),
        ROOT / "specs" / "capability" / "typical-cnc-job-shop.yaml": DEFAULT_CAPABILITY.read_text(encoding="utf-8"),
        ROOT / "docs" / "spec-reference.md": reference(Spec, "Spec reference", SPEC_INTRO),
        ROOT / "docs" / "capability-reference.md": reference(Capability, "Capability data reference", CAP_INTRO),
        ROOT / "docs" / "diagnostics.md": diagnostics_reference(),
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    ROOT = source_root()  # noqa: N806
    for path, content in outputs(ROOT).items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == content:
            continue
        if check:
            stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        for p in stale:
            print(f"out of date: {p.relative_to(ROOT)} (run python -m techpack.docgen)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
