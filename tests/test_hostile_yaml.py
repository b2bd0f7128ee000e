"""Hostile YAML: every nasty input gives a clean, located diagnostic — never an exception, never a hang.

Each input goes through ``techpack.yamlsrc.load_bytes`` and, where it makes sense, through
the whole ``compile_spec`` on a product folder (the valid base spec of
``tests/cases/_valid`` with the hostile bit put in).  Every call runs under a 10 s
``signal.alarm``.  A product bug found here gets an ``xfail(strict=True)`` test until it is
fixed (none open now).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from techpack import yamlsrc
from techpack.catalogue import CATALOGUE
from techpack.diagnostics import Diagnostics, Severity
from techpack.engine import Compilation, Options, compile_spec
from techpack.yamlsrc import Mapping, Scalar, Sequence, load_bytes, load_file

VALID = Path(__file__).parent / "cases" / "_valid"
BASE = (VALID / "techpack.yaml").read_text(encoding="utf-8")
LIMIT_S = 10


class Hang(Exception):
    pass


@contextlib.contextmanager
def within(seconds: int = LIMIT_S):
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def on_alarm(signum, frame):
        raise Hang(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(autouse=True, params=["c-composer", "c-events", "pure-python"])
def parser(request, monkeypatch):
    """Every test runs with each reader: libyaml's composer (the default where PyYAML has libyaml; it hands
    everything it cannot vouch for to the event composer), our composer on libyaml's events (which may refuse
    deep nesting itself, as libyaml 0.2.5 in PyYAML 6.0.4 does), and our composer on the pure-Python parser
    (no limit of its own)."""
    if request.param != "c-composer":
        monkeypatch.setattr(yamlsrc, "_CComposer", None)
    if request.param == "pure-python":
        monkeypatch.setattr(yamlsrc, "_Parser", yamlsrc._PyParser)
    return request.param


def load(data: bytes, name: str = "f.yaml"):
    diags = Diagnostics()
    with within():
        node = load_bytes(data, name, diags)
    _well_formed(diags, name)
    return node, list(diags)


def _well_formed(diags, name: str | None = None) -> None:
    for d in diags:
        assert d.code in CATALOGUE, d
        assert d.message, d
        assert d.location is not None, d
        if name is not None:
            assert d.location.file == name, d


def where(text: str, token: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``occurrence``-th ``token`` in ``text``."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(token, pos + 1)
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, col


def at(diags, code: str) -> list[tuple[int, int]]:
    return [(d.location.line, d.location.column) for d in diags if d.code == code]


@pytest.fixture
def product(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A product folder (cwd) with the base spec's model; returns ``compile(text_or_bytes)``."""
    folder = tmp_path / "product"
    folder.mkdir()
    shutil.copy(VALID / "part.py", folder / "part.py")
    monkeypatch.chdir(folder)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("TECHPACK_CACHE_DIR", str(tmp_path / "cache"))

    def run(content: str | bytes) -> Compilation:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / "techpack.yaml").write_bytes(data)
        with within():
            result = compile_spec(Path("."), Options(geometry=False))
        _well_formed(result.diagnostics)
        return result

    return run


def base_with(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def problems(result: Compilation) -> list:
    return [d for d in result.diagnostics.sorted() if d.severity is not Severity.INFO]


def test_base_spec_is_clean(product) -> None:
    assert problems(product(BASE)) == []


# ------------------------------------------------------------------ duplicate keys


def test_all_duplicate_keys_are_reported_by_load_bytes() -> None:
    text = "a: 1\nb: 2\na: 3\nc:\n  x: 1\n  x: 2\nb: 4\n"
    node, diags = load(text.encode())
    assert at(diags, "TP002") == [(3, 1), (6, 3), (7, 1)]
    assert "first defined at line 1" in diags[0].message
    assert isinstance(node, Mapping) and node.to_python() == {"a": "1", "b": "2", "c": {"x": "1"}}


def test_all_duplicate_keys_are_reported_by_compile(product) -> None:
    text = base_with("    finish: anodise-clear\n", "    finish: anodise-clear\n    finish: none\n")
    text = text.replace("  owner: Example Engineering Ltd\n", "  owner: Example Engineering Ltd\n  owner: Someone\n")
    text = text.replace("  moq: 100\n", "  moq: 100\n  moq: 50\n")
    result = product(text)
    assert at(result.diagnostics, "TP002") == [where(text, "owner: Someone"), where(text, "finish: none"),
                                               where(text, "moq: 50")]
    assert not result.ok


# ------------------------------------------------------------------ anchors, aliases, bombs


def billion_laughs(levels: int = 9, fan: int = 10) -> bytes:
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * fan) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_billion_laughs_is_refused_quickly() -> None:
    data = billion_laughs()
    t0 = time.monotonic()
    node, diags = load(data)
    assert time.monotonic() - t0 < 2
    assert node is None
    assert [d.code for d in diags] == ["TP004"]
    assert 2 <= diags[0].location.line <= 10  # on one of the alias lines


