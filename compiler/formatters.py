"""Diagnostic formatters: small functions from findings to text.

``text`` is for people (``file:line:col: severity CODE: message``), ``json``
for tools, ``sarif`` for code-scanning UIs, ``github`` for workflow
annotations.  All take the sorted findings and return one string.
"""

from __future__ import annotations

import json as _json
from typing import Callable, Iterable

from . import __version__
from .catalogue import CATALOGUE
from .diagnostics import Diagnostic, Severity


# Characters that must never reach a terminal or a CI log as they are: C0/C1 controls (a newline
# starts a line GitHub Actions would run as a workflow command, ESC/BEL drive the terminal), bidi
# overrides and isolates (text that reads other than it is), zero-width and line-separator characters.
_INVISIBLE = ({*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x061C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
               *range(0x202A, 0x202F), 0x2028, 0x2029, 0x2060, *range(0x2066, 0x206A), 0xFEFF})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_VISIBLE = {c: (_NAMED.get(chr(c)) or (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}")) for c in _INVISIBLE}


def visible(value: str) -> str:
    """``value`` with every control, bidi and zero-width character written as an escape (``\\n``, ``\\x1b``,
    ``\\u202e``): one line, shown as it is, in text and workflow-annotation output."""
    return value.translate(_VISIBLE)


def _json_safe(text: str) -> str:
    """JSON text with bidi and zero-width characters as \\u escapes too (json escapes the C0 controls)."""
    for c in _INVISIBLE:
        if c >= 0x7F:
            text = text.replace(chr(c), f"\\u{c:04x}")
    return text


def _split_subject(subject: str | None) -> tuple[str | None, str | None]:
    if not subject:
        return None, None
    part, _, char = subject.partition("/")
    return part, (char or None)


def summary(diags: list[Diagnostic]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "infos": 0, "waived": 0}
    for d in diags:
        if d.waived:
            counts["waived"] += 1
        else:
            counts[{"error": "errors", "warning": "warnings", "info": "infos"}[d.severity.value]] += 1
    return counts


def text(diags: list[Diagnostic], *, show_info: bool = True) -> str:
    lines = []
    for d in diags:
        if d.severity is Severity.INFO and not show_info:
            continue
        where = visible(str(d.location)) if d.location else "techpack"
        line = f"{where}: {d.severity.value} {d.code}: {visible(d.message)}"
        if d.waiver is not None:
            line += f" [waived by {visible(d.waiver.owner)}: {visible(d.waiver.reason)}]"
        lines.append(line)
    c = summary(diags)
    tail = f"{c['errors']} error(s), {c['warnings']} warning(s), {c['infos']} info"
    if c["waived"]:
        tail += f", {c['waived']} waived"
    lines.append(tail)
    return "\n".join(lines) + "\n"


def _record(d: Diagnostic) -> dict:
    part, char = _split_subject(d.subject)
    loc = d.location
    rec = {
        "code": d.code,
        "severity": d.severity.value,
        "message": d.message,
        "file": loc.file if loc else None,
        "line": loc.line if loc and loc.line else None,
        "column": loc.column if loc and loc.column else None,
        "subject": d.subject,
        "part": part,
        "characteristic": char,
        "waived": d.waived,
    }
    if d.waiver is not None:
        rec["waiver"] = {"reason": d.waiver.reason, "owner": d.waiver.owner}
    return rec


def json(diags: list[Diagnostic]) -> str:
    doc = {"tool": "techpack", "version": __version__, "summary": summary(diags),
           "diagnostics": [_record(d) for d in diags]}
    return _json_safe(_json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def sarif(diags: list[Diagnostic]) -> str:
    used = sorted({d.code for d in diags})
    rules = [{"id": c, "name": CATALOGUE[c].title.title().replace(" ", ""),
              "shortDescription": {"text": CATALOGUE[c].title},
              "fullDescription": {"text": CATALOGUE[c].help},
              "defaultConfiguration": {"level": _SARIF_LEVEL[CATALOGUE[c].severity.value]}} for c in used]
    index = {c: i for i, c in enumerate(used)}
    results = []
    for d in diags:
        res: dict = {"ruleId": d.code, "ruleIndex": index[d.code], "level": _SARIF_LEVEL[d.severity.value],
                     "message": {"text": d.message}}
        if d.location is not None:
            region = {}
            if d.location.line:
                region = {"startLine": d.location.line, "startColumn": max(d.location.column, 1)}
            phys: dict = {"artifactLocation": {"uri": d.location.file.replace("\\", "/")}}
            if region:
                phys["region"] = region
            res["locations"] = [{"physicalLocation": phys}]
        if d.subject:
            res["properties"] = {"subject": d.subject}
        if d.waiver is not None:
            res["suppressions"] = [{"kind": "inSource", "justification": f"{d.waiver.reason} ({d.waiver.owner})"}]
        results.append(res)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "techpack", "version": __version__,
                                      "informationUri": "https://github.com/techpack/techpack",
                                      "rules": rules}},
                  "results": results}],
    }
    return _json_safe(_json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    value = visible(value)  # what is left: ESC, BEL, bidi overrides, ... as visible escapes
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(diags: list[Diagnostic]) -> str:
    lines = []
    for d in diags:
        level = {"error": "error", "warning": "warning", "info": "notice"}[d.severity.value]
        if d.waived:
            level = "notice"
        props = []
        if d.location is not None:
            props.append(f"file={_gh_escape(d.location.file, True)}")
            if d.location.line:
                props.append(f"line={d.location.line}")
                props.append(f"col={d.location.column}")
        props.append(f"title={_gh_escape(d.code, True)}")
        msg = d.message + (f" [waived by {d.waiver.owner}: {d.waiver.reason}]" if d.waiver else "")
        lines.append(f"::{level} {','.join(props)}::{_gh_escape(msg)}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMATTERS: dict[str, Callable[[list[Diagnostic]], str]] = {
    "text": text,
    "json": json,
    "sarif": sarif,
    "github": github,
}
