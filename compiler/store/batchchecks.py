"""The batch record's counts and sign-offs: in-line QC, final random inspection (FRI) and the gates.

Checked before anything is stored (a problem refuses the whole record, located at its field):

* counts are whole numbers, not negative; failed checks are at most the checks done;
* in-line first and last pieces are judged against the registered limits, like every value; failed checks
  or a failing first / last piece name the NCR of the reaction plan;
* FRI per part and class: conforming + nonconforming = pieces inspected; the pieces inspected are the
  registered plan's sample size n (ISO 2859-1 single sampling, normal inspection: the n of the Table 2-A row
  the plan landed on, whose sample-size letter is named), or the whole lot for a 100 % plan; the decision ticked is the one the counts give: accept when the
  nonconforming pieces are at most Ac, reject from Re; a characteristic's nonconforming count is at most the
  class's nonconforming pieces, which are at most their sum;
* gates: a decision is signed (who, when); the FRI gate agrees with the classes; the batch is released only
  after the FRI gate accepted it; dates are dates and not before the batch started.
"""

from __future__ import annotations

import re

from .record import Record, Value, day, parse_when

_COUNT = re.compile(r"^[+-]?[0-9]+$")

UNSET = ("", "Off", "off", "No")  # an unticked check box reads "Off" (pypdf) or is empty
SAMPLE_LETTERS = {2: "A", 3: "B", 5: "C", 8: "D", 13: "E", 20: "F", 32: "G", 50: "H", 80: "J", 125: "K",
                  200: "L", 315: "M", 500: "N", 800: "P", 1250: "Q", 2000: "R"}
"""ISO 2859-1 sample size → its sample-size code letter (the letter of the row the plan landed on)."""


def ticked(v: Value | None) -> bool:
    return v is not None and v.text not in UNSET


def _empty(fields: dict[str, Value]) -> bool:
    return not any(v.text for v in fields.values() if v.text not in UNSET)


def count(rec: Record, v: Value | None, what: str, required: bool = False) -> int | None:
    """A count: a whole number, not negative."""
    if v is None or not v.text:
        if required and v is not None:
            rec.problem(v.where, f"required: {what}")
        return None
    text = v.text.strip()
    if not _COUNT.match(text):
        rec.problem(v.where, f"{what}: {v.text!r} is not a whole number")
        return None
    n = int(text)
    if n < 0:
        rec.problem(v.where, f"{what}: {n} is negative; a count is 0 or more")
        return None
    if n > 1_000_000:
        rec.problem(v.where, f"{what}: {n} is out of range")
        return None
    return n


def fits(rec: Record, v: Value, limit: int, what: str) -> str:
    """``v``'s text when it fits its column (``limit`` characters; PostgreSQL refuses longer), else a problem."""
    if len(v.text) > limit:
        rec.problem(v.where, f"{what}: {len(v.text)} characters, more than the {limit} a store field holds")
        return v.text[:limit]
    return v.text


def inline_rows(rec: Record, chars: dict, judge) -> list[dict]:
    """One row per in-line QC line filled in (``chars``: subject → registered characteristic)."""
    out = []
    for subject, fields in sorted(rec.inline.items()):
        if _empty(fields):
            continue
        get = {k: fields.get(k, Value("", next(iter(fields.values())).where)) for k in
               ("first", "last", "checks", "failed", "ncr")}
        char = chars.get(subject)
        if char is None:
            rec.problem(get["checks"].where, f"unknown characteristic {subject} (not in the registered revision)")
            continue
        status = {}
        for k in ("first", "last"):
            v = get[k]
            status[k] = ""
            if v.text and fits(rec, v, 60, f"{k} piece of {subject}") == v.text:
                _num, status[k], problem = judge(char, v.text, "")
                if problem:
                    rec.problem(v.where, problem)
        checks = count(rec, get["checks"], f"checks done of {subject}", required=True)
        failed = count(rec, get["failed"], f"failed checks of {subject}", required=True)
        if checks is not None and failed is not None and failed > checks:
            rec.problem(get["failed"].where, f"{failed} failed checks of {subject}, but only {checks} checks done")
        fits(rec, get["ncr"], 100, f"NCR number of {subject}")
        bad = [k for k in ("first", "last") if status[k] == "fail"]
        if (failed or bad) and not get["ncr"].text:
            why = f"{failed} failed check(s)" if failed else f"the {' and '.join(bad)} piece outside the limits"
            rec.problem(get["ncr"].where, f"required: the NCR number for {why} of {subject} (reaction plan)")
        out.append({"characteristic_id": char.id, "first_value": get["first"].text, "first_status": status["first"],
                    "last_value": get["last"].text, "last_status": status["last"], "checks": checks,
                    "failed": failed, "ncr": get["ncr"].text})
    return out