def test_billion_laughs_inside_a_spec(product) -> None:
    text = BASE + billion_laughs().decode()
    result = product(text)
    assert [d.code for d in result.diagnostics] == ["TP004"]
    assert result.diagnostics.items[0].location.line > BASE.count("\n")
    assert result.loaded is None


def test_ordinary_aliases_still_work() -> None:
    node, diags = load(b"base: &b {x: 1, y: [a, b]}\ncopy: *b\nname: &n Bracket\nagain: *n\n")
    assert diags == []
    assert node.to_python() == {"base": {"x": "1", "y": ["a", "b"]}, "copy": {"x": "1", "y": ["a", "b"]},
                                "name": "Bracket", "again": "Bracket"}


def test_alias_without_anchor() -> None:
    node, diags = load(b"a: 1\nb: *nowhere\n")
    assert node is None and at(diags, "TP001") == [(2, 4)]
    assert "*nowhere" in diags[0].message


def test_merge_key_is_just_a_key() -> None:
    """YAML 1.2 has no ``<<`` merge: it stays an ordinary key (the schema then calls it unknown)."""
    node, diags = load(b"base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert diags == []
    assert node.to_python()["other"] == {"<<": {"x": "1"}, "y": "2"}


# ------------------------------------------------------------------ tags and directives


@pytest.mark.parametrize("tag", [
    "!!python/object/apply:os.system",
    "!!python/object/apply:subprocess.call",
    "!!python/object/new:builtins.open",
    "!!python/object/apply:builtins.open",
])
def test_python_tags_are_never_constructed(tag: str, tmp_path: Path, product) -> None:
    victim = tmp_path / "pwned"
    value = f'{tag} [["touch", "{victim}"]]' if "subprocess" in tag else \
        f'{tag} ["{victim}", "w"]' if "open" in tag else f'{tag} ["touch {victim}"]'
    data = f"name: {value}\n".encode()
    node, diags = load(data)
    assert node is None and [(d.code, d.location.line, d.location.column) for d in diags] == [("TP003", 1, 7)]
    assert "python/object" in diags[0].message
    text = base_with("  name: Spacer plate\n  revision: A\n", f"  name: {value}\n  revision: A\n")
    result = product(text)
    assert at(result.diagnostics, "TP003") == [where(text, tag)]
    assert not victim.exists(), "a YAML tag was executed"


@pytest.mark.parametrize("value, tagname", [
    ("!!python/name:os.system", "python/name"),
    ("!!binary aGVsbG8=", "binary"),
    ("!!int 12", "int"),
    ("!!float 1.5", "float"),
    ("!!bool yes", "bool"),
    ("!!timestamp 2026-01-01", "timestamp"),
    ("!custom x", "!custom"),
    ("!!set {a, b}", "set"),
    ("!!omap [a: 1]", "omap"),
])
def test_other_tags_are_refused(value: str, tagname: str) -> None:
    node, diags = load(f"a: ok\nb: {value}\n".encode())
    assert node is None and at(diags, "TP003") == [(2, 4)]
    assert tagname in diags[0].message


def test_str_tag_and_non_specific_tag_are_plain_text() -> None:
    node, diags = load(b'a: !!str 012\nb: ! yes\n')
    assert diags == []
    assert node.to_python() == {"a": "012", "b": "yes"}
    assert node.values["a"].plain is False


def test_yaml_1_1_directive(product) -> None:
    node, diags = load(b"%YAML 1.1\n---\na: yes\n")
    assert node is None and at(diags, "TP003") == [(1, 1)]
    assert "%YAML 1.1" in diags[0].message
    result = product("%YAML 1.1\n---\n" + BASE)
    assert at(result.diagnostics, "TP003") == [(1, 1)]


def test_yaml_1_2_directive_is_fine(product) -> None:
    node, diags = load(b"%YAML 1.2\n---\na: yes\n")
    assert diags == [] and node.to_python() == {"a": "yes"}
    assert problems(product("%YAML 1.2\n---\n" + BASE)) == []


def test_tag_directive(product) -> None:
    data = b"%TAG !e! tag:example.com,2000:app/\n---\na: !e!foo 1\n"
    node, diags = load(data)
    assert node is None and at(diags, "TP003") == [(1, 1)]
    assert "%TAG" in diags[0].message
    result = product(data.decode() + BASE.replace('techpack: "1"\n', ""))
    assert at(result.diagnostics, "TP003") == [(1, 1)]


# ------------------------------------------------------------------ YAML 1.1 scalars


def test_yaml11_words_stay_text_in_the_reader() -> None:
    data = b"a: yes\nb: NO\nc: on\nd: 012\ne: 0012\nf: 1.10\ng: .nan\nh: -.inf\ni: 0x1F\nj: 1_000\nk: 2026-01-15\nl: ~\nm: null\nn: ''\n"
    node, diags = load(data)
    assert diags == []
    assert node.to_python() == {"a": "yes", "b": "NO", "c": "on", "d": "012", "e": "0012", "f": "1.10", "g": ".nan",
                                "h": "-.inf", "i": "0x1F", "j": "1_000", "k": "2026-01-15", "l": None, "m": None,
                                "n": ""}


@pytest.mark.parametrize("word", ["yes", "NO", "on", "Off", "y", "True"])
def test_yaml11_boolean_in_a_bool_field(word: str, product) -> None:
    text = base_with("tolerance: 0.1, diameter: true,", f"tolerance: 0.1, diameter: {word},")
    result = product(text)
    (d,) = problems(result)
    line, col = where(text, f"diameter: {word},")
    assert (d.code, (d.location.line, d.location.column)) == ("TP013", (line, col + len("diameter: ")))
    assert f"{word!r} is not a boolean in YAML 1.2: write true or false" in d.message


@pytest.mark.parametrize("word", ["NO", "0012", "1.10", "yes", "on", "1e3", "0x1F", ".inf"])
def test_string_fields_keep_the_exact_text(word: str, product) -> None:
    text = base_with("    name: Spacer plate\n    revision: A\n", f"    name: Spacer plate\n    revision: {word}\n")
    text = text.replace("  revision: A\n  revision_date", f"  revision: {word}\n  revision_date")
    text = text.replace('    grade: "6082"\n', f"    grade: {word}\n")
    result = product(text)
    assert problems(result) == []
    spec = result.loaded.spec
    assert spec.parts[0].revision == word
    assert spec.product.revision == word
    assert spec.materials[0].grade == word


@pytest.mark.parametrize("field, old, new, token", [
    ("int", "  sample_batch: 10\n", "  sample_batch: 012\n", "012"),
    ("int", "{quantity: 5}", "{quantity: 05}", "quantity: 05}"),
    ("decimal", "quantity: 2\n", "quantity: 02\n", "quantity: 02\n"),
])
def test_octal_looking_numbers(field: str, old: str, new: str, token: str, product) -> None:
    text = base_with(old, new)
    (d,) = problems(product(text))
    line, col = where(text, token)
    assert (d.code, (d.location.line, d.location.column)) == ("TP013", (line, col + token.index("0")))
    assert "leading zero (YAML 1.1 reads it as octal)" in d.message


@pytest.mark.parametrize("old, new, token, code", [
    ("min: 8000,", "min: .nan,", ".nan", "TP013"),
    ("max: 12000,", "max: .inf,", ".inf", "TP013"),
    ("nominal: 10000}", "nominal: -.inf}", "-.inf", "TP013"),
    ("  moq: 100\n", "  moq: 100\n  cpk_min: +.INF\n", "+.INF", "TP013"),
])
def test_non_finite_decimals(old: str, new: str, token: str, code: str, product) -> None:
    text = base_with(old, new)
    (d,) = problems(product(text))
    assert (d.code, (d.location.line, d.location.column)) == (code, where(text, token))
    assert f"{token!r} is not a finite number" in d.message


@pytest.mark.parametrize("old, new, token, code", [
    ("  production_quantity: 200\n", "  production_quantity: .inf\n", ".inf", "TP013"),
    ("{quantity: 5}", "{quantity: .NaN}", ".NaN", "TP013"),
    ("tolerance: 0.1, diameter", "tolerance: -.inf, diameter", "-.inf", "TP013"),
    ("density: 2.71 g/cm3", "density: .inf g/cm3", ".inf g", "TP013"),
    ("size: Ø10 H8", "size: .nan", ".nan", "TP014"),
    ("{id: length, value: 60 ±0.1}", "{id: length, value: 60 ±.inf}", "60 ±.inf", "TP014"),
])
def test_non_finite_numbers_in_other_fields(old: str, new: str, token: str, code: str, product) -> None:
    text = base_with(old, new)
    (d,) = problems(product(text))
    assert (d.code, (d.location.line, d.location.column)) == (code, where(text, token))


def test_bad_length_message_names_a_real_unit(product) -> None:
    text = base_with("tolerance: 0.1, diameter", "tolerance: -.inf, diameter")
    (d,) = problems(product(text))
    assert "@product" not in d.message


# ------------------------------------------------------------------ deep nesting


@pytest.fixture
def any_parser(parser):
    """The tests that name it were written for both parsers; every test here now runs with all three readers."""
    return parser


def test_flow_nesting_5000_deep(any_parser) -> None:
    node, diags = load(b"[" * 5000 + b"]" * 5000)
    assert node is None and [(d.code, d.location.line, d.location.column) for d in diags] == [("TP004", 1, 65)]


def test_flow_nesting_keeps_earlier_findings_once(any_parser) -> None:
    node, diags = load(b"a: 1\na: 2\nb: " + b"[" * 3000 + b"]" * 3000 + b"\n")
    assert [(d.code, d.location.line, d.location.column) for d in diags] == [("TP002", 2, 1), ("TP004", 3, 67)]  # the root mapping is level 1


def test_a_parser_that_refuses_nesting_itself_still_gives_tp004(monkeypatch) -> None:
    """Whatever a future parser does, its own nesting refusal is TP004 at the place it names."""

    class Refusing:
        def __init__(self, text):
            pass

        def get_event(self):
            mark = yaml.Mark("x", 0, 0, 900, None, None)
            raise yaml.scanner.ScannerError("while increasing flow level", mark,
                                            "exceeded maximum nesting depth", mark)

    monkeypatch.setattr(yamlsrc, "_Parser", Refusing)
    monkeypatch.setattr(yamlsrc, "_PyParser", Refusing)
    node, diags = load(b"[[[")
    assert node is None and [(d.code, d.location.line, d.location.column) for d in diags] == [("TP004", 1, 901)]


def test_block_nesting_5000_deep(any_parser) -> None:
    node, diags = load(b"- " * 5000 + b"x\n")
    assert node is None and [(d.code, d.location.line, d.location.column) for d in diags] == [("TP004", 1, 129)]


def test_block_mapping_nesting_5000_deep_indented() -> None:
    data = "".join(" " * i + f"k{i}:\n" for i in range(5000)).encode()  # ~12.5 MB, under the size limit
    node, diags = load(data)
    assert node is None and [(d.code, d.location.line, d.location.column) for d in diags] == [("TP004", 65, 65)]


def test_nesting_at_the_limit_is_fine() -> None:
    node, diags = load(b"[" * 64 + b"x" + b"]" * 64)
    assert diags == []
    depth = 0
    while isinstance(node, Sequence):
        node, depth = node.items[0], depth + 1
    assert depth == 64 and node.value == "x"


@pytest.mark.parametrize("deep", ["[" * 5000 + "]" * 5000, "- " * 5000 + "x"], ids=["flow", "block"])
def test_deep_nesting_inside_a_spec(deep: str, product, any_parser) -> None:
    text = base_with("    general_tolerance: ISO 2768-mK\n",
                     "    general_tolerance: ISO 2768-mK\n    notes:\n      " + deep + "\n")
    result = product(text)
    assert [d.code for d in result.diagnostics] == ["TP004"]
    line, _ = where(text, "notes:")
    assert result.diagnostics.items[0].location.line == line + 1


# ------------------------------------------------------------------ size


def test_100_mb_file_is_refused_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "techpack.yaml"
    with open(big, "wb") as fh:  # sparse: instant, no 100 MB written
        fh.write(b"# big\n")
        fh.truncate(100 * 1024 * 1024)

    def no_parse(*args, **kwargs):
        raise AssertionError("an oversized file reached the YAML parser")

    monkeypatch.setattr(yamlsrc, "load_bytes", no_parse)
    monkeypatch.setattr(yamlsrc._Composer, "compose", no_parse)
    diags = Diagnostics()
    t0 = time.monotonic()
    with within():
        assert load_file(big, diags, "techpack.yaml") is None
    assert time.monotonic() - t0 < 1
    assert [(d.code, str(d.location)) for d in diags] == [("TP004", "techpack.yaml")]
    assert "104,857,600 bytes" in diags.items[0].message


def test_100_mb_spec_through_compile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "product"
    folder.mkdir()
    with open(folder / "techpack.yaml", "wb") as fh:
        fh.write(BASE.encode())
        fh.truncate(100 * 1024 * 1024)
    monkeypatch.chdir(folder)
    real_compose = yamlsrc._Composer.compose

    def compose(self, text):
        if len(text) > yamlsrc.MAX_FILE_BYTES:
            pytest.fail("an oversized file reached the YAML parser")
        return real_compose(self, text)

    monkeypatch.setattr(yamlsrc._Composer, "compose", compose)
    t0 = time.monotonic()
    with within():
        result = compile_spec(Path("."), Options(geometry=False))
    assert time.monotonic() - t0 < 5
    assert [(d.code, str(d.location)) for d in result.diagnostics] == [("TP004", "techpack.yaml")]


def test_oversized_spec_is_not_read_into_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "product"
    folder.mkdir()
    with open(folder / "techpack.yaml", "wb") as fh:
        fh.truncate(100 * 1024 * 1024)
    monkeypatch.chdir(folder)
    real = Path.read_bytes
    big_reads = []

    def spy(self):
        if self.stat().st_size > yamlsrc.MAX_FILE_BYTES:
            big_reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    compile_spec(Path("."), Options(geometry=False))
    assert big_reads == []


def test_load_bytes_refuses_oversized_data() -> None:
    node, diags = load(b"#" * (yamlsrc.MAX_FILE_BYTES + 1))
    assert node is None and [d.code for d in diags] == ["TP004"]


# ------------------------------------------------------------------ encodings and odd files


@pytest.mark.parametrize("data, line, column", [
    (b"a: ok\nb: \xff\xfe\n", 2, 4),
    ("a: ok\nsize: Ø10 H7\n".encode("cp1252"), 2, 7),  # saved as Windows-1252
    ("# spec\n\n\nname: Stütze\n".encode("latin-1"), 4, 9),
    ("a: x\n".encode("utf-16"), 1, 1),
])
def test_non_utf8(data: bytes, line: int, column: int, product) -> None:
    """The location is the first byte that is not UTF-8."""
    node, diags = load(data)
    assert node is None and at(diags, "TP001") == [(line, column)]
    assert "not UTF-8" in diags[0].message
    result = product(data)
    assert at(result.diagnostics, "TP001") == [(line, column)]


def test_non_utf8_after_a_bom() -> None:
    node, diags = load(b"\xef\xbb\xbfa: 1\nb: \xc3\x28\n")
    assert [(d.code, d.location.line, d.message) for d in diags] == [("TP001", 2, "file is not UTF-8 text (byte 0xc3)")]


@pytest.mark.parametrize("data", [b"a: b\x01\n", b"a: 1\nb: \x1b[31mred\x1b[0m\n", b"a: 1\nb: \x7f\n"])
def test_control_characters_are_refused(data: bytes) -> None:
    node, diags = load(data)
    assert node is None and [d.code for d in diags] == ["TP001"]
    assert "YAML cannot hold the control character U+00" in diags[0].message


@pytest.mark.parametrize("data, line", [(b"a: b\x01\n", 1), (b"a: 1\nb: \x1b[31mred\x1b[0m\n", 2)])
def test_control_characters_are_located(data: bytes, line: int) -> None:
    node, diags = load(data)
    (d,) = diags
    assert d.location.line == line and "\n" not in d.message and "<unicode string>" not in d.message


def test_utf8_bom_is_accepted() -> None:
    node, diags = load(b"\xef\xbb\xbfa: 1\n")
    assert diags == [] and node.to_python() == {"a": "1"}


@pytest.mark.parametrize("data, line", [(b"a: b\x00c\n", 1), (b"a: 1\n\nb: [x,\x00]\n", 3), (b"\x00", 1)])
def test_nul_byte(data: bytes, line: int, product) -> None:
    node, diags = load(data)
    assert node is None and at(diags, "TP001") == [(line, 1)]
    assert "NUL" in diags[0].message
    assert at(product(data).diagnostics, "TP001") == [(line, 1)]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"# only a comment\n", b"---\n", b"\xef\xbb\xbf"])
