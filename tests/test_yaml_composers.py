"""libyaml's composer and ours give the same located tree, and libyaml's is the one used for ordinary specs.

``techpack.yamlsrc`` converts libyaml's node tree when it can vouch for it and composes from the event stream
otherwise (tests/test_hostile_yaml.py runs every hostile input through both, and through the pure-Python
parser).  Here: on every YAML file shipped with techpack, and on generated YAML, a tree the C composer
builds is exactly the event composer's — same values, plain/quoted flags, key order and the location of
every node and key — and the event composer finds nothing to report in it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techpack import yamlsrc
from techpack.diagnostics import Diagnostics
from techpack.yamlsrc import Mapping, Scalar, Sequence

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(yamlsrc._CComposer is None, reason="PyYAML without libyaml")


def by_events(text: str):
    diags = Diagnostics()
    return yamlsrc._Composer("f.yaml", diags).compose(text, yamlsrc._Parser), list(diags)


def by_c(text: str):
    """libyaml's tree converted, or None when it hands the text to the event composer."""
    if not yamlsrc._c_can_compose(text):
        return None
    try:
        return yamlsrc._CTree("f.yaml").convert(yamlsrc._CComposer(text))
    except yamlsrc._Unsafe:
        return None


def same(a, b, path: str = "") -> None:
    assert type(a) is type(b), path
    assert a.loc == b.loc, path
    if isinstance(a, Scalar):
        assert (a.value, a.plain) == (b.value, b.plain), path
    elif isinstance(a, Mapping):
        assert list(a.values) == list(b.values), path
        for k in a.values:
            assert (a.keys[k].loc, a.keys[k].plain) == (b.keys[k].loc, b.keys[k].plain), f"{path}/{k}"
            same(a.values[k], b.values[k], f"{path}/{k}")
    else:
        assert isinstance(a, Sequence)
        assert len(a.items) == len(b.items), path
        for i, (x, y) in enumerate(zip(a.items, b.items)):
            same(x, y, f"{path}[{i}]")


def agree(text: str) -> bool:
    """Assert the two composers agree on ``text``; True when libyaml's composer built the tree."""
    tree = by_c(text)
    if tree is None:
        return False
    events, diags = by_events(text)
    assert diags == []
    same(tree, events)
    return True


SHIPPED = sorted(p for d in ("examples", "specs", "compiler/data", "tests/cases") for p in (ROOT / d).rglob("*.yaml") if p.is_file())


def test_every_shipped_yaml_file() -> None:
    used = 0
    for path in SHIPPED:
        used += agree(path.read_text(encoding="utf-8-sig", errors="replace"))
    assert len(SHIPPED) > 100 and used > len(SHIPPED) // 2


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*/techpack.yaml")) +
                         sorted((ROOT / "specs" / "capability").glob("*.yaml")), ids=lambda p: p.parent.name + "/" + p.name)
def test_the_examples_and_profiles_take_libyamls_composer(path: Path) -> None:
    assert agree(path.read_text(encoding="utf-8"))


def test_a_generated_5000_characteristic_spec(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_check  # noqa: PLC0415
    finally:
        sys.path.pop(0)
    folder = bench_check.generate(tmp_path / "bench", 100, 1000, 5000)
    assert agree((folder / "techpack.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "a: ! text\n",                      # non-specific tag: not plain
    "a: !!str 12\n",                    # explicit tag
    "%YAML 1.1\n---\na: 1\n",          # a directive libyaml's composer would drop
    "a: &x [1, 2]\nb: *x\n",            # an anchored list reached twice
    "a: 1\na: 2\n",                     # duplicate key
    "? [a]\n: 1\n",                     # non-scalar key
    "[" * 70 + "]" * 70,                # deeper than our limit (within libyaml's)
    "a: 1\n---\nb: 2\n",                # two documents
    "a: *nowhere\n",                    # alias without anchor
])
def test_what_the_event_composer_must_see(text: str) -> None:
    """Each is composed from events (and reported there when it is a problem)."""
    assert by_c(text) is None


def test_scalar_aliases_are_the_anchored_node_as_from_events() -> None:
    assert agree("name: &n Bracket\nagain: *n\nlist: [*n, *n]\n")


def test_a_text_over_the_c_limit_is_composed_from_events(monkeypatch) -> None:
    monkeypatch.setattr(yamlsrc, "C_COMPOSE_MAX_BYTES", 10)
    assert by_c("a: 1\nb: 2\nc: 3\n") is None


YAMLISH = st.sampled_from(list("[]{}:,-?&*|>'\"@`#\n\t ") + ["---", "...", "<<", "yes", "~", "&a", "*a", "é",
                                                             "\u2028", "\x85", "a: ", "- ", "  ", '"\\t"'])
DATA = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=25)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(YAMLISH, st.text(max_size=5)), max_size=60))
def test_random_yamlish_text(parts: list[str]) -> None:
    agree("".join(parts).replace("\x00", ""))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, st.sampled_from([None, True, False]), st.booleans())
def test_dumped_data(data, flow, allow_unicode) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=allow_unicode)
    if "!" not in text:
        assert agree(text)
