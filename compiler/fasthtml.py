"""The HTML techpack's templates write, parsed to the tree WeasyPrint's own parser builds, about 15 times faster.

WeasyPrint parses with tinyhtml5, an HTML5 parser in pure Python: a tenth of the time of a table-heavy
render (0.45 s of a 42-page batch-record chunk). The templates write HTML whose tree construction needs
few of HTML5's repairs, so :func:`parse` rewrites it as XML and lets expat (C) build the tree, then makes
the repairs HTML5 makes for what the templates write:

* void elements (``<br>``, ``<col>``, ``<input>`` …) are closed; named character references are decoded;
* a ``<tr>`` directly in a ``<table>`` is put in a ``<tbody>``;
* an end tag with no open element of its name is dropped, ``</body>`` and ``</html>`` close nothing, and
  what is open at the end is closed there (a section's chunk of a long document opens an element that a
  later chunk closes);
* whitespace before ``<head>`` is dropped.

Anything else HTML5 would repair differently is not guessed at: :func:`parse` returns None, and the caller
uses tinyhtml5 (:func:`techpack.pdf.render_pdf`). That is the case for markup the rules above do not
cover (an element that closes another implicitly, a block inside a ``<p>``, text directly in a table, an
unquoted or valueless attribute, foreign elements such as inline SVG, ``<style>`` or ``<script>`` left in
the document) and for text XML cannot hold. ``tests/test_fasthtml.py`` holds every document the examples
render to the tinyhtml5 tree, element by element.
"""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as ET

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
#: elements whose content the templates write and HTML5 builds as written (given the repairs above)
KNOWN = frozenset("""html head body meta title link div span p h1 h2 h3 h4 h5 h6 table caption colgroup col thead
tbody tfoot tr td th img br wbr a b i em strong small sub sup code kbd samp var abbr ul ol li dl dt dd input label
textarea section header footer nav article aside main figure figcaption hr blockquote q cite s u mark time
""".split())
#: HTML5 closes an open <p> when one of these starts (and more); the templates never nest them in a <p>
_CLOSES_P = frozenset("""address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3
h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul li dd dt""".split())
_TABLE_PARTS = frozenset("caption colgroup thead tbody tfoot".split())
_ITEMS = frozenset(("li", "dt", "dd"))
_LISTS = frozenset(("ul", "ol", "dl"))
_HEAD = frozenset(("meta", "title", "link", ET.Comment))
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>|<!--(.*?)-->|<!([^>]*)>",
                    re.S)
_ATTRS = re.compile(r"""\s+[a-z][a-z0-9_:.-]*\s*=\s*("[^"]*"|'[^']*')""")  # lower case: HTML5 lowers names
_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset(("amp", "lt", "gt", "quot", "apos"))


class _NotOurs(Exception):
    """Markup that HTML5 would build differently from the rewritten XML."""


def _entity(m: re.Match) -> str:
    name = m[1]
    if name.startswith("#"):
        code = int(name[2:], 16) if name[1] in "xX" else int(name[1:])
        if code < 0x20 and code not in (9, 10, 13) or 0x7F <= code <= 0x9F or code > 0x10FFFF:
            raise _NotOurs(m[0])  # HTML5 maps these (windows-1252, U+FFFD); XML refuses or keeps them
        return m[0]
    if name in _XML_ENTITIES:
        return m[0]
    char = htmllib.entities.html5.get(name + ";")
    if char is None:
        raise _NotOurs(m[0])
    return htmllib.escape(char, quote=True)