def test_empty_documents_load_as_nothing(data: bytes) -> None:
    node, diags = load(data)
    assert diags == []
    assert node is None or (isinstance(node, Scalar) and node.is_null)


@pytest.mark.parametrize("data", [b"", b"# only a comment\n"])
def test_empty_spec_is_an_error(data: bytes, product) -> None:
    assert product(data).diagnostics.has_errors


@pytest.mark.parametrize("data, kind", [
    (b"just a scalar\n", "scalar"),
    (b"'quoted scalar'\n", "scalar"),
    (b"~\n", "null"),
    (b"- product\n- parts\n", "list"),
    (b"[a, b]\n", "list"),
])
def test_spec_that_is_not_a_mapping(data: bytes, kind: str, product) -> None:
    node, diags = load(data)
    assert diags == []
    result = product(data)
    assert [(d.code, d.location.line, d.location.column) for d in result.diagnostics] == [("TP011", 1, 1)]
    assert "must be a mapping" in result.diagnostics.items[0].message


def test_multiple_documents(product) -> None:
    data = b"a: 1\n---\nb: 2\n---\nc: 3\n"
    node, diags = load(data)
    assert node is None and at(diags, "TP003") == [(2, 1)]
    text = BASE + "---\nproduct: {number: X}\n"
    assert at(product(text).diagnostics, "TP003") == [where(text, "---")]