def _plan_text(plan) -> str:
    if plan.sample_size is None:
        return f"100 %, Ac {plan.ac} Re {plan.re}"
    letter = SAMPLE_LETTERS.get(plan.sample_size)
    return (f"n={plan.sample_size}" + (f" (ISO 2859-1 letter {letter})" if letter else "")
            + f", Ac {plan.ac} Re {plan.re}")


def fri_rows(rec: Record, plans: dict, chars: dict, lot: int | None) -> tuple[list[dict], list[dict]]:
    """(one row per part and class inspected, one row per characteristic count); ``plans``: (part, class) → the
    registered plan; ``lot``: the pieces presented (quantity good, else started)."""
    results, counts = [], []
    by_class: dict[tuple[str, str], list[tuple[int, Value]]] = {}
    for subject, v in sorted(rec.fri_counts.items()):
        if not v.text:
            continue
        char = chars.get(subject)
        if char is None:
            rec.problem(v.where, f"unknown characteristic {subject} (not in the registered revision)")
            continue
        n = count(rec, v, f"FRI nonconforming pieces of {subject}")
        if n is None:
            continue
        by_class.setdefault((char.part, char.classification), []).append((n, v))
        counts.append({"characteristic_id": char.id, "nonconforming": n})
    for (part, cls), fields in sorted(rec.fri.items()):
        if _empty(fields):
            if by_class.get((part, cls)):
                n, v = by_class[(part, cls)][0]
                rec.problem(v.where, f"FRI counts of {part} {cls} characteristics without the class's pieces "
                                     "inspected, conforming and nonconforming")
            continue
        where = next(iter(fields.values())).where
        get = {k: fields.get(k, Value("", where)) for k in ("inspected", "accepted", "found", "accept", "reject")}
        plan = plans.get((part, cls))
        if plan is None:
            rec.problem(where, f"the registered revision has no FRI plan for {part} {cls} (register its pack again)")
            continue
        inspected = count(rec, get["inspected"], f"FRI pieces inspected ({part} {cls})", required=True)
        accepted = count(rec, get["accepted"], f"FRI conforming pieces ({part} {cls})", required=True)
        rejected = count(rec, get["found"], f"FRI nonconforming pieces ({part} {cls})", required=True)
        if None in (inspected, accepted, rejected):
            continue
        if accepted + rejected != inspected:
            rec.problem(get["accepted"].where, f"FRI {part} {cls}: {accepted} conforming + {rejected} nonconforming "
                                               f"= {accepted + rejected}, not the {inspected} pieces inspected")
        if plan.sample_size is not None and inspected != plan.sample_size:
            rec.problem(get["inspected"].where, f"FRI {part} {cls}: {inspected} pieces inspected, but the plan is "
                                                f"{_plan_text(plan)}")
        elif plan.sample_size is None and lot is not None and inspected < lot:
            rec.problem(get["inspected"].where, f"FRI {part} {cls}: {inspected} pieces inspected, but the plan is "
                                                f"{_plan_text(plan)} of the lot of {lot}")
        for n, v in by_class.get((part, cls), []):
            if n > rejected:
                rec.problem(v.where, f"{n} pieces nonconforming in this characteristic, but only {rejected} "
                                     f"nonconforming {cls} pieces found ({part})")
        listed = by_class.get((part, cls), [])
        if listed and rejected > sum(n for n, _v in listed):
            rec.problem(get["found"].where, f"FRI {part} {cls}: {rejected} nonconforming pieces, but the "
                                            f"characteristics list {sum(n for n, _v in listed)} nonconformities")
        due = "accept" if rejected <= plan.ac else "reject"
        acc, rej = ticked(get["accept"]), ticked(get["reject"])
        if acc and rej:
            rec.problem(get["accept"].where, f"FRI {part} {cls}: both accept and reject are ticked")
        elif not acc and not rej:
            rec.problem(get["accept"].where, f"required: the FRI decision of {part} {cls} ({due}: {rejected} "
                                             f"nonconforming, {_plan_text(plan)})")
        elif ("accept" if acc else "reject") != due:
            rec.problem((get["accept"] if acc else get["reject"]).where,
                        f"FRI {part} {cls}: {'accept' if acc else 'reject'} is ticked, but {rejected} nonconforming "
                        f"with {_plan_text(plan)} means {due}")
        results.append({"part": part, "classification": cls, "inspected": inspected, "accepted": accepted,
                        "rejected": rejected, "sample_size": plan.sample_size, "ac": plan.ac, "re": plan.re,
                        "decision": due})
    return results, counts


