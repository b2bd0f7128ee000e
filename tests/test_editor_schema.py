"""What an editor sees: the main spec and every included file validate against the published schemas.

Scalars are typed as a YAML 1.2 editor (yaml-language-server) types them: plain
``12`` is a number, ``true`` a boolean, anything else text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from techpack.diagnostics import Diagnostics
from techpack.yamlsrc import Mapping, Scalar, Sequence, load_file

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def editor_value(node):
    if isinstance(node, Mapping):
        return {k: editor_value(v) for k, v in node.values.items()}
    if isinstance(node, Sequence):
        return [editor_value(v) for v in node.items]
    assert isinstance(node, Scalar)
    if not node.plain:
        return node.value
    v = node.value
    if v in ("null", "Null", "NULL", "~", ""):
        return None
    if v in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return v.lower() == "true"
    if _INT.match(v):
        return int(v)
    if _FLOAT.match(v):
        return float(v)
    return v


def _validator(name: str):
    schema = json.loads((ROOT / "specs" / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _load(path: Path):
    diags = Diagnostics()
    node = load_file(path, diags)
    assert node is not None, [str(d) for d in diags]
    return editor_value(node)


def _errors(validator, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if (p / "techpack.yaml").is_file()))
def test_every_example_file_validates_on_its_own(example):
    folder = EXAMPLES / example
    assert _errors(_validator("techpack.schema.json"), _load(folder / "techpack.yaml")) == []
    for part_file in sorted(folder.glob("parts/*.yaml")):
        assert _errors(_validator("techpack-fragment.schema.json"), _load(part_file)) == [], part_file.name


def test_the_main_schema_still_refuses_a_part_file_and_the_fragment_schema_an_include():
    part = _load(EXAMPLES / "enclosure" / "parts" / "lid.yaml")
    assert any("'product' is a required property" in e for e in _errors(_validator("techpack.schema.json"), part))
    assert _errors(_validator("techpack-fragment.schema.json"), {"include": ["x.yaml"]})


def test_an_editor_flags_a_day_first_date_and_a_plus_minus_typed_as_two_characters():
    spec = _load(EXAMPLES / "bracket" / "techpack.yaml")
    main = _validator("techpack.schema.json")
    spec["product"]["revision_date"] = "30.11.2026"
    assert any("revision_date" in e for e in _errors(main, spec))
    spec["product"]["revision_date"] = "2026-02-30"
    assert any("revision_date" in e for e in _errors(main, spec))  # format "date": not a calendar day
    spec["product"]["revision_date"] = "2026-11-30"
    assert _errors(main, spec) == []
    feature = next(f for f in spec["parts"][0]["features"] if "size" in f)
    feature["size"] = "12 +-0.1"
    assert any("size" in e for e in _errors(main, spec))
    feature["size"] = "12 ±0.1"
    assert _errors(main, spec) == []