def test_explicit_document_end_is_fine() -> None:
    node, diags = load(b"---\na: 1\n...\n")
    assert diags == [] and node.to_python() == {"a": "1"}


NON_SCALAR_KEYS = [  # (file, line and column where the key starts)
    (b"[a, b]: 1\n", (1, 1)),
    (b"? [a, b]\n: 1\n", (1, 3)),
    (b"{x: 1}: 2\n", (1, 1)),
    (b"ok: 1\n? - a\n  - b\n: 2\n", (2, 3)),
]


@pytest.mark.parametrize("data, start", NON_SCALAR_KEYS)
def test_non_scalar_keys(data: bytes, start: tuple[int, int]) -> None:
    node, diags = load(data)
    assert node is None and [d.code for d in diags] == ["TP003"]
    assert "mapping keys must be plain text" in diags[0].message
    assert start <= (diags[0].location.line, diags[0].location.column)  # at or after the key's start


@pytest.mark.parametrize("data, start", NON_SCALAR_KEYS)
def test_non_scalar_key_location_is_the_key(data: bytes, start: tuple[int, int]) -> None:
    node, diags = load(data)
    assert (diags[0].location.line, diags[0].location.column) == start


def test_list_key_in_a_spec(product) -> None:
    text = base_with("    finish: anodise-clear\n", "    finish: anodise-clear\n    [colour, gloss]: black\n")
    result = product(text)
    (d,) = result.diagnostics
    line, col = where(text, "[colour, gloss]")
    assert (d.code, d.location.line) == ("TP003", line)
    assert col <= d.location.column <= col + len("[colour, gloss]")