GATE_BOX = {"pp": ("approved",), "fai": ("passed",), "fri": ("accept", "reject")}


def gate_rows(rec: Record, fri: list[dict], fri_planned: bool, start: str | None) -> list[dict]:
    """One row per gate signed; ``fri``: the FRI rows of this record; ``fri_planned``: the revision has an FRI."""
    out = []
    when: dict[str, str] = {}
    decided: dict[str, str] = {}
    for g in ("pp", "fai", "fri", "release"):
        fields = rec.gates.get(g)
        if not fields or _empty(fields):
            continue
        where = next(iter(fields.values())).where
        by, date = fields.get("by", Value("", where)), fields.get("date", Value("", where))
        boxes = [b for b in GATE_BOX.get(g, ()) if ticked(fields.get(b))]
        if len(boxes) > 1:
            rec.problem(where, "FRI gate: both accept and reject are ticked")
            continue
        decision = boxes[0] if boxes else ("released" if g == "release" else "")
        if not decision:
            rec.problem(where, f"gate {g}: signed without its decision ticked ({' / '.join(GATE_BOX[g])})")
            continue
        if not by.text:
            rec.problem(by.where, f"required: who signed the {g} gate ({decision})")
        fits(rec, by, 100, f"who signed the {g} gate")
        signed = None
        if not date.text:
            rec.problem(date.where, f"required: the date of the {g} gate ({decision})")
        else:
            signed = parse_when(date.text)
            if signed is None:
                rec.problem(date.where, f"{date.text!r} is not a date (write YYYY-MM-DD)")
            elif start and day(signed) < day(start):
                rec.problem(date.where, f"gate {g} signed {signed}, before the batch started {start}")
        reference = fits(rec, fields.get("fair", Value("", where)), 100, "FAIR number")
        if g == "fai" and not reference:
            rec.problem(fields.get("fair", Value("", where)).where, "required: the FAIR number of the passed FAI")
        if g == "fri":
            rejected = [f"{r['part']} {r['classification']}" for r in fri if r["decision"] == "reject"]
            if not fri:
                rec.problem(where, f"FRI gate {decision}ed without the FRI counts of any class")
            elif decision == "accept" and rejected:
                rec.problem(where, f"FRI gate accept, but the counts reject {', '.join(rejected)}")
            elif decision == "reject" and not rejected:
                rec.problem(where, "FRI gate reject, but every class's counts accept the lot")
        if g == "release":
            if fri_planned and decided.get("fri") != "accept":
                rec.problem(where, "batch released without the FRI gate accepted (final random inspection)")
            elif signed and when.get("fri") and day(signed) < day(when["fri"]):
                rec.problem(date.where, f"batch released {signed}, before the FRI gate was signed {when['fri']}")
        decided[g] = decision
        if signed:
            when[g] = signed
        out.append({"gate": g, "decision": decision, "reference": reference, "signed_by": by.text,
                    "signed_at": signed})
    return out
