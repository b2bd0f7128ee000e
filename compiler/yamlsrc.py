"""A located, hostile-input-proof YAML reader.

The spec is read as YAML 1.2 *structure only*: every scalar stays the exact
text the designer wrote (``0012``, ``NO`` and ``1.10`` are strings); the
typed schema decides later what a value means.  Every node keeps its
``file:line:col``.

Two composers give the same nodes.  libyaml's own composer (C, :class:`_CComposer`)
builds the tree when PyYAML has libyaml, the text is at most :data:`C_COMPOSE_MAX_BYTES`
and holds no tag, anchored collection or directive; we only convert its nodes (three
times faster than composing from events in Python).  Anything else — and anything the
C composer refuses, or a tree it builds that breaks one of the rules below — is composed
by us from the parser's event stream (iteratively, so 5,000-deep nesting cannot overflow
the stack), which refuses, with a located diagnostic instead of an exception:

* syntax errors, non-UTF-8 text and files over :data:`MAX_FILE_BYTES`;
* duplicate mapping keys and non-scalar keys;
* tags other than ``!!str`` (so ``!!python/object`` is never constructed),
  ``%YAML`` versions other than 1.2, ``%TAG`` directives, several documents;
* nesting deeper than :data:`MAX_DEPTH` and alias expansion beyond
  :data:`MAX_EXPANDED_NODES` (billion-laughs).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from .diagnostics import Diagnostics, Location

from yaml.parser import Parser as _P
from yaml.reader import Reader as _R
from yaml.scanner import Scanner as _S


class _PyParser(_R, _S, _P):
    """PyYAML's pure-Python parser: no nesting limit of its own, events produced lazily."""

    def __init__(self, stream):
        _R.__init__(self, stream)
        _S.__init__(self)
        _P.__init__(self)


try:  # libyaml is ~10x faster; the pure-Python parser is the fallback.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    _Parser = _PyParser

_IMPLICIT = "?"
"""The tag :class:`_CComposer` gives every untagged node: we resolve no types (every scalar stays text)."""

if _Parser is not _PyParser:

    class _CComposer(_Parser):  # type: ignore[valid-type, misc]
        """libyaml's composer: nodes with marks, built in C; every untagged node gets the tag :data:`_IMPLICIT`."""

        def resolve(self, kind, value, implicit) -> str:
            return _IMPLICIT

        def descend_resolver(self, current_node, current_index) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

else:  # pragma: no cover - depends on the PyYAML build
    _CComposer = None


def _parser_depth_limit(exc: Exception) -> bool:
    """The parser refused deep nesting itself (libyaml >= 0.2.5 as bundled with PyYAML 6.0.4: 1,000 levels,
    found while it looks ahead in a flow collection, before our own limit of 64 is reached)."""
    return "nesting depth" in str(getattr(exc, "problem", "") or exc)

MAX_FILE_BYTES = 16 * 1024 * 1024
C_COMPOSE_MAX_BYTES = 2 * 1024 * 1024
"""Larger texts are composed from events: the C composer holds its whole tree (~280 bytes a node) before we can
count nodes, the event composer refuses at :data:`MAX_EXPANDED_NODES` as it goes."""
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 2_000_000
NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(slots=True, eq=False)
class Scalar:
    """A scalar: its exact text, whether it was written plain (unquoted), and where."""

    value: str
    loc: Location
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.value in NULL_WORDS

    def to_python(self) -> str | None:
        return None if self.is_null else self.value


@dataclass(slots=True, eq=False)
class Mapping:
    """A mapping; ``keys`` keeps each key's own location."""

    loc: Location
    values: dict[str, "Node"] = field(default_factory=dict)
    keys: dict[str, Scalar] = field(default_factory=dict)

    def to_python(self) -> dict:
        # a scalar inline (most values): no method call each
        return {k: ((None if v.plain and v.value in NULL_WORDS else v.value) if type(v) is Scalar else v.to_python())
                for k, v in self.values.items()}


@dataclass(slots=True, eq=False)
class Sequence:
    loc: Location
    items: list["Node"] = field(default_factory=list)

    def to_python(self) -> list:
        return [v.to_python() for v in self.items]


Node = Union[Scalar, Mapping, Sequence]