def test_unicode_keys_and_values(product) -> None:
    data = "ключ: значение\n名前: 部品 🔩\n\"é\": \"\\u00e9\\U0001F600\"\nmix: Ø12 H7 ±0.05 µm °\n".encode()
    node, diags = load(data)
    assert diags == []
    assert node.to_python() == {"ключ": "значение", "名前": "部品 🔩", "é": "é😀", "mix": "Ø12 H7 ±0.05 µm °"}
    text = base_with("  name: Spacer plate\n  revision: A\n", "  name: Distanzplatte Ø12 – 間隔板 🔩\n  revision: A\n")
    text = text.replace("    finish: anodise-clear\n", "    finish: anodise-clear\n    größe: 12\n")
    result = product(text)
    (d,) = result.diagnostics
    assert (d.code, (d.location.line, d.location.column)) == ("TP010", where(text, "größe"))
    assert "'größe'" in d.message
    fixed = text.replace("    größe: 12\n", "")
    result = product(fixed)
    # read intact; the shipped fonts cannot draw the CJK and emoji characters, which is said (TP018), located
    assert [(d.code, d.location.line) for d in problems(result)] == [("TP018", where(fixed, "Distanzplatte")[0])]
    assert result.loaded.spec.product.name == "Distanzplatte Ø12 – 間隔板 🔩"


