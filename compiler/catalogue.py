"""The one catalogue of diagnostic codes.

Codes are stable: tools and waivers refer to them.  The reference in
``docs/diagnostics.md`` is generated from this table (``python -m
techpack.docgen``); a test fails when a code is used but not listed here.

Ranges: TP0xx reading and schema, TP1xx references, TP2xx GD&T,
TP3xx capability, TP4xx RFQ readiness, TP5xx batch plan, TP6xx waivers, TP7xx sheet metal,
TP8xx revisions (``--baseline``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    help: str


_CODES = [
    # -- reading and schema ------------------------------------------------
    Code("TP000", E, "file cannot be read", "The spec path or an included file does not exist or cannot be opened."),
    Code("TP001", E, "YAML syntax error", "The file is not valid YAML 1.2 (or not UTF-8 text)."),
    Code("TP002", E, "duplicate key", "A mapping names the same key twice; YAML readers silently keep one, techpack refuses."),
    Code("TP003", E, "unsupported YAML feature",
         "Tags (`!!python/object`, …), `%YAML 1.1` / `%TAG` directives, several documents in one file and "
         "non-scalar keys are refused: a spec is plain YAML 1.2 data."),
    Code("TP004", E, "input too large",
         "File over 16 MiB, nesting deeper than 64 levels, or aliases that expand to more than 2,000,000 nodes."),
    Code("TP005", E, "bad SOURCE_DATE_EPOCH",
         "The SOURCE_DATE_EPOCH environment variable is set but is not a whole number of seconds since 1970."),
    Code("TP007", E, "output folder refused",
         "A build replaces its output folder as a whole, so the folder must be absent, empty, or a pack that a "
         "techpack build wrote (its `manifest.json` lists every file in it). The product folder or a folder "
         "holding it, a folder holding a capability file, the working folder or one holding it, the home "
         "folder, `/`, links and folders with other files are refused before any work."),
    Code("TP008", E, "output cannot be written",
         "The pack could not be written: the disk is full, the place is read-only, permission is denied, or "
         "the staging folder was changed by someone else during the build. Nothing was changed; the "
         "previous pack is intact."),
    Code("TP010", E, "unknown key", "A key the schema does not define; the message suggests the closest valid key."),
    Code("TP011", E, "wrong type", "A value of the wrong kind: a list where a mapping is expected, text where a number is expected, …"),
    Code("TP012", E, "missing field", "A required field is absent."),
    Code("TP013", E, "invalid value",
         "A value outside what the field accepts: an unknown choice, a non-finite or ambiguous number, a YAML 1.1 "
         "boolean such as `yes`, a negative quantity, …"),
    Code("TP014", E, "bad dimension or tolerance",
         "A dimension that cannot be read: write `12 ±0.05`, `12 +0.1/-0.05`, `12 H7`, `11.95..12.05`, or a "
         "nominal alone when a general tolerance class applies."),
    Code("TP015", E, "bad unit", "A unit that is unknown or of the wrong kind (a length given in degrees, …)."),
    Code("TP016", E, "bad include",
         "An `include:` entry that escapes the product folder, matches no file, or repeats a singleton section."),
    Code("TP017", E, "unsupported spec version", "`techpack:` names a spec format version this techpack does not read."),
    Code("TP018", W, "characters the pack's fonts cannot show",
         "Text holds characters (CJK, emoji, rare symbols) that none of the fonts embedded in the PDFs and "
         "drawings has: they would print as empty boxes. The message names them."),
    Code("TP025", E, "unit the dimension's type does not take",
         "An angle dimension (`type: angle`) written without `°`, or a length dimension written in degrees: "
         "techpack never guesses a unit across kinds (`90 ±1` is 90 mm, not 90°)."),
    # -- references ----------------------------------------------------------
    Code("TP101", E, "duplicate identifier", "Two materials, finishes, parts, features, characteristics or BOM items share an ID."),
    Code("TP102", E, "unknown material", "A part names a material ID that is not declared under `materials:`."),
    Code("TP103", E, "unknown finish", "A part names a finish ID that is not declared under `finishes:` (write `none` for no finish)."),
    Code("TP104", E, "unknown datum", "A feature control frame names a datum letter the part does not declare."),
    Code("TP105", E, "unknown part", "A BOM line or assembly step names a part number that is not declared."),
    Code("TP106", E, "unknown feature", "A datum, dimension or reference names a feature ID the part does not have."),
    Code("TP107", E, "unknown BOM item", "An assembly step names a BOM item that does not exist."),
    Code("TP109", E, "geometry file missing", "A part's STEP or cadquery file does not exist in the product folder."),
    Code("TP110", E, "geometry cannot be loaded",
         "The STEP file or cadquery model failed to load, ran past its time or memory limit, holds no solid, "
         "or tried something the geometry sandbox refuses (reading outside its folder, writing, network, "
         "processes, the environment): the message names the operation and the model's line."),
    Code("TP111", W, "geometry model runs unconfined",
         "This machine cannot run the geometry worker in its sandbox (bubblewrap missing, or no user "
         "namespaces), so a cadquery model runs with your rights: it could read your files and secrets. "
         "Install bubblewrap; `--sandbox=require` makes this an error."),
    Code("TP112", E, "geometry sandbox required but unavailable",
         "`--sandbox=require` was given and the geometry worker cannot be confined on this machine: no "
         "STEP file or cadquery model is run, so nothing is measured."),
    Code("TP113", E, "model holds more than one solid",
         "A part's STEP file or cadquery model is several separate solids (bodies that do not touch, or an "
         "assembly): a made part is one solid. No STEP model is exported for it, and its volume, mass and "
         "drawing would add up every body. The message says how many solids were found."),
    Code("TP120", E, "feature not found in the model",
         "A toleranced feature of the spec is not in the geometry: no cylinder of that size whose axis passes "
         "the stated location, no pair of faces the slot's width apart, no chamfer of that leg and angle at the "
         "named edge, or fewer of them than its `count`. The message says what the model has instead (the "
         "nearest chamfers; a countersink where a chamfer was asked). The drawing would say one thing and the "
         "model another."),
    Code("TP121", W, "dimension not found in the model",
         "No two faces, edges or hole axes of the geometry lie a linear dimension's value apart along X, Y or Z "
         "(the message gives the nearest found), no cylinder has a diameter dimension's size, or an angle's "
         "`between:` does not name two located faces at an angle: the spec or the model is out of date."),
    Code("TP130", E, "dimension or feature fits more than one place",
         "More than one pair of faces, edges or hole axes of the model lies a linear dimension's value apart, and "
         "neither `between:` nor the features its ID or description names picks one; or a feature's size (a "
         "`Ø20 k6` seat, a `C1` chamfer, a slot width) fits more places of the model than its `count` and no "
         "`locations` entry says which: techpack does not guess. The message lists each candidate (value, "
         "position) and the `between:` or `locations` entry that would pick it."),
    Code("TP131", E, "dimension not between its features",
         "A linear dimension names the features it runs between (`between: [from, to]`), but no pair of their "
         "faces or axes lies its value apart: the message gives how far apart they are in the model, and the "
         "pairs that do lie that far apart."),
    Code("TP132", E, "thread size contradicts its class",
         "A thread feature states a `size` whose limits are not those its ISO 965 class sets (`size: Ø6` with "
         "`thread: M6x1-6g` would get ISO 2768 limits 5.9–6.1; 6g is 5.794–5.974): leave size out, the class "
         "gives the limits."),
    Code("TP133", W, "fit letter on the wrong kind of feature",
         "An ISO 286 hole tolerance (upper-case letter, `H7`) on a shaft, boss, pin or tab, or a shaft "
         "tolerance (lower-case, `k6`) on a hole, bore, slot or keyway: the limits come out on the wrong side."),
    Code("TP134", W, "dimension repeated or closing a chain",
         "Two dimensions run between the same pair of the model, or a dimension's ends are already tied by "
         "other toleranced dimensions and locations (holes at X 15 ±0.15 and X 105 ±0.15 and a 90 ±0.15 pitch): "
         "the tolerances contradict each other. Remove one, or mark it `reference: true` (drawn in "
         "parentheses, not inspected)."),
    # -- GD&T ------------------------------------------------------------------
    Code("TP201", E, "form tolerance with datums",
         "Straightness, flatness, circularity and cylindricity control form only and take no datum reference "
         "(ASME Y14.5 / ISO 1101)."),
    Code("TP202", E, "datum reference required",
         "Orientation (perpendicularity, parallelism, angularity), location (position, concentricity, symmetry) "
         "and run-out tolerances need at least one datum reference."),
    Code("TP203", E, "material condition on a feature without size",
         "MMC/LMC (Ⓜ/Ⓛ) apply only to features of size (holes, bosses, slots, pins, widths), and never to "
         "run-out, flatness-of-a-face and the like."),
    Code("TP204", E, "repeated datum", "A datum letter appears twice in one datum reference frame."),
    Code("TP205", E, "position needs a located feature",
         "A position tolerance locates a feature of size from basic dimensions: give the feature a `location`."),
    Code("TP206", E, "diameter zone not allowed", "A Ø tolerance zone is only meaningful for position, straightness of an axis, "
         "concentricity, coaxiality and perpendicularity/parallelism of an axis."),
    Code("TP207", E, "invalid datum declaration", "A datum letter is declared twice, or I, O or Q is used (not allowed by ASME Y14.5)."),
    Code("TP208", W, "datum feature without a form control",
         "The primary datum feature should carry a form tolerance (e.g. flatness of a planar datum) so the datum is defined."),
    Code("TP209", E, "basic location without a locating tolerance",
         "Basic (theoretically exact) coordinates locate a feature of size only through a position, profile, "
         "symmetry, coaxiality or run-out tolerance; without one the location has no tolerance at all. A feature "
         "on the origin (all basic coordinates 0) is accepted under an ISO 2768-2 geometric class (H, K, L); a "
         "coordinate along the feature's own axis, or a chamfer's or edge's coordinates, only say which one is "
         "meant."),
    # -- capability --------------------------------------------------------------
    Code("TP301", E, "tolerance tighter than the shop holds",
         "No machine that can make the part holds the tolerance with the required Cpk."),
    Code("TP302", E, "surface roughness not achievable", "No capable machine reaches the required Ra/Rz."),
    Code("TP303", E, "part does not fit any machine", "The part's envelope exceeds every machine's work envelope."),
    Code("TP304", E, "material not supported", "No machine of the shop is listed for the part's material."),
    Code("TP305", E, "hole beyond drilling limits", "A hole is smaller than the minimum diameter or deeper than the maximum depth/diameter ratio."),
    Code("TP306", E, "no machine can make the part", "Envelope, mass, material and process together rule out every machine."),
    Code("TP307", E, "part too heavy", "The part's mass exceeds every machine's maximum workpiece mass."),
    Code("TP308", W, "capability margin thin",
         "The characteristic is held, but the predicted Cpk is below the requirement × (1 + "
         "`production.cpk_thin_margin`, default 0.10): expect scrap on a bad day. Not given when the tolerance is "
         "at least what the machine states it holds at a Cp that meets the requirement (the shop's own figure "
         "covers it)."),
    Code("TP309", W, "no capability data for the characteristic",
         "No machine in the capability data states a figure for this kind of characteristic, so it cannot be judged."),
    Code("TP310", I, "routing of a part",
         "The part's operations in order, each with the machines that can perform it (envelope, mass, material)."),
    Code("TP311", I, "least margin", "The five characteristics of the product with the least capability margin, tightest first."),
    Code("TP312", E, "invalid capability data",
         "A capability file is inconsistent (a machine ID twice in one file, an IT grade outside IT1-IT18, …), "
         "or two files describe suppliers of the same name."),
    Code("TP313", I, "supplier summary",
         "With several capability files (one supplier each): which parts each supplier can make, the first "
         "finding that stops it for the others, and its least-margin characteristics."),
    Code("TP314", E, "unknown supplier", "`--supplier NAME` names no supplier of the capability files given."),
    # -- RFQ readiness -----------------------------------------------------------------
    Code("TP401", E, "dimension without tolerance",
         "A dimension has neither its own tolerance nor a general tolerance class (ISO 2768) that covers it."),
    Code("TP402", E, "material not fully specified", "A material lacks its standard, grade/temper or certificate type."),
    Code("TP403", E, "part without finish", "A part has no `finish:`; write `finish: none` when it is left as machined."),
    Code("TP404", E, "certificate not stated", "A material has no inspection certificate type (e.g. EN 10204 3.1)."),
    Code("TP405", E, "quantities missing", "The production plan lacks a production quantity or a BOM line lacks a quantity."),
    Code("TP406", E, "batch plan missing", "No `production:` section: sample batch, PP sample and production quantity are needed to quote."),
    Code("TP407", E, "purchased item not identified", "A bought-out BOM line has neither a standard designation nor a supplier with MPN."),
    Code("TP408", W, "no packaging spec", "No `packaging:` section: the supplier will have to ask how to pack and label."),
    Code("TP409", E, "general tolerance class does not cover the size",
         "ISO 2768-1 gives no tolerance for this nominal in the stated class (e.g. below 0.5 mm, or class v at 0.5–3 mm)."),
    Code("TP410", W, "no RFQ contact", "The product names no RFQ contact for the supplier's questions."),
    Code("TP411", E, "geometry missing", "A made part has no geometry source (STEP file or cadquery model)."),
    Code("TP412", W, "text too long for the label",
         "A name or pack description is longer than the packaging label shows beside its QR code (three lines of "
         "8 pt text): the label prints its start, ending in …. Shorten it, or give a larger `packaging.label.size`."),
    # -- batch plan -----------------------------------------------------------------------
    Code("TP501", W, "production quantity below MOQ", "The production quantity is below the supplier's minimum order quantity."),
    Code("TP502", W, "sample batch size unusual", "A sample batch outside 10–20 units: too few to show variation, or a production run in disguise."),
    Code("TP503", W, "no PP sample step", "No production-part (PP) sample from bulk material and production tooling before the run."),
    Code("TP504", E, "process parameter limits inverted", "A process parameter's minimum exceeds its maximum."),
    # -- waivers ----------------------------------------------------------------------------
    # -- traceability store (compiler/store) ---------------------------------
    Code("TP540", W, "repeated deviations on an unchanged characteristic",
         "The traceability store holds two or more NCRs or deviations on this characteristic in earlier "
         "revisions, and this revision leaves its limits unchanged: the next batch will likely deviate again."),
    Code("TP541", W, "traceability store not read",
         "`TECHPACK_DB` or `techpack-records.sqlite` in the product folder names a store that cannot be read "
         "(not a techpack store, a newer or older schema, the server is unreachable); lessons from it are missing."),
    Code("TP601", W, "waiver matches nothing", "A waiver names a code and target that no finding has: remove it or fix the target."),
    Code("TP602", E, "waiver cannot waive", "Reading and schema errors (TP0xx) cannot be waived."),
    Code("TP603", W, "waiver expired", "A waiver's `expires` date has passed; the finding counts again."),
    # -- sheet metal (checks/sheetmetal.py) ---------------------------------------------------
    Code("TP701", E, "bend radius below the press brake's minimum",
         "The inside bend radius is smaller than the smallest any press brake of the capability data makes for "
         "the material family and thickness (`press_brake.tooling`): the sheet cracks or the radius is not held."),
    Code("TP702", E, "flange too short",
         "A flange, measured on the flat from the bend's tangent line, is shorter than the press brake's "
         "`min_flange` for the material and thickness: it cannot rest on the die."),
    Code("TP703", W, "hole or slot too close to a bend",
         "A hole or cut-out lies closer to a bend's tangent line than factor·t + r (default 2.5·t + r, "
         "`press_brake.hole_to_bend_factor`), measured on the flat: it distorts when bent. The rule is a "
         "vendor DFM rule of thumb, not a DIN/ISO requirement."),
    Code("TP704", W, "bend without relief",
         "A bend ends where the flat continues past it: without a relief cut the sheet tears or bulges at the "
         "bend's end."),
    Code("TP705", E, "not a constant-thickness sheet",
         "A sheet-metal part's model is not one sheet of constant thickness bent along cylindrical bends: the "
         "message names each face and the thickness found there (or why the model cannot be unfolded)."),
    Code("TP706", E, "model disagrees with the sheet-metal spec",
         "The model's sheet thickness or a bend's inside radius differs from `sheet_metal.thickness` / "
         "`sheet_metal.bend_radius` by more than 0.01 mm."),
    Code("TP707", W, "no sheet-metal capability data",
         "No press brake (`press_brake.tooling`) or laser (`laser`) in the capability data covers the part's "
         "material family and thickness, so radius, flange and cut limits cannot be checked."),
    Code("TP708", E, "beyond the press brake or laser",
         "The sheet is outside every laser's thickness range, a hole is below the laser's smallest diameter "
         "for the thickness, or a bend is longer than every press brake."),
    # -- revisions (check/build --baseline OLD) -------------------------------------------------
    Code("TP801", W, "revision not raised",
         "The content changed since the baseline but the revision letter and history did not (product or part): "
         "raise the revision (ASME Y14.35 letters skip I O Q S X Z) and add a history entry."),
    Code("TP802", W, "released revision edited",
         "A revision already in the baseline's history had its content changed under the same letter, or a released "
         "history entry was rewritten or removed: release the change as a new revision instead."),
]

CATALOGUE: dict[str, Code] = {}
for _c in _CODES:
    if _c.code in CATALOGUE:  # pragma: no cover - guarded by tests
        raise RuntimeError(f"duplicate diagnostic code {_c.code}")
    CATALOGUE[_c.code] = _c
