"""The spec hash and the QR payloads: identities a person can check without techpack.

The **spec hash** is the SHA-256 of a ``sha256sum``-style listing of the spec's
files (``techpack.yaml`` and every file it includes)::

    <SHA-256 of the file, 64 lowercase hex digits><space><space><path>\\n

one line per file, ``<path>`` relative to the spec's folder with ``/``
separators, lines sorted by path (bytewise, UTF-8).  In a shell::

    cd SPEC-FOLDER && sha256sum techpack.yaml parts/*.yaml | LC_ALL=C sort -k2 | sha256sum

The tech-pack PDF lists every attached file with its own SHA-256, so the spec
hash printed on the forms can be recomputed from the attachments table alone
(``docs/identity.md``).  ``techpack hash PATH`` prints the listing and the hash.

QR payloads are ``:``-separated, fixed field order, empty fields kept::

    techpack-spec:<product>:<revision>:sha256:<spec hash>
    techpack-label:<product>:<part>:<revision>:<quantity>:<batch ID>:sha256:<spec hash>

``<batch ID>`` is ``{batch}`` on a printed label: the packer's label printer
replaces it (a template field), a reader treats the literal ``{batch}`` as
"not filled in".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

BATCH_PLACEHOLDER = "{batch}"


def listing(files: Iterable[tuple[str, str]]) -> str:
    """The ``sha256sum`` listing of ``(path, sha256)`` pairs, sorted by path."""
    rows = sorted(files, key=lambda f: f[0].encode("utf-8"))
    return "".join(f"{digest}  {path}\n" for path, digest in rows)


def spec_hash(files: Iterable[tuple[str, str]]) -> str:
    """The spec hash of ``(path, sha256)`` pairs (see the module docstring)."""
    return hashlib.sha256(listing(files).encode("utf-8")).hexdigest()


def _field(text: str) -> str:
    """A payload field: ``:`` would split it, so it is percent-encoded (with ``%`` itself)."""
    return text.replace("%", "%25").replace(":", "%3A")


def spec_qr(product: str, revision: str, sha256: str) -> str:
    """Batch record, plan and FAI QR: which spec, which revision, which exact content."""
    return f"techpack-spec:{_field(product)}:{_field(revision)}:sha256:{sha256}"


def label_qr(product: str, part: str, revision: str, quantity: int | None, sha256: str,
             batch: str = BATCH_PLACEHOLDER) -> str:
    """Label QR: product, part (the product number for a product label), revision, quantity, batch, hash."""
    qty = "" if quantity is None else str(quantity)
    return (f"techpack-label:{_field(product)}:{_field(part)}:{_field(revision)}:{qty}:{_field(batch)}"
            f":sha256:{sha256}")