def test_columns_count_characters_not_bytes(product) -> None:
    text = base_with("  number: TP-2001\n  name: Spacer plate\n", "  number: TP-2001\n  name: Ø–間🔩 plate\n  naem: x\n")
    (d,) = product(text).diagnostics
    assert (d.code, (d.location.line, d.location.column)) == ("TP010", where(text, "naem"))


def test_very_long_lines(product) -> None:
    long = "x" * 1_000_000
    node, diags = load(f"a: {long}\nb: [1, 2\n".encode())
    assert node is None and at(diags, "TP001")[0][0] in (2, 3)
    node, diags = load(f"a: {long}\nb: {long}\n".encode())
    assert diags == [] and node.to_python()["b"] == long
    pad = "y" * 200_000
    node, diags = load(f"k: [{pad}, {pad}]\nk: 1\n".encode())
    assert at(diags, "TP002") == [(2, 1)]
    flow = f"k: {{a: {pad}, a: 1}}\n"
    node, diags = load(flow.encode())
    assert at(diags, "TP002") == [where(flow, "a: 1")]
    text = base_with("  number: TP-2001\n  name: Spacer plate\n", f"  number: TP-2001\n  name: Spacer plate {long}\n")
    text = text.replace("    finish: anodise-clear\n", f"    finish: anodise-clear\n    notes: [{pad}, {pad}]\n    notes: []\n")
    result = product(text)
    assert at(result.diagnostics, "TP002") == [where(text, "notes: []")]


