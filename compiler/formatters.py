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
        where = str(d.location) if d.location else "techpack"
        line = f"{where}: {d.severity.value} {d.code}: {d.message}"
        if d.waiver is not None:
            line += f" [waived by {d.waiver.owner}: {d.waiver.reason}]"
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
    return _json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


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
    return _json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _gh_escape(value: str, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
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
