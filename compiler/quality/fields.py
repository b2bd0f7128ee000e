"""AcroForm field names, QR codes and the small helpers the forms share.

Field names are paths: components joined by ``/``.  PDF forbids a period in a
field's partial name (ISO 32000-1, 12.7.3.2), so every ``.`` inside a
component (characteristic IDs such as ``bore.size``, BOM items such as
``1.3``) is written as ``:``.  Neither ``/`` nor ``:`` can occur in a part
number or an ID, so the mapping is reversible: :func:`parse` gives the
components back with their periods.
"""

from __future__ import annotations

import re

_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold (control characters, NUL) replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def name(*components: str | int) -> str:
    """The field name of ``components``: ``name("result", "sample", "TP-1", "bore.size", 3)``."""
    return "/".join(str(c).replace(".", ":") for c in components)


def parse(field_name: str) -> list[str]:
    """The components of a field name, periods restored (the inverse of :func:`name`)."""
    return [c.replace(":", ".") for c in field_name.split("/")]


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def component(text: str) -> str:
    """Free text (a BOM item number) as an ID component: letters, digits, ``.``, ``_``, ``-``."""
    return _UNSAFE.sub("-", text).strip("-") or "item"


def slug(text: str) -> str:
    """A process stage name as a field-name component: ``powder coating`` → ``powder-coating``."""
    return _SLUG.sub("-", text.lower()).strip("-") or "stage"


def qr_data_uri(text: str, scale: int = 4) -> str:
    """A QR code of ``text`` as an SVG ``data:`` URL (deterministic, no external files)."""
    import segno  # noqa: PLC0415 - only when a form is drawn

    return segno.make(text, error="m", micro=False).svg_data_uri(scale=scale, border=2, dark="#000")


def spec_qr_text(product: str, revision: str, sha256: str) -> str:
    """What the batch-record QR code holds: the product, revision and the spec hash (:mod:`techpack.identity`)."""
    from ..identity import spec_qr  # noqa: PLC0415

    return spec_qr(product, revision, sha256)