def test_syntax_errors_are_located(parser) -> None:
    node, diags = load(b"a: 1\nb: [1, 2\nc: 3\n")
    assert node is None and [d.code for d in diags] == ["TP001"]
    assert diags[0].location.line >= 2
    node, diags = load(b"a:\n  b: 1\n c: 2\n")
    assert [d.code for d in diags] == ["TP001"] and diags[0].location.line == 3
    node, diags = load(b"a: 'unterminated\n")
    assert [d.code for d in diags] == ["TP001"]
    node, diags = load(b"a:\tb\n\tc: d\n")
    # libyaml takes the tab after "a:" as separation and stops at the indenting tab; PyYAML's own scanner
    # already refuses the first tab (line 1, column 3)
    assert [d.code for d in diags] == ["TP001"]
    assert (diags[0].location.line, diags[0].location.column) == ((1, 3) if parser == "pure-python" else (2, 1))


# ------------------------------------------------------------------ hostile paths and values in a spec


def test_include_with_nul_character(product) -> None:
    text = base_with('techpack: "1"\n', 'techpack: "1"\ninclude: ["parts\\0.yaml"]\n')
    assert at(product(text).diagnostics, "TP016") == [where(text, '"parts')]


def test_include_with_overlong_name(product) -> None:
    text = base_with('techpack: "1"\n', 'techpack: "1"\ninclude: [' + "p" * 300 + '.yaml]\n')
    assert at(product(text).diagnostics, "TP016") == [where(text, "ppp")]


@pytest.mark.parametrize("path, code", [('"part\\0.step"', "TP013"), ("p" * 300 + ".step", "TP109")],
                         ids=["nul", "overlong"])
def test_geometry_path_hostile(path: str, code: str, product) -> None:
    """A NUL is refused as text (TP013); a name no file system takes is refused as a path (TP109)."""
    text = base_with("{cadquery: part.py}", "{step: " + path + "}")
    assert at(product(text).diagnostics, code)


def test_include_loop_and_self_include(product) -> None:
    (Path("more.yaml")).write_text("include: [techpack.yaml]\n", encoding="utf-8")
    text = base_with('techpack: "1"\n', 'techpack: "1"\ninclude: [techpack.yaml, more.yaml, "*.yaml"]\n')
    result = product(text)
    assert [(d.code, str(d.location)) for d in problems(result)] == [("TP016", "more.yaml:1:1")]


def test_impossible_revision_date(product) -> None:
    text = base_with("revision_date: 2026-01-15", "revision_date: 2026-02-31")
    assert at(product(text).diagnostics, "TP013") == [where(text, "2026-02-31")]


