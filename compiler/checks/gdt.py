"""GD&T validity per ASME Y14.5 / ISO 1101 (TP201–TP209)."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics
from ..schema.spec import (DIAMETER_ZONE_OK, FEATURES_OF_SIZE, FORM, NEEDS_DATUM, ROUND_FEATURES, RUNOUT,
                           ControlFrame, Feature, GdtCharacteristic, Part)
from ..standards.general_tolerance import parse_general_tolerance
from .context import Context

_FORBIDDEN_LABELS = {"I", "O", "Q"}
# Tolerances that control where a feature is, relative to its datums (a basic dimension needs one of them).
_LOCATING = frozenset({GdtCharacteristic.position, GdtCharacteristic.profile_line,
                       GdtCharacteristic.profile_surface, GdtCharacteristic.symmetry,
                       GdtCharacteristic.concentricity, GdtCharacteristic.coaxiality}) | RUNOUT
_LETTER = re.compile(r"[A-Z]{1,2}")


def check(ctx: Context, diags: Diagnostics) -> None:
    for part in ctx.spec.parts:
        declared = _datums(part, diags)
        geometric_class = _geometric_class(part)
        for feature in part.features:
            for i, frame in enumerate(feature.gdt):
                _frame(part, feature, frame, declared, diags)
            _basic_location(part, feature, geometric_class, diags)
        _primary_form(part, diags)


def _toleranced_example(value) -> str:
    return value.text.replace("basic", "").replace("bsc", "").strip() + " ±0.1"


def _geometric_class(part: Part) -> str | None:
    if not part.general_tolerance:
        return None
    try:
        return parse_general_tolerance(part.general_tolerance).geometric_class
    except ValueError:
        return None  # reported where the general tolerance is read


def _basic_location(part: Part, feature: Feature, geometric_class: str | None, diags: Diagnostics) -> None:
    """A basic (theoretically exact) coordinate locates nothing by itself: a position or profile tolerance
    does (ISO 5458 / ASME Y14.5). Without one, the supplier cannot know how far the feature may be off.
    A feature on the origin (every basic coordinate 0, e.g. a bore on a turned part's axis) is held by the
    ISO 2768-2 general symmetry and run-out of the part's geometric class, when it has one."""
    if feature.type not in FEATURES_OF_SIZE or any(frame.characteristic in _LOCATING for frame in feature.gdt):
        return  # (a chamfer's or an edge's coordinates name which edge is meant; the edge itself locates it)
    # a coordinate along the feature's own axis says which segment or end is meant (a seat at Z 102 of a shaft
    # along Z), not where the axis is, so no position tolerance is owed for it
    basic = [(i, axis, value) for i, where in enumerate(feature.locations)
             for axis, value in (("x", where.x), ("y", where.y), ("z", where.z))
             if value is not None and value.kind == "basic" and axis != feature.axis]
    if not basic:
        return
    if geometric_class is not None and all(value.nominal == 0 for _, _, value in basic):
        return
    i, axis, _ = basic[0]
    written = ", ".join(f"{a} {v.text}" for _, a, v in basic[:4]) + (" …" if len(basic) > 4 else "")
    datums = ", ".join(d.label for d in part.datums[:3]) or "A, B"
    diags.add("TP209", f"{feature.id} is located by basic dimensions ({written}) but no position or profile "
              "tolerance says how far it may be off; add one (e.g. gdt: [{characteristic: position, tolerance: "
              f"0.2, diameter: true, datums: [{datums}]}}]) or give the coordinates a tolerance (e.g. "
              f"'{_toleranced_example(basic[0][2])}')",
              feature.locations[i].loc(axis), subject=f"{part.number}/{feature.id}")


def _datums(part: Part, diags: Diagnostics) -> set[str]:
    labels: set[str] = set()
    for d in part.datums:
        if d.label in labels:
            diags.add("TP207", f"datum {d.label} is declared twice in part {part.number}", d.loc("label"),
                      subject=part.number)
        if any(ch in _FORBIDDEN_LABELS for ch in d.label):
            diags.add("TP207", f"datum letter {d.label} is not allowed (ASME Y14.5 does not use I, O or Q)",
                      d.loc("label"), subject=part.number)
        labels.add(d.label)
    return labels


def _frame(part: Part, feature: Feature, frame: ControlFrame, declared: set[str], diags: Diagnostics) -> None:
    ch = frame.characteristic
    subject = f"{part.number}/{feature.id}.{frame.id or ch.value}"
    loc = frame.loc()
    if ch in FORM and frame.datums:
        diags.add("TP201", f"{ch.value} is a form tolerance and takes no datum reference "
                  f"(remove datums {', '.join(frame.datums)})", frame.loc("datums"), subject=subject)
    if ch in NEEDS_DATUM and not frame.datums:
        diags.add("TP202", f"{ch.value} on {feature.id} needs a datum reference frame", loc, subject=subject)
    if frame.modifier is not None and frame.modifier.value in ("MMC", "LMC"):
        if feature.type not in FEATURES_OF_SIZE:
            diags.add("TP203", f"{frame.modifier.value} applies only to features of size; {feature.id} is a "
                      f"{feature.type.value}", frame.loc("modifier"), subject=subject)
        elif ch in RUNOUT or ch in FORM - {GdtCharacteristic.straightness}:
            diags.add("TP203", f"{frame.modifier.value} cannot modify {ch.value}", frame.loc("modifier"),
                      subject=subject)
    seen: set[str] = set()
    for i, ref in enumerate(frame.datums):
        letters = _LETTER.findall(ref.split("(")[0])
        for letter in letters:
            if letter not in declared:
                diags.add("TP104", f"datum {letter} is not declared in part {part.number}"
                          + (f" (declared: {', '.join(sorted(declared))})" if declared else " (it declares none)"),
                          frame.loc("datums", i), subject=subject)
            if letter in seen:
                diags.add("TP204", f"datum {letter} appears twice in the datum reference frame of {feature.id}",
                          frame.loc("datums", i), subject=subject)
            seen.add(letter)
        if "(" in ref:
            datum_feature = next((d.feature for d in part.datums if d.label == letters[0]), None)
            target = next((f for f in part.features if f.id == datum_feature), None)
            if target is not None and target.type not in FEATURES_OF_SIZE:
                diags.add("TP203", f"datum {letters[0]} is a {target.type.value}, not a feature of size, so it "
                          "takes no material boundary modifier", frame.loc("datums", i), subject=subject)
    if ch is GdtCharacteristic.position and feature.type in FEATURES_OF_SIZE and not feature.locations:
        diags.add("TP205", f"position of {feature.id} needs its basic location (give `locations`)", loc,
                  subject=subject)
    if frame.diameter and ch not in DIAMETER_ZONE_OK:
        diags.add("TP206", f"a Ø zone does not apply to {ch.value}", frame.loc("diameter"), subject=subject)
    elif frame.diameter and feature.type not in ROUND_FEATURES and ch is not GdtCharacteristic.position:
        diags.add("TP206", f"a Ø zone for {ch.value} needs an axis; {feature.id} is a {feature.type.value}",
                  frame.loc("diameter"), subject=subject)


def _primary_form(part: Part, diags: Diagnostics) -> None:
    if not part.datums:
        return
    primary = part.datums[0]
    feature = next((f for f in part.features if f.id == primary.feature), None)
    if feature is None or feature.type in FEATURES_OF_SIZE:
        return
    if not any(fr.characteristic in FORM or fr.characteristic.value.startswith("profile") for fr in feature.gdt):
        diags.add("TP208", f"primary datum feature {feature.id} ({primary.label}) has no form tolerance; add e.g. "
                  "flatness so the datum is defined", primary.loc(), subject=f"{part.number}/{feature.id}")
