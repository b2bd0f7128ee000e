"""The declared template context: everything ``templates/techpack/*.html`` may use, and nothing else.

Templates run with StrictUndefined, so a name missing here is an error at
build time, not a blank in the supplier's PDF.  Every string comes from the
spec or from techpack and is HTML-escaped by Jinja2's autoescape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from .bom import BomTable
from .capability import CapabilityReport
from .parts import Fact, PartPage
from .production import ProductionPlan
from .sheets import Sheet


@dataclass(frozen=True)
class Section:
    """One entry of the contents and of the PDF outline; ``template`` names the partial that renders it."""

    anchor: str
    title: str
    template: str
    children: list["Section"] = field(default_factory=list)
    new_page: bool = True
    """Start the section on a new page (short sections follow on)."""


@dataclass(frozen=True)
class Revision:
    revision: str
    date: str
    author: str
    description: str
    current: bool


@dataclass(frozen=True)
class MaterialRow:
    id: str
    designation: str
    standard: str
    grade: str
    temper: str
    family: str
    form: str
    density: str
    certificate: str
    notes: str
    parts: list[str]


@dataclass(frozen=True)
class FinishRow:
    id: str
    process: str
    specification: str
    colour: str
    thickness: str
    masking: list[str]
    notes: str
    parts: list[str]


@dataclass(frozen=True)
class StepRow:
    step: int
    description: str
    items: list[str]
    tools: list[str]
    torque: str
    check: str


@dataclass(frozen=True)
class DeviationRow:
    id: str
    description: str
    affects: list[str]
    status: str
    owner: str


@dataclass(frozen=True)
class StandardRow:
    standard: str
    subject: str
    where: list[str]


@dataclass(frozen=True)
class AttachmentRow:
    name: str
    description: str
    size: str
    sha256: str
    mime: str = ""


class Product(TypedDict):
    number: str
    name: str
    revision: str
    owner: str
    description: str
    date: str
    contact: list[Fact]
    drawing_standard: str


class TemplateContext(TypedDict):
    """What ``techpack/techpack.html`` renders."""

    product: Product
    title: str
    subject: str
    keywords: str
    generator: str
    sections: list[Section]
    summary: list[Fact]
    history: list[Revision]
    bom: BomTable
    materials: list[MaterialRow]
    finishes: list[FinishRow]
    parts: list[PartPage]
    sheets: list[Sheet]
    assembly: list[StepRow]
    capability: CapabilityReport
    production: ProductionPlan
    packaging: list[Fact]
    deviations: list[DeviationRow]
    standards: list[StandardRow]
    attachments: list[AttachmentRow]
    attached_kinds: str
    spec_sha256: str
    """The spec hash printed on every form (:mod:`techpack.identity`), recomputable from the spec/ rows."""
    """What the attachments are, in words: "the spec, the capability data, 3D models and DXF drawings"."""
    pdf_a: bool