@pytest.mark.parametrize("envelope", ["nan x 10 x 10", "sNaN x 10 x 10", "1e9999999 x 10 x 10"])
def test_hostile_envelope(envelope: str, product) -> None:
    text = base_with("    general_tolerance: ISO 2768-mK\n",
                     f"    general_tolerance: ISO 2768-mK\n    envelope: {envelope}\n")
    assert product(text).diagnostics.has_errors


def test_huge_envelope_message_stays_short(product) -> None:
    text = base_with("    general_tolerance: ISO 2768-mK\n",
                     "    general_tolerance: ISO 2768-mK\n    envelope: 1e999999 x 10 x 10\n")
    result = product(text)
    assert result.diagnostics.has_errors
    assert all(len(d.message) < 1000 for d in result.diagnostics)


# ------------------------------------------------------------------ properties


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_raises(text: str) -> None:
    node, diags = load(text.encode("utf-8"))
    assert node is None or isinstance(node, (Scalar, Mapping, Sequence))
    if diags:
        assert node is None  # a refused file gives no half-read tree


YAMLISH = st.sampled_from(list("[]{}:,-?&*!|>'\"%@`#\n\t ") + ["---", "...", "<<", "!!", "%YAML 1.1", "%TAG",
                                                                 "yes", "~", "&a", "*a", "\x00", "\ufeff"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(YAMLISH, st.text(max_size=5)), max_size=80))
def test_random_yamlish_text_never_raises(parts: list[str]) -> None:
    node, diags = load("".join(parts).encode("utf-8"))
    if diags:
        assert all(d.severity is Severity.ERROR for d in diags)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    load(data)


def _safe_dump_text(value) -> str | None:
    """The scalar text ``yaml.safe_dump`` writes for a plain Python scalar (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    # PyYAML's own representer decides the text: 'true', '12', '1.0e+20', '.inf', '.nan', '-0.0', …
    return yaml.SafeDumper(None).represent_data(value).value


def _expected(data):
    if isinstance(data, dict):
        return {k: _expected(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_expected(v) for v in data]
    return _safe_dump_text(data)


def _has(data, char: str) -> bool:
    if isinstance(data, dict):
        return any(char in k or _has(v, char) for k, v in data.items())
    if isinstance(data, list):
        return any(_has(v, char) for v in data)
    return isinstance(data, str) and char in data


def _all_text(node) -> bool:
    if isinstance(node, dict):
        return all(isinstance(k, str) and _all_text(v) for k, v in node.items())
    if isinstance(node, list):
        return all(_all_text(v) for v in node)
    return node is None or isinstance(node, str)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=20), st.sampled_from(["yes", "NO", "on", "012", "0012", "1.10", "null", "~", "",
                                                           ".nan", "-.inf", "0x1F", "1_000", "2026-01-15", "<<",
                                                           "- a", "a: b", "#x", " lead", "trail ", "\t", "é\n",
                                                           "\u2028", "\x85", "\ufeff"]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                    max_leaves=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA, st.sampled_from([None, True, False]), st.booleans())
def test_safe_dump_round_trips_as_text(data, flow, allow_unicode) -> None:
    # PyYAML's emitter writes U+0085 (NEL) raw into a single-quoted scalar when allow_unicode is on, and every
    # YAML reader (PyYAML's own safe_load too) folds it to a space: not a round trip of PyYAML's, so left out.
    assume(not (allow_unicode and _has(data, "\x85")))
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=allow_unicode)
    node, diags = load(text.encode("utf-8"))
    assert diags == []
    got = node.to_python() if node is not None else None
    assert _all_text(got)
    assert got == _expected(data)


def test_a_character_written_as_an_escape_is_still_named(product) -> None:
    """The glyph check may skip its walk when every file's text is drawable; an escape in a quoted
    string makes a character the text does not show, so it must not fool that shortcut."""
    text = base_with("  name: Spacer plate\n  revision: A\n", '  name: "Spacer plate \\U0001F529"\n  revision: A\n')
    result = product(text)
    assert [(d.code, d.location.line) for d in problems(result)] == [("TP018", where(text, '"Spacer plate')[0])]
    assert "🔩 (U+1F529)" in problems(result)[0].message
    assert problems(product(base_with("  name: Spacer plate\n  revision: A\n",
                                      '  name: "Spacer \\u00d8 plate"\n  revision: A\n'))) == []
