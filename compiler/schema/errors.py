"""Turn pydantic validation errors into located diagnostics (TP010–TP015)."""

from __future__ import annotations

import difflib
import typing
from enum import Enum

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostics
from ..yamlsrc import Mapping, Node, Sequence
from .base import node_at
from .quantities import DimensionError, UnitError

_PATTERN_HELP = {
    "^[A-Za-z0-9][A-Za-z0-9_.\\-]*$": "an ID of letters, digits, '.', '_' and '-', starting with a letter or digit",
    "^TP\\d{3}$": "a diagnostic code such as TP301",
    "^[A-Za-z0-9](?:[A-Za-z0-9_.\\-]*[A-Za-z0-9_\\-])?$":
        "a part number of letters, digits, '.', '_' and '-' (it names files: no spaces, slashes or trailing dot)",
    "^[A-Z]{1,2}$": "a datum letter such as A",
}


def report(exc: ValidationError, root: Node, model: type[BaseModel], diags: Diagnostics) -> None:
    """Add one diagnostic per validation error, located in the YAML node tree."""
    for err in exc.errors(include_url=False):
        _one(err, root, model, diags)


def _one(err: dict, root: Node, model: type[BaseModel], diags: Diagnostics) -> None:
    path = tuple(err["loc"])
    etype = err["type"]
    node, key, found = node_at(root, path)
    where = _describe(path)
    if etype == "extra_forbidden":
        name = str(path[-1])
        options = _fields_at(model, path[:-1])
        hint = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
        msg = f"unknown key {name!r}{' in ' + _describe(path[:-1]) if path[:-1] else ''}"
        msg += f"; did you mean {hint[0]!r}?" if hint else (f" (expected one of: {', '.join(options)})" if options else "")
        diags.add("TP010", msg, key.loc if key is not None else node.loc)
        return
    if etype == "missing":
        parent = _describe(path[:-1]) or "the spec"
        diags.add("TP012", f"missing field {path[-1]!r} in {parent}", node.loc)
        return
    loc = node.loc
    if etype in ("model_type", "model_attributes_type", "list_type", "dict_type", "string_type", "is_instance_of"):
        expected = {"model_type": "a mapping", "model_attributes_type": "a mapping", "list_type": "a list",
                    "dict_type": "a mapping", "string_type": "text"}.get(etype, "another kind of value")
        diags.add("TP011", f"{where}: expected {expected}, got {_kind(node)}", loc)
        return
    if etype in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        value = err.get("input")
        options = [o.strip(" '\"") for o in expected.replace(" or ", ", ").split(",")]
        hint = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        msg = f"{where}: {value!r} is not one of {expected}"
        if hint:
            msg += f"; did you mean {hint[0]!r}?"
        diags.add("TP013", msg, loc)
        return
    if etype == "value_error":
        cause = err.get("ctx", {}).get("error")
        text = str(cause) if cause is not None else err["msg"]
        code = "TP014" if isinstance(cause, DimensionError) else "TP015" if isinstance(cause, UnitError) else "TP013"
        diags.add(code, f"{where}: {text}" if where else text, loc)
        return
    if etype == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        help_ = _PATTERN_HELP.get(pattern, f"text matching {pattern}")
        diags.add("TP013", f"{where}: {err.get('input')!r} is not {help_}", loc)
        return
    if etype == "string_too_short":
        diags.add("TP013", f"{where}: must not be empty", loc)
        return
    if etype == "too_short" and isinstance(err.get("input"), str):
        diags.add("TP013", f"{where}: must not be empty", loc)
        return
    if etype == "too_short":  # a list that must not be empty
        n = err.get("ctx", {}).get("min_length", 1)
        diags.add("TP013", f"{where}: must list at least {n} {'entry' if n == 1 else 'entries'}", loc)
        return
    if etype in ("string_too_long", "too_long"):
        diags.add("TP013", f"{where}: longer than {err['ctx']['max_length']} characters", loc)
        return
    diags.add("TP013", f"{where}: {err['msg']}", loc)


def _kind(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "nothing" if node.is_null else f"{node.value!r}"


def _describe(path: tuple) -> str:
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif isinstance(step, str) and ("[" in step or step[:1].isupper()):
            continue  # pydantic's internal names for validators and union branches
        else:
            out += ("." if out else "") + step
    return out


def _fields_at(model: type[BaseModel], path: tuple) -> list[str]:
    """The keys the schema allows at ``path`` (for did-you-mean)."""
    current: typing.Any = model
    for step in path:
        current = _unwrap(current)
        if isinstance(step, int):
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and step in current.model_fields:
            current = current.model_fields[step].annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted(f.alias or n for n, f in current.model_fields.items())
    return []


def _unwrap(tp: typing.Any) -> typing.Any:
    """Strip Optional, list, Annotated and dict down to the model class inside."""
    for _ in range(8):
        origin = typing.get_origin(tp)
        if origin is None:
            return tp
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if origin is typing.Annotated:
            tp = args[0]
        elif origin in (list, tuple, set, dict) or origin is typing.Union or str(origin) == "types.UnionType":
            models = [a for a in args if isinstance(a, type) and issubclass(a, (BaseModel,))]
            tp = models[0] if models else (args[-1] if args else tp)
        else:
            return tp
    return tp


def enum_values(enum: type[Enum]) -> list[str]:
    return [e.value for e in enum]
