"""Measured capability: Cp/Cpk (within σ = MR̄/d₂) and Pp/Ppk (overall s) per characteristic × machine.

Conventions (see the traceability anchors, §4): individuals in time order,
within-subgroup σ from the average moving range, d₂(2) = 1.128; overall σ is
the sample standard deviation.  Normality: Anderson–Darling (SciPy, p-value
by interpolation); with p < 0.05 the indices are reported but flagged, since
both assume a normal, stable process.  n < 25 is flagged as too few.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .tables import batch, characteristic, measurement, revision, unit

D2 = 1.128
MIN_N = 25
ALPHA = 0.05


@dataclass
class Study:
    product: str
    revision: str
    subject: str
    key: bool
    machine: str
    unit: str
    lsl: Decimal | None
    usl: Decimal | None
    values: list[float] = field(repr=False)
    first: str
    last: str
    batches: list[str]
    mean: float = 0.0
    sigma_within: float = 0.0
    sigma_overall: float = 0.0
    cp: float | None = None
    cpk: float | None = None
    pp: float | None = None
    ppk: float | None = None
    ad_p: float | None = None

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def verdict(self) -> str:
        if self.n < MIN_N:
            return f"too few (n < {MIN_N})"
        if self.ad_p is None:
            return "normality not tested"
        return "normal" if self.ad_p >= ALPHA else "not normal (indices unreliable)"


def _indices(s: Study) -> None:
    v = s.values
    n = len(v)
    s.mean = sum(v) / n
    if n >= 2:
        mr = [abs(b - a) for a, b in zip(v, v[1:])]
        s.sigma_within = (sum(mr) / len(mr)) / D2
        s.sigma_overall = math.sqrt(sum((x - s.mean) ** 2 for x in v) / (n - 1))
    lo = float(s.lsl) if s.lsl is not None else None
    hi = float(s.usl) if s.usl is not None else None

    def index(sig: float) -> tuple[float | None, float | None]:
        if sig <= 0:
            return None, None
        p = (hi - lo) / (6 * sig) if lo is not None and hi is not None else None
        ks = [x for x in ((hi - s.mean) / (3 * sig) if hi is not None else None,
                          (s.mean - lo) / (3 * sig) if lo is not None else None) if x is not None]
        return p, min(ks) if ks else None

    s.cp, s.cpk = index(s.sigma_within)
    s.pp, s.ppk = index(s.sigma_overall)
    if n > 7 and s.sigma_overall > 0:
        from scipy import stats  # noqa: PLC0415

        s.ad_p = float(stats.anderson(v, method="interpolate").pvalue)


def measured(engine: Engine, part: str | None = None, machine: str | None = None) -> list[Study]:
    q = (select(revision.c.product, revision.c.revision, characteristic.c.subject, characteristic.c.key,
                characteristic.c.part, characteristic.c.unit, characteristic.c.lsl, characteristic.c.usl,
                measurement.c.machine, measurement.c.value, measurement.c.measured_at, batch.c.code)
         .select_from(measurement.join(characteristic).join(revision).join(unit).join(batch))
         .where(measurement.c.value.is_not(None))
         .where((characteristic.c.lsl != "") | (characteristic.c.usl != ""))
         .order_by(characteristic.c.subject, measurement.c.machine, measurement.c.measured_at, batch.c.code,
                   unit.c.piece, measurement.c.id))
    if part:
        q = q.where(characteristic.c.part == part)
    if machine:
        q = q.where(measurement.c.machine == machine)
    studies: dict[tuple, Study] = {}
    with engine.connect() as conn:
        for r in conn.execute(q):
            k = (r.product, r.revision, r.subject, r.machine)
            s = studies.get(k)
            if s is None:
                s = studies[k] = Study(r.product, r.revision, r.subject, bool(r.key), r.machine, r.unit,
                                       Decimal(r.lsl) if r.lsl else None, Decimal(r.usl) if r.usl else None,
                                       [], r.measured_at or "", r.measured_at or "", [])
            s.values.append(r.value)
            if r.measured_at:
                s.first, s.last = min(s.first or r.measured_at, r.measured_at), max(s.last, r.measured_at)
            if not s.batches or s.batches[-1] != r.code:
                if r.code not in s.batches:
                    s.batches.append(r.code)
    out = list(studies.values())
    for s in out:
        _indices(s)
    return out


def _f(x: float | None, fmt: str = "{:.2f}") -> str:
    return "-" if x is None else fmt.format(x)


def table_text(studies: list[Study]) -> str:
    if not studies:
        return "no measured variables with limits in the store\n"
    lines = [f"{'characteristic':40} {'machine':12} {'n':>5} {'Cp':>6} {'Cpk':>6} {'Pp':>6} {'Ppk':>6}  "
             f"{'σ within':>10}  dates, normality"]
    for s in studies:
        lines.append(f"{s.subject:40} {s.machine or '-':12} {s.n:>5} {_f(s.cp):>6} {_f(s.cpk):>6} {_f(s.pp):>6} "
                     f"{_f(s.ppk):>6}  {_f(s.sigma_within, '{:.5f}'):>10}  {s.first[:10]}…{s.last[:10]}, "
                     f"{s.verdict}" + (f" (AD p={s.ad_p:.3f})" if s.ad_p is not None else ""))
    return "\n".join(lines) + "\n"


def report_pdf(studies: list[Study], path: Path) -> None:
    """One page per charted characteristic × machine: individuals and moving-range charts and a histogram with
    the limits; vector graphics.  Key characteristics are charted (all when none is key)."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from matplotlib.backends.backend_pdf import PdfPages  # noqa: PLC0415

    charted = [s for s in studies if s.key and s.n >= 2] or [s for s in studies if s.n >= 2]
    path.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(path, metadata={"Creator": "techpack", "CreationDate": None, "ModDate": None}) as pdf:
        page = plt.figure(figsize=(8.27, 11.69))
        page.text(0.05, 0.95, "Measured capability", fontsize=16, va="top")
        page.text(0.05, 0.9, table_text(studies), fontsize=6, family="monospace", va="top")
        pdf.savefig(page)
        plt.close(page)
        for s in charted:
            fig, (ax_i, ax_mr, ax_h) = plt.subplots(3, 1, figsize=(8.27, 11.69))
            fig.suptitle(f"{s.product} rev {s.revision}  {s.subject}  on {s.machine or '-'}\n"
                         f"n={s.n}  Cp={_f(s.cp)}  Cpk={_f(s.cpk)}  Pp={_f(s.pp)}  Ppk={_f(s.ppk)}  "
                         f"{s.first[:10]}…{s.last[:10]}  {s.verdict}", fontsize=9)
            x = list(range(1, s.n + 1))
            mr = [abs(b - a) for a, b in zip(s.values, s.values[1:])]
            mrbar = sum(mr) / len(mr)
            ax_i.plot(x, s.values, marker=".", lw=0.6)
            for y, style in ((s.mean, "-"), (s.mean + 2.66 * mrbar, "--"), (s.mean - 2.66 * mrbar, "--")):
                ax_i.axhline(y, color="k", ls=style, lw=0.6)
            for lim in (s.lsl, s.usl):
                if lim is not None:
                    ax_i.axhline(float(lim), color="r", lw=0.8)
            ax_i.set_title("Individuals (centre, ±3σ limits; red: spec limits)", fontsize=8)
            ax_i.set_ylabel(s.unit)
            ax_mr.plot(x[1:], mr, marker=".", lw=0.6)
            ax_mr.axhline(mrbar, color="k", lw=0.6)
            ax_mr.axhline(3.267 * mrbar, color="k", ls="--", lw=0.6)
            ax_mr.set_title("Moving range (UCL = 3.267 MR̄)", fontsize=8)
            ax_h.hist(s.values, bins=min(30, max(5, s.n // 10)), color="0.7", edgecolor="k", lw=0.4)
            for lim in (s.lsl, s.usl):
                if lim is not None:
                    ax_h.axvline(float(lim), color="r", lw=0.8)
            ax_h.set_title("Histogram with specification limits", fontsize=8)
            ax_h.set_xlabel(s.unit)
            fig.tight_layout()
            pdf.savefig(fig)
            plt.close(fig)
