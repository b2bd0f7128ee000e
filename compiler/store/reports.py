"""The containment / genealogy report PDF (WeasyPrint, like the rest of the pack)."""

from __future__ import annotations

import html
from pathlib import Path



def trace_pdf(path: Path, title: str, body: str) -> None:
    from weasyprint import HTML  # noqa: PLC0415

    doc = (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title><style>"
           "@page{size:A4;margin:15mm} body{font-family:sans-serif;font-size:9pt} "
           "pre{font-size:8pt;white-space:pre-wrap}</style></head><body>"
           f"<h1>{html.escape(title)}</h1><pre>{html.escape(body)}</pre></body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=doc).write_pdf(path)
