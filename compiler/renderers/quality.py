"""The quality documents: inspection plan (PDF and CSV), AS9102 FAI forms, QIF, batch record, labels.

All seven files come from one :class:`techpack.quality.QualityPlan`, so the
characteristic IDs, balloons, classes and methods agree between them.  The
rules behind the plan are documented in ``docs/quality.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..drawings import balloon_refs
from ..geometry.facts import default_cache_dir
from ..pdf import render_pdf, template_env
from ..pdfsections import SectionLog, render_sectioned
from ..quality import QualityPlan, build_plan
from ..quality.as9102 import build_fairs
from ..quality.batchrecord import build_record, limits_text
from ..quality.csvplan import plan_csv
from ..quality.xlsxplan import plan_xlsx
from ..quality.fields import qr_data_uri, spec_qr_text
from ..quality.items import fmt, limits, nominal, tolerance, unit
from ..quality.labels import build_labels, label_size_mm
from ..quality.methods import NAMES
from ..quality.stages import CLASSES, REACTION_PLAN, STAGES
from ..schedule import build_jobs
from .base import Output, Target

if TYPE_CHECKING:
    from ..engine import Compilation

DEPENDS = ("spec", "capability")
LOCATED = ("inspection-plan-csv", "inspection-plan-xlsx", "fai-pdf", "qif", "inspection-plan-pdf", "batch-record-pdf")
"""Files that depend on every part's geometry too: those that name each balloon's sheet and zone (the drawing),
and those that show a characteristic's predicted Cpk or its inline-QC interval (the machines a part is routed
to depend on its size, taken from the model)."""


TEMPLATES = ("quality/batch-record.html", "quality/plan.html", "quality/fai.html", "quality/labels.html")


class QualityRenderer:
    """Inspection plan (PDF, CSV, XLSX), FAI forms, QIF, batch record and labels."""

    name = "quality"
    split = True  # every file is independent: each may render in its own process
    weights = {"batch-record-pdf": 15.0, "inspection-plan-pdf": 8.0, "fai-pdf": 5.0, "labels-pdf": 4.0,
               "inspection-plan-xlsx": 1.0, "inspection-plan-csv": 0.1, "qif": 0.2}
    """Relative render cost per kind (tenths of a second on the bracket): heaviest jobs start first."""
    light = ("inspection-plan-csv", "inspection-plan-xlsx", "qif")
    """Kinds that need no PDF stack: they may run while the render host loads it (``schedule.run_light``)."""

    def targets(self, comp: "Compilation") -> list[Target]:
        pn = comp.loaded.spec.product.number
        parts = tuple(f"part:{p.number}" for p in comp.loaded.spec.parts)
        if getattr(comp, "changes", None) is not None:
            parts += ("baseline",)  # a revision table on the drawings moves the views, so the balloons' zones
        out = [
            Target("inspection/plan.pdf", "inspection-plan-pdf", DEPENDS),
            Target("inspection/plan.csv", "inspection-plan-csv", DEPENDS),
            Target("inspection/plan.xlsx", "inspection-plan-xlsx", DEPENDS),
            Target("inspection/fai-as9102.pdf", "fai-pdf", DEPENDS),
            Target(f"inspection/{pn}.qif", "qif", DEPENDS),
            Target("batch-record.pdf", "batch-record-pdf", DEPENDS),
            Target("labels.pdf", "labels-pdf", DEPENDS),
        ]
        return [Target(t.path, t.kind, t.depends + parts) if t.kind in LOCATED else t for t in out]

    def prepare(self, comp: "Compilation", targets: list[Target]) -> None:
        """The drawings' layouts and the plan's stage rows, before the jobs fork: made once, read by every job."""
        if any(t.kind in LOCATED for t in targets):
            balloon_refs(comp)
        if targets:
            build_plan(comp).rows  # noqa: B018 - laid out on first use

    def warm(self) -> None:
        """Compile the documents' templates, import ReportLab and load its fonts (the render host, while the spec
        compiles)."""
        from .. import formpages  # noqa: PLC0415

        for name in TEMPLATES:
            template_env().get_template(name)
        formpages.warm()

    def render(self, comp: "Compilation", out: Output, targets: list[Target]) -> None:
        plan = build_plan(comp)
        for t in targets:
            if t.kind in SECTIONED:
                log = SectionLog()
                out.write(t.path, SECTIONED[t.kind](comp, plan, log))
                out.note(t.path, log.as_dict())
            else:
                out.write(t.path, WRITERS[t.kind](comp, plan))


def _common(comp: "Compilation", plan: QualityPlan) -> dict:
    spec = plan.spec
    return {
        "product": spec.product,
        "spec": spec,
        "plan": plan,
        "sha256": plan.sha256,
        "date": plan.date.date().isoformat(),
        "names": NAMES,
        "fmt": fmt,
        "limits": limits,
        "limits_text": limits_text,
        "nominal": nominal,
        "tolerance": tolerance,
        "unit": unit,
        "stages": STAGES,
        "classes": CLASSES,
    }


def _pdf(comp: "Compilation", template: str, context: dict, forms: bool = False) -> bytes:
    html = template_env().get_template(template).render(**context)
    data, _refused = render_pdf(html, roots=[], date=comp.date, forms=forms)
    return data


def _sectioned(comp: "Compilation", template: str, context: dict, log: SectionLog, forms: bool = False) -> bytes:
    """A long document whose template marks its sections: each cached by its own input, merged, stamped."""
    html = template_env().get_template(template).render(**context)
    return render_sectioned(html, date=comp.date, forms=forms, cache=default_cache_dir(), workers=build_jobs(comp),
                            log=log)


def plan_pdf(comp: "Compilation", plan: QualityPlan, log: SectionLog | None = None) -> bytes:
    prod = plan.spec.production
    matrix: dict[str, list] = {o.number: [] for o in plan.owners}
    by_subject: dict[str, dict] = {}
    for o in plan.owners:
        for item in plan.items.get(o.number, []):
            by_subject[item.subject] = {}
            matrix[o.number].append((item, by_subject[item.subject]))
    for r in plan.rows:
        by_subject[r.item.subject][r.stage] = r
    ctx = _common(comp, plan) | {"production": prod, "reaction_plan": REACTION_PLAN, "matrix": matrix,
                                 "active": [s for s in STAGES if plan.rows_of(s.key)],
                                 "level": prod.inspection_level.value if prod else "II"}
    return _sectioned(comp, "quality/plan.html", ctx, log or SectionLog())


def plan_csv_bytes(comp: "Compilation", plan: QualityPlan) -> bytes:
    return plan_csv(plan, balloon_refs(comp))


def plan_xlsx_bytes(comp: "Compilation", plan: QualityPlan) -> bytes:
    return plan_xlsx(plan, balloon_refs(comp))


def fai_pdf(comp: "Compilation", plan: QualityPlan, log: SectionLog | None = None) -> bytes:
    fairs = build_fairs(plan, balloon_refs(comp))
    return _sectioned(comp, "quality/fai.html", _common(comp, plan) | {"fairs": fairs}, log or SectionLog(),
                      forms=True)


def qif_bytes(comp: "Compilation", plan: QualityPlan) -> bytes:
    from ..quality.qif import write_qif  # noqa: PLC0415 - lxml only for the QIF job, not every render process

    return write_qif(plan, balloon_refs(comp))


def batch_record_pdf(comp: "Compilation", plan: QualityPlan, log: SectionLog | None = None) -> bytes:
    p = plan.product
    qr = qr_data_uri(spec_qr_text(p.number, p.revision, plan.sha256))
    record = build_record(plan, qr)
    return _sectioned(comp, "quality/batch-record.html", _common(comp, plan) | {"r": record}, log or SectionLog(),
                      forms=True)


def labels_pdf(comp: "Compilation", plan: QualityPlan) -> bytes:
    spec = plan.spec
    pack = spec.packaging
    w, h = label_size_mm(pack.label.size if pack else None)
    ctx = _common(comp, plan) | {"labels": build_labels(spec, plan.sha256), "width": fmt(w), "height": fmt(h),
                                 "packaging": pack}
    return _pdf(comp, "quality/labels.html", ctx, forms=True)


WRITERS = {
    "inspection-plan-pdf": plan_pdf,
    "inspection-plan-csv": plan_csv_bytes,
    "inspection-plan-xlsx": plan_xlsx_bytes,
    "fai-pdf": fai_pdf,
    "qif": qif_bytes,
    "batch-record-pdf": batch_record_pdf,
    "labels-pdf": labels_pdf,
}

SECTIONED = {"inspection-plan-pdf": plan_pdf, "batch-record-pdf": batch_record_pdf, "fai-pdf": fai_pdf}
"""Documents rendered as cached sections (``techpack.pdfsections``): their writers also log the sections."""

RENDERER = QualityRenderer()