def _xml(source: str) -> str:
    """``source`` rewritten as well-formed XML by the repairs of the module docstring."""
    start = source.find("<html")
    if start < 0:
        raise _NotOurs("no <html>")
    out: list[str] = []
    stack: list[str] = []
    pos = start
    for m in _TOKEN.finditer(source, start):
        out.append(source[pos:m.start()])
        pos = m.end()
        closing, tag, attrs, self_closed, comment, declaration = m.groups()
        if comment is not None:
            if "--" in comment or comment.endswith("-"):
                raise _NotOurs("comment")
            out.append(m[0])
            continue
        if declaration is not None:
            raise _NotOurs("declaration")
        tag = tag.lower()
        if tag not in KNOWN:
            raise _NotOurs(tag)
        if closing:
            if attrs.strip() or tag in VOID:
                raise _NotOurs(m[0])
            if tag in ("body", "html"):
                continue  # HTML5: they close nothing; what follows goes into the element still open
            if stack and stack[-1] == tag:
                stack.pop()
                out.append(f"</{tag}>")
            elif tag in stack:
                raise _NotOurs(f"</{tag}> closes {stack[-1]}")
            continue  # HTML5 ignores an end tag without an open element of its name
        if _ATTRS.sub("", attrs).strip():
            raise _NotOurs(m[0])  # an unquoted or valueless attribute
        if tag in _CLOSES_P and "p" in stack:
            raise _NotOurs(f"<{tag}> in <p>")
        if tag == "a" and "a" in stack:
            raise _NotOurs("<a> in <a>")  # HTML5 ends the first
        if tag in _ITEMS:  # HTML5 ends an open item of the same list first
            for open_tag in reversed(stack):
                if open_tag in _LISTS:
                    break
                if open_tag in _ITEMS:
                    raise _NotOurs(f"<{tag}> in <{open_tag}>")
        if tag in VOID:
            out.append(f"<{tag}{attrs}/>")
            continue
        if self_closed:
            raise _NotOurs(m[0])  # HTML5 ignores the slash and leaves the element open
        if tag in ("html", "head", "body") and tag in stack:
            raise _NotOurs(f"second <{tag}>")
        stack.append(tag)
        out.append(f"<{tag}{attrs}>")
    out.append(source[pos:])
    out.extend(f"</{tag}>" for tag in reversed(stack))
    return _ENTITY.sub(_entity, "".join(out))


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _repair(root: ET.Element) -> None:
    """Put a table's bare rows in a ``<tbody>`` and drop the whitespace before ``<head>``, as HTML5 does; raise
    :class:`_NotOurs` for a tree HTML5 would build otherwise."""
    if root.tag != "html" or not _blank(root.text):
        raise _NotOurs("text before <head>")
    root.text = None
    kids = [k for k in root if k.tag is not ET.Comment]
    if [k.tag for k in kids] != ["head", "body"] or not _blank(kids[0].tail):
        raise _NotOurs("not one <head> and one <body>")  # HTML5 would imply them
    head = kids[0]
    if any(k.tag not in _HEAD or not _blank(k.tail) for k in head) or not _blank(head.text):
        raise _NotOurs("<head> content")  # HTML5 would end the head there and start the body
    for table in root.iter("table"):
        if not _blank(table.text):
            raise _NotOurs("text in a table")  # HTML5 moves it before the table
        new: list[ET.Element] = []
        body = None
        for kid in table:
            if not _blank(kid.tail):
                raise _NotOurs("text in a table")
            if kid.tag == "tr":
                if body is None:
                    body = ET.Element("tbody")
                    new.append(body)
                body.append(kid)
            elif kid.tag in _TABLE_PARTS or kid.tag is ET.Comment:
                body = None
                new.append(kid)
            else:  # a cell, a <col> (HTML5 puts it in a <colgroup>), anything else
                raise _NotOurs(f"<{kid.tag}> in a table")
        table[:] = new
    for element in root.iter():
        tag = element.tag
        if tag in ("tbody", "thead", "tfoot", "tr"):
            part = ("td", "th") if tag == "tr" else ("tr",)
            if not _blank(element.text) or any(k.tag not in part or not _blank(k.tail) for k in element):
                raise _NotOurs(f"<{tag}> content")
        elif tag in ("textarea", "title") and len(element):
            raise _NotOurs(f"markup in <{tag}>")  # text to HTML5
        if tag in ("textarea", "pre") and element.text and element.text.startswith("\n"):
            raise _NotOurs(f"<{tag}> starting with a newline")  # HTML5 drops it


def parse(source: str) -> ET.Element | None:
    """The tree of the HTML ``source`` as tinyhtml5 builds it (no namespaces on HTML elements), or None when
    ``source`` holds markup this parser leaves to tinyhtml5."""
    try:
        text = _xml(source)
        parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
        parser.feed(text)
        root = parser.close()
        _repair(root)
    except (_NotOurs, ET.ParseError, ValueError):
        return None
    return root