def display_path(path: Path) -> str:
    """How a file is named in diagnostics: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _loc(name: str, mark) -> Location:
    return Location(name, mark.line + 1, mark.column + 1)


def load_file(path: Path, diags: Diagnostics, name: str | None = None, keep: list[bytes] | None = None) -> Node | None:
    """Read one YAML file into located nodes; problems go to ``diags`` and give ``None``.

    ``keep`` receives the bytes that were parsed: the caller hashes and attaches those,
    never a second read of a file that may have changed meanwhile.
    """
    name = name or display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.add("TP004", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}", Location(name))
            return None
        data = path.read_bytes()
    except OSError as exc:
        diags.add("TP000", f"cannot read file: {exc.strerror or exc}", Location(name))
        return None
    if keep is not None:
        keep.append(data)
    return load_bytes(data, name, diags)


def load_bytes(data: bytes, name: str, diags: Diagnostics) -> Node | None:
    """Parse YAML bytes; ``name`` is the file name used in locations."""
    if len(data) > MAX_FILE_BYTES:
        diags.add("TP004", f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}", Location(name))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raw = exc.object  # after any byte-order mark, which the codec strips first
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.add("TP001", f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x})", Location(name, line, col))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        diags.add("TP001", "file contains a NUL character", Location(name, line, 1))
        return None
    return _Composer(name, diags).compose(text)


_DROP = Scalar("", Location(""))  # marks the value of a duplicate key, which is dropped


class _Refused(Exception):
    """Internal: stop composing; the reason is already in the diagnostics."""


class _Composer:
    def __init__(self, name: str, diags: Diagnostics) -> None:
        self.name = name
        self.diags = diags
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.expanded = 0

    def refuse(self, code: str, message: str, mark) -> None:
        self.diags.add(code, message, _loc(self.name, mark))
        raise _Refused

    def compose(self, text: str, parser_class=None) -> Node | None:
        if parser_class is None and _CComposer is not None and _c_can_compose(text):
            try:
                return _CTree(self.name).convert(_CComposer(text))
            except _Unsafe:
                pass  # composed again from events, which names the problem and its place
        parser = None
        first = len(self.diags.items)
        try:
            parser = (parser_class or _Parser)(text)  # the pure-Python reader checks the characters here
            return self._run(parser)
        except _Refused:
            return None
        except yaml.MarkedYAMLError as exc:
            if parser_class is None and _Parser is not _PyParser and _parser_depth_limit(exc):
                # Whatever the installed libyaml allows, the limit and its location are ours: read again
                # with the lazy parser, which reaches our depth check first.
                self.anchors, self.expanded = {}, 0
                del self.diags.items[first:]
                return self.compose(text, _PyParser)
            self._syntax_error(exc)
            return None
        except yaml.reader.ReaderError as exc:
            pos = exc.position
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            char = exc.character
            shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
            self.diags.add("TP001", f"YAML cannot hold the control character {shown}; remove it",
                           Location(self.name, line, col))
            return None
        except yaml.YAMLError as exc:
            self.diags.add("TP001", f"YAML syntax error: {exc}", Location(self.name))
            return None
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose:
                dispose()

    def _syntax_error(self, exc: yaml.MarkedYAMLError) -> None:
        mark = exc.problem_mark or exc.context_mark
        loc = _loc(self.name, mark) if mark else Location(self.name)
        if _parser_depth_limit(exc):
            self.diags.add("TP004", f"nesting deeper than {MAX_DEPTH} levels (the YAML parser stopped here)", loc)
            return
        msg = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        self.diags.add("TP001", f"YAML syntax error: {msg}", loc)

    def _run(self, parser) -> Node | None:
        # stack entries: [container, weight, pending_key (for mappings)]
        stack: list[list] = []
        root: Node | None = None
        documents = 0
        name = self.name
        scalar_event = yaml.ScalarEvent
        for event in iter(parser.get_event, None):
            if (type(event) is scalar_event and event.tag is None and not event.anchor and stack
                    and type(stack[-1][0]) is Mapping and stack[-1][2] is not None):
                # Fast path, most events: a plain or quoted value of a mapping key.
                mark = event.start_mark
                node = Scalar(event.value, Location(name, mark.line + 1, mark.column + 1), not event.style)
                self.expanded += 1
                frame = stack[-1]
                frame[1] += 1
                key_node = frame[2]
                frame[2] = None
                if key_node is not _DROP:
                    frame[0].keys[key_node.value] = key_node
                    frame[0].values[key_node.value] = node
                continue
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.refuse("TP003", "a spec file holds one YAML document; found a second", event.start_mark)
                if event.version and tuple(event.version) != (1, 2):
                    ver = ".".join(map(str, event.version))
                    self.refuse("TP003", f"%YAML {ver} is not supported: techpack reads YAML 1.2 "
                                "(remove the directive)", event.start_mark)
                if event.tags:
                    self.refuse("TP003", "%TAG directives are not supported", event.start_mark)
                continue
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                node, weight, _, anchor = stack.pop()
                if anchor:
                    self.anchors[anchor] = (node, weight)
                root = self._attach(stack, node, weight, event) or root
                continue
            node, weight = self._open(event)
            # Each new node counts once; an alias counts everything it stands for.
            self.expanded += weight
            if self.expanded > MAX_EXPANDED_NODES:
                self.refuse("TP004", f"document expands to more than {MAX_EXPANDED_NODES:,} nodes "
                            "(aliases repeated too often)", event.start_mark)
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    self.refuse("TP004", f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
                stack.append([node, 1, None, event.anchor])
                continue
            root = self._attach(stack, node, weight, event) or root
        return root

    def _open(self, event) -> tuple[Node, int]:
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                self.refuse("TP001", f"alias *{event.anchor} names no anchor", event.start_mark)
            return self.anchors[event.anchor]
        tag = getattr(event, "tag", None)
        loc = _loc(self.name, event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            if tag is not None and tag != _STR_TAG and tag != "!":
                self.refuse("TP003", f"YAML tag {tag!r} is not supported (quote the value instead)",
                            event.start_mark)
            plain = not event.style and tag is None
            node: Node = Scalar(event.value, loc, plain)
            if event.anchor:
                self.anchors[event.anchor] = (node, 1)
            return node, 1
        if tag is not None:
            self.refuse("TP003", f"YAML tag {tag!r} is not supported", event.start_mark)
        if isinstance(event, yaml.MappingStartEvent):
            return Mapping(loc), 1
        return Sequence(loc), 1

    def _attach(self, stack, node: Node, weight: int, event) -> Node | None:
        """Put a finished node into its parent (its weight counts towards the parent's)."""
        if not stack:
            return node
        frame = stack[-1]
        parent = frame[0]
        frame[1] += weight
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif frame[2] is None:  # this node is a key
            if not isinstance(node, Scalar):
                self.diags.add("TP003", "mapping keys must be plain text, not a list or mapping", node.loc)
                raise _Refused
            key = node.value
            if key in parent.values:
                first = parent.keys[key].loc
                self.diags.add("TP002", f"duplicate key {key!r} (first defined at line {first.line})", node.loc)
                key = None  # keep the first value; go on to report every problem in the file
            frame[2] = node if key is not None else _DROP
        elif frame[2] is _DROP:
            frame[2] = None
        else:
            key_node = frame[2]
            parent.keys[key_node.value] = key_node
            parent.values[key_node.value] = node
            frame[2] = None
        return None


# ------------------------------------------------------------------ libyaml's composer


_DIRECTIVE = re.compile("(?:^|[\r\n\x85\u2028\u2029])%")


def _c_can_compose(text: str) -> bool:
    """Whether libyaml's composer may build this text's tree.  It resolves every tag to one value, so a text with
    ``!`` (any tag, including the non-specific ``! text`` that makes a scalar not plain) goes to the event
    composer; so does one with a ``%`` directive, which libyaml's composer ignores (we refuse all but ``%YAML
    1.2``), and one too large to hold as a tree first."""
    return len(text) <= C_COMPOSE_MAX_BYTES and "!" not in text and not _DIRECTIVE.search(text)


class _Unsafe(Exception):
    """Internal: the C composer refused the text, or its tree holds what only the event composer reports."""


class _CTree:
    """Convert libyaml's node tree into ours.  Anything the event composer would report or treat specially —
    a duplicate key, a key that is not a scalar, a tag, a collection reached twice (an alias of an anchored
    list or mapping: its weight counts against :data:`MAX_EXPANDED_NODES`), nesting deeper than
    :data:`MAX_DEPTH`, more than :data:`MAX_EXPANDED_NODES` nodes, any error of the C composer — raises
    :class:`_Unsafe`, and the text is composed from events instead.  A scalar alias is the anchored node
    again, as the event composer makes it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.seen: set[int] = set()

    def convert(self, composer) -> Node | None:
        try:
            root = composer.get_single_node()
        except (yaml.YAMLError, RecursionError) as exc:
            raise _Unsafe from exc
        finally:
            dispose = getattr(composer, "dispose", None)
            if dispose:
                dispose()
        return None if root is None else self._node(root, 0)

    def _node(self, n, depth: int) -> Node:
        name = self.name
        if n.tag != _IMPLICIT:
            raise _Unsafe
        mark = n.start_mark
        loc = _new_location(Location, (name, mark.line + 1, mark.column + 1))
        kind = type(n)
        if kind is _SCALAR_NODE:
            self.count += 1
            return Scalar(n.value, loc, not n.style)
        if depth >= MAX_DEPTH or id(n) in self.seen:
            raise _Unsafe
        self.seen.add(id(n))
        depth += 1
        if kind is _MAPPING_NODE:
            out = Mapping(loc)
            values, keys = out.values, out.keys
            count = 1
            for k, v in n.value:
                if type(k) is not _SCALAR_NODE or k.tag != _IMPLICIT:
                    raise _Unsafe
                key = k.value
                if key in values:
                    raise _Unsafe
                km = k.start_mark
                keys[key] = Scalar(key, _new_location(Location, (name, km.line + 1, km.column + 1)), not k.style)
                if type(v) is _SCALAR_NODE and v.tag == _IMPLICIT:  # most values: inline
                    vm = v.start_mark
                    values[key] = Scalar(v.value, _new_location(Location, (name, vm.line + 1, vm.column + 1)),
                                         not v.style)
                    count += 2
                else:
                    values[key] = self._node(v, depth)
                    count += 1
            self.count += count
        else:
            out = Sequence(loc)
            self.count += 1
            out.items = [self._node(v, depth) for v in n.value]
        if self.count > MAX_EXPANDED_NODES:
            raise _Unsafe
        return out


_new_location = tuple.__new__
_SCALAR_NODE, _MAPPING_NODE = yaml.ScalarNode, yaml.MappingNode
