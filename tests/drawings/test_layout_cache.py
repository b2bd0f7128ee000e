"""The layout cache: an unchanged part's sheet comes back as it was laid out; any change to what the layout
reads is another key (a stale layout would be a silently wrong drawing)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys

import pytest

from techpack.drawings import layout_cache
from techpack.drawings import sheet as sheet_module
from techpack.drawings.layout import Inputs

from drawing_helpers import EXAMPLES


def _drawn(comp, sheet) -> bytes:
    from techpack.drawings.dxf import write_dxf
    from techpack.drawings.svg import write_svg

    return repr(sheet).encode() + write_svg(sheet) + write_dxf(sheet, comp.date)


@pytest.fixture
def layouts(tmp_path, monkeypatch):
    """The layout cache in a folder of its own (the geometry caches stay where they are)."""
    monkeypatch.setattr(sheet_module, "default_cache_dir", lambda: tmp_path)
    return tmp_path / "layouts"


def _part(compiled, number: str = "TP-3001-02"):
    comp = compiled["enclosure"]
    return comp, next(p for p in comp.loaded.spec.parts if p.number == number)


def test_an_unchanged_part_is_not_laid_out_again(compiled, layouts, monkeypatch):
    comp, part = _part(compiled)
    first = sheet_module.make_sheet(comp, part)
    assert len(list(layouts.glob("*/*.sheet"))) == 1

    def no_layout(*_a, **_k):
        raise AssertionError("laid out again")

    monkeypatch.setattr(sheet_module, "_laid_out", no_layout)
    again = sheet_module.make_sheet(comp, part)
    assert _drawn(comp, again) == _drawn(comp, first)


def test_changed_marks_are_another_layout(compiled, layouts):
    comp, part = _part(compiled)
    plain = sheet_module.make_sheet(comp, part)
    char = comp.context.characteristics[part.number][0].id
    marked = sheet_module.make_sheet(comp, part, changed=[char])
    assert marked.revision_marks and not plain.revision_marks
    assert len(list(layouts.glob("*/*.sheet"))) == 2


def test_laying_out_leaves_the_shared_inputs_as_they_were(compiled):
    """A cache hit skips compose: it must not change anything the rest of the build reads."""
    comp, part = _part(compiled)
    inp, changed = sheet_module.sheet_inputs(comp, part)
    shared = (inp.part, inp.chars, inp.facts, inp.match, inp.projected, inp.cuts, inp.general_notes, inp.revision_rows)
    before = layout_cache.encode(shared)
    sheet_module._laid_out(inp, part, changed, comp.loaded.spec.product)
    assert layout_cache.encode(shared) == before


# --------------------------------------------------------------------------- every input is in the key


def _leaves(o, path=(), out=None, seen=None):
    """(path, value) of every str, number and bool reachable from ``o`` (each shared object once)."""
    out = [] if out is None else out
    seen = set() if seen is None else seen
    if isinstance(o, (str, int, float)) and not isinstance(o, bool) or type(o) is bool:
        out.append((path, o))
    elif isinstance(o, (list, tuple)):
        for i, x in enumerate(o):
            _leaves(x, path + (i,), out, seen)
    elif isinstance(o, dict):
        for k, v in o.items():
            _leaves(v, path + (k,), out, seen)
    elif hasattr(o, "__dict__") and id(o) not in seen and type(o).__module__.startswith("techpack."):
        seen.add(id(o))
        for k, v in vars(o).items():
            _leaves(v, path + (k,), out, seen)
    return out


def _replaced(o, path, new):
    if not path:
        return new
    step, rest = path[0], path[1:]
    if isinstance(o, tuple):
        items = list(o)
        items[step] = _replaced(items[step], rest, new)
        return type(o)._make(items) if hasattr(type(o), "_fields") else tuple(items)
    if isinstance(o, list):
        items = list(o)
        items[step] = _replaced(items[step], rest, new)
        return items
    if isinstance(o, dict):
        d = dict(o)
        d[step] = _replaced(d[step], rest, new)
        return d
    c = copy.copy(o)
    object.__setattr__(c, step, _replaced(getattr(o, step), rest, new))
    return c


def _other(v):
    if type(v) is bool:
        return not v
    if isinstance(v, str):
        return v + "x"
    if isinstance(v, float):
        return v + 0.25
    return v + 1


def _key(inp, changed, part, product):
    return sheet_module.layout_key(inp, changed, part, product)


@pytest.mark.parametrize("example,number", [("enclosure", "TP-3001-02"), ("bracket", "TP-1001-01")])
def test_a_change_to_any_input_is_another_key(compiled, example, number):
    comp = compiled[example]
    part = next(p for p in comp.loaded.spec.parts if p.number == number)
    product = comp.loaded.spec.product
    inp, changed = sheet_module.sheet_inputs(comp, part)
    base = _key(inp, changed, part, product)
    assert base is not None  # the real inputs can be written down
    checked = set()
    for f in dataclasses.fields(Inputs):
        leaves = _leaves(getattr(inp, f.name), (f.name,))
        if not leaves:
            continue
        # the first, the last and a spread in between of each input's values
        picks = sorted({0, len(leaves) - 1, *range(0, len(leaves), max(1, len(leaves) // 7))})
        for k in picks:
            path, value = leaves[k]
            mutated = _replaced(inp, path, _other(value))
            assert _key(mutated, changed, part, product) != base, path
        checked.add(f.name)
    assert {"part", "chars", "facts", "match", "projected", "title", "general_notes", "standard",
            "preferred_sheet", "first_angle"} <= checked
    assert _key(inp, changed + ["C99"], part, product) != base
    for field in ("number", "name", "revision"):  # the sheet's title
        assert _key(inp, changed, part.model_copy(update={field: getattr(part, field) + "x"}), product) != base
    for field in ("number", "name"):  # its description
        assert _key(inp, changed, part, product.model_copy(update={field: getattr(product, field) + "x"})) != base


def test_code_templates_and_libraries_are_in_the_key(monkeypatch):
    from techpack import hashing, versions

    def clear():
        for cached in (hashing.output_basis, hashing.code_hash, hashing.templates_hash):
            cached.cache_clear()

    hashed = []
    monkeypatch.setattr(hashing, "tree_hash", lambda root: hashed.append(root.name) or "h")
    clear()
    try:
        monkeypatch.setattr(versions, "fingerprint_text", lambda: "ezdxf 1\n")
        one = layout_cache.key_of("same inputs")
        assert len(hashed) == 2 and "templates" in hashed  # the code folder and the templates
        clear()
        monkeypatch.setattr(versions, "fingerprint_text", lambda: "ezdxf 2\n")
        assert layout_cache.key_of("same inputs") != one
        clear()
        monkeypatch.setattr(hashing, "tree_hash", lambda root: "other code")
        assert layout_cache.key_of("same inputs") != one
    finally:
        clear()


def test_the_key_does_not_depend_on_the_process(compiled):
    """Sets are written sorted: the key is the same under another hash seed (else the cache never hits)."""
    comp, part = _part(compiled)
    inp, changed = sheet_module.sheet_inputs(comp, part)
    here = _key(inp, changed, part, comp.loaded.spec.product)
    code = ("import sys; from pathlib import Path; from techpack.engine import compile_spec; "
            "from techpack.drawings import sheet as s; c = compile_spec(Path(sys.argv[1])); "
            "p = next(p for p in c.loaded.spec.parts if p.number == sys.argv[2]); i, ch = s.sheet_inputs(c, p); "
            "print(s.layout_key(i, ch, p, c.loaded.spec.product))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code, str(EXAMPLES / "enclosure"), part.number], check=True,
                             capture_output=True, text=True, env={**__import__("os").environ, "PYTHONHASHSEED": seed})
        assert out.stdout.strip() == here


def test_unknown_types_are_not_cached():
    class Foreign:
        pass

    assert layout_cache.key_of(Foreign()) is None
    assert layout_cache.key_of({"a": (1.0, 2.0)}) is not None
    assert layout_cache.key_of({1, 2}) == layout_cache.key_of({2, 1})
    assert layout_cache.key_of([0.1]) != layout_cache.key_of([0.1 + 1e-17 + 2e-17])


# --------------------------------------------------------------------------- a bad entry is a miss


def test_damaged_or_foreign_entries_are_misses(compiled, layouts, tmp_path):
    comp, part = _part(compiled)
    first = sheet_module.make_sheet(comp, part)
    (entry,) = layouts.glob("*/*.sheet")
    key = entry.stem
    data = entry.read_bytes()
    entry.write_bytes(data[:-10] + b"0123456789")  # damaged payload: its hash no longer matches
    assert layout_cache.get(tmp_path, key) is None
    payload = pickle.dumps(print)  # a payload that would call something other than the drawing model
    import hashlib

    entry.write_bytes(layout_cache.MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    assert layout_cache.get(tmp_path, key) is None
    entry.write_bytes(b"")
    assert layout_cache.get(tmp_path, key) is None
    again = sheet_module.make_sheet(comp, part)  # laid out afresh, and stored again
    assert _drawn(comp, again) == _drawn(comp, first)
    assert layout_cache.get(tmp_path, key) is not None


def test_sheet_sizes_tried_at_one_scale_share_one_placement(compiled, monkeypatch):
    """The enclosure's base is tried on A3 at 1:1, A3 at 1:2, then A2 at 1:1: the second 1:1 attempt reuses
    the first one's placements, and the sheet is the one placing everything afresh makes."""
    from techpack.drawings import layout

    comp, part = _part(compiled, "TP-3001-01")
    inp, changed = sheet_module.sheet_inputs(comp, part)
    product = comp.loaded.spec.product
    calls = []
    place = layout._place
    monkeypatch.setattr(layout, "_place", lambda v, *a: calls.append(v) or place(v, *a))
    shared = _drawn(comp, sheet_module._laid_out(copy.deepcopy(inp), part, changed, product))
    shared_calls = len(calls)
    calls.clear()
    monkeypatch.setattr(layout, "_placed_once", lambda memo, key, make: make())
    alone = _drawn(comp, sheet_module._laid_out(copy.deepcopy(inp), part, changed, product))
    assert shared == alone
    assert shared_calls < len(calls)
