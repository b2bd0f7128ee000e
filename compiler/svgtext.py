"""SVG text that places no glyph of its own is laid out and drawn by WeasyPrint in one piece, not letter by letter.

WeasyPrint draws an SVG ``<text>`` code point by code point (``weasyprint/svg/text.py``): each letter is a
Pango layout of its own, so that an ``x``, ``y``, ``dx``, ``dy`` or ``rotate`` list may place each glyph.
A drawing sheet has about a hundred texts and none of those lists, and the letters' layouts were two
thirds of the time a sheet took to draw (20 sheets of the 100-part benchmark: 2.2 s, 0.7 s without their
texts, 1.4 s with their texts drawn whole).
Letter by letter also breaks what Pango shapes across letters: a combining accent, a ligature, kerning.

WeasyPrint's maintainers describe the fix in Kozea/WeasyPrint#2249 (open): draw the whole text when no
glyph is placed on its own, "the most common case by far". :func:`install` does that for a text that

* is a ``<text>`` or ``<tspan>`` with text, and at most one ``x`` and one ``y`` value,
* has no ``dx``, ``dy``, ``rotate``, ``textLength`` or ``letter-spacing`` (its own or inherited), is not
  right-to-left, and neither starts nor ends with a space (a space between it and a ``<tspan>`` keeps
  its letter-by-letter width);

every other text is drawn by WeasyPrint's own code, unchanged. It does it by handing WeasyPrint's function
the text as one "letter" (:class:`_Whole`), so everything else (the style, the baseline, the anchor's
shift, the bounding box, the fill and stroke, emoji) stays WeasyPrint's. It is installed only over the
function it was written against (``STOCK``, the SHA-256 of its source); a WeasyPrint that changed it keeps
its own drawing, slower but right.
"""

from __future__ import annotations

import functools
import sys

from .hashing import source_sha

#: SHA-256 of the source of ``weasyprint.svg.text.text`` that :func:`install` wraps (WeasyPrint 70.0)
STOCK = frozenset({"67a30c3e181b4a8002350771928b86b26dfef05b2706d0b3c6b46943e41af61b"})
_PLACING = ("dx", "dy", "rotate")  # WeasyPrint does not inherit these
_SPACING = ("textLength", "letter-spacing")  # these it does: node.get() sees an ancestor's


class _Whole(str):
    """A text that WeasyPrint's SVG text drawing iterates as a single letter: it lays it out and draws it in
    one piece. Everything else sees the string."""

    __slots__ = ()

    def __iter__(self):
        yield str(self)


def _one_value(value: str | None) -> bool:
    return value is None or len(value.replace(",", " ").split()) <= 1


def whole(node) -> bool:
    """Whether WeasyPrint's SVG ``node`` is a text that places no glyph of its own (see the module)."""
    text = node.text
    return (node.tag in ("text", "tspan") and bool(text) and text == text.strip(" ")
            and _one_value(node.get("x")) and _one_value(node.get("y"))
            and not any(node.get(name) is not None for name in _PLACING + _SPACING)
            and node.get("direction") != "rtl")


def known(function) -> bool:
    """Whether ``function``'s source is one :func:`install` was written against (``STOCK``)."""
    return source_sha(function) in STOCK


@functools.lru_cache(maxsize=1)
def install() -> bool:
    """Route WeasyPrint's SVG text drawing through :func:`whole` (once per process); False when this
    WeasyPrint's text drawing is not the one this was written against, and is left alone."""
    import weasyprint.svg as svg  # noqa: PLC0415

    stock = getattr(sys.modules.get("weasyprint.svg.text"), "text", None)
    if not known(stock) or getattr(svg, "text", None) is not stock:
        return False

    def text(svg_, node, font_size):
        if whole(node):
            node._etree_node.text = _Whole(node.text)  # noqa: SLF001 - the string WeasyPrint reads
        return stock(svg_, node, font_size)

    # draw_node tells a text node by ``TAGS.get(tag) == text`` (the module's name): both must be the wrapper
    for tag, function in list(svg.TAGS.items()):
        if function is stock:
            svg.TAGS[tag] = text
    svg.text = text
    return True
