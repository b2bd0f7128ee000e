"""The binding corpus: small cadquery parts, each with spec features and dimensions and what they must bind to.

Each :class:`Case` names a model (cadquery source), the features and dimensions of
its spec (as a designer writes them), and the expected binding: for a linear
dimension the axis and the two coordinates it runs between, or the finding that
refuses it; for a feature the cylinders, slot or problem the model gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PLATE = 'import cadquery as cq\nplate = cq.Workplane("XY").box(60, 40, 10, centered=False)\n'
SHAFT = 'import cadquery as cq\n'


@dataclass
class Case:
    name: str
    model: str
    features: list[dict] = field(default_factory=list)
    dimensions: list[dict] = field(default_factory=list)
    spans: dict[str, tuple[str, float, float]] = field(default_factory=dict)
    refused: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # id -> (code, phrases)
    cylinders: dict[str, list[tuple[float, bool]]] = field(default_factory=dict)  # id -> [(Ø, internal)]
    slots: dict[str, tuple] = field(default_factory=dict)  # id -> (axis, lo, hi[, length axis, lo, hi])
    problems: dict[str, list[str]] = field(default_factory=dict)  # id -> phrases; absent: no problem
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # id -> phrases of its TP130; absent: none
    origins: dict[str, list[tuple]] = field(default_factory=dict)  # id -> axis origin of each bound cylinder
    chamfers: dict[str, list[tuple]] = field(default_factory=dict)  # id -> the sharp edge of each bound chamfer
    chains: list[tuple[str, str]] = field(default_factory=list)  # (dimension id, phrase) of TP134


def hole(fid, size, *xy, axis="z", **extra):
    return {"id": fid, "type": "hole", "size": size, "depth": "through", "axis": axis,
            "locations": [{"x": f"{x} basic", "y": f"{y} basic"} for x, y in xy], **extra}


def face(fid, description):
    return {"id": fid, "type": "face", "description": description}


CASES = [
    # -- 1. bound with proof ---------------------------------------------------------------------------
    Case("plate_pitch",
         PLATE + "result = plate.faces('>Z').workplane(origin=(0, 0, 10)).pushPoints([(10, 20), (30, 20)]).hole(5)\n",
         [hole("holes", "Ø5 ±0.1", (10, 20), (30, 20))],
         [{"id": "pitch", "value": "20 ±0.1", "between": ["holes", "holes"]},
          {"id": "length", "value": "60 ±0.1", "description": "overall length"},
          {"id": "slot-length", "value": "20 ±0.2"}],
         spans={"pitch": ("x", 10, 30), "length": ("x", 0, 60)},
         refused={"slot-length": ("TP130", ["20 along X from the axis of a Ø5 hole at X 10 to the axis of a Ø5 hole "
                                            "at X 30 (between: [holes, holes])"])}),
    # the new user's camera clamp: the upright face and two holes lie 20 apart, and so do the holes
    Case("l_bracket_slot_length",
         'import cadquery as cq\nbase = cq.Workplane("XY").box(60, 40, 8, centered=False)\n'
         "base = base.faces('>Z').workplane(origin=(0, 0, 8)).pushPoints([(28, 20), (48, 20)]).hole(5)\n"
         'result = base.union(cq.Workplane("XY").box(8, 40, 40, centered=False))\n',
         [face("upright-inner", "inner face of the upright (X8)"), hole("holes", "Ø5 ±0.1", (28, 20), (48, 20))],
         [{"id": "slot-length", "value": "20 ±0.2"},
          {"id": "upright-to-hole", "value": "20 ±0.2", "between": ["upright-inner", "holes"]}],
         spans={"upright-to-hole": ("x", 8, 28)},
         refused={"slot-length": ("TP130", ["from the face at X 8 to the axis of a Ø5 hole at X 28 "
                                            "(between: [upright-inner, holes])",
                                            "(between: [holes, holes])"])}),
    Case("stepped_block_overall",
         'import cadquery as cq\nblk = cq.Workplane("XY").box(80, 50, 40, centered=False)\n'
         'result = blk.cut(cq.Workplane("XY").box(30, 50, 20, centered=False).translate((0, 0, 20)))\n',
         [],
         [{"id": "width", "value": "50 ±0.1", "description": "overall width"},
          {"id": "step-height", "value": "20 ±0.1"}],
         spans={"width": ("y", 0, 50)},
         refused={"step-height": ("TP130", ["2 pairs", "from the face at Z 0 to the face at Z 20",
                                            "from the face at Z 20 to the face at Z 40"])}),
    Case("thickness_between_described_faces",
         PLATE.replace("10, centered", "8, centered")
         + "result = plate.faces('>Z').workplane(origin=(0, 0, 8)).pushPoints([(8, 20)]).hole(4)\n",
         [face("base", "underside (Z0)"), face("base-top", "top of the plate (Z8)"),
          {"id": "bottom", "type": "face"}, {"id": "top", "type": "face"}],
         [{"id": "thickness", "value": "8 ±0.05", "between": ["base", "base-top"]},
          # undescribed faces: the part's extent along an axis is what "between two faces" means
          {"id": "thickness-2", "value": "8 ±0.05", "between": ["bottom", "top"]},
          {"id": "edge-to-hole", "value": "8 ±0.1"}],
         spans={"thickness": ("z", 0, 8), "thickness-2": ("z", 0, 8)},
         chains=[("thickness-2", "repeats thickness: both run 8 along Z from 0 to 8")],
         refused={"edge-to-hole": ("TP130", ["8 along X from the face at X 0 to the axis of a Ø4 hole at X 8",
                                             "8 along Z from the face at Z 0 to the face at Z 8"])}),
    Case("between_faces_too_far",
         PLATE + 'result = plate.cut(cq.Workplane("XY").box(20, 8, 4, centered=False).translate((35, 16, 6)))\n',
         [face("pocket-start", "pocket end wall (X35)"), face("pocket-end", "pocket end wall (X55)")],
         [{"id": "pocket-length", "value": "22 ±0.2", "between": ["pocket-start", "pocket-end"]},
          {"id": "pocket-length-ok", "value": "20 ±0.2", "between": ["pocket-start", "pocket-end"]}],
         spans={"pocket-length-ok": ("x", 35, 55)},
         refused={"pocket-length": ("TP131", ["pocket-start and pocket-end lie 20 along X apart in the model"])}),
    Case("dimension_nowhere",
         PLATE + "result = plate\n", [],
         [{"id": "length", "value": "62 ±0.1"}],
         refused={"length": ("TP121", ["the nearest found: 60 along X (the face at X 0 to the face at X 60)"])}),
    Case("two_square_sides",
         'import cadquery as cq\nresult = cq.Workplane("XY").box(20, 20, 60, centered=False)\n',
         [{"id": "a", "type": "face"}, {"id": "b", "type": "face"}],
         [{"id": "side", "value": "20 ±0.1", "between": ["a", "b"]}],
         refused={"side": ("TP130", ["20 along X from the face at X 0 to the face at X 20",
                                     "20 along Y from the face at Y 0 to the face at Y 20"])}),
    # -- 2. feature recognition --------------------------------------------------------------------------
    Case("stud_6g",
         SHAFT + 'head = cq.Workplane("XY").circle(6).extrude(5)\n'
         'result = head.faces(">Z").workplane().circle(3).extrude(20)\n',
         [{"id": "stud", "type": "thread", "thread": "M6x1-6g", "axis": "z"},
          {"id": "head", "type": "shaft", "size": "Ø12 h11", "axis": "z"}],
         cylinders={"stud": [(6.0, False)], "head": [(12.0, False)]}),
    Case("stud_without_class",
         SHAFT + 'result = cq.Workplane("XY").circle(3).extrude(20)\n',
         [{"id": "stud", "type": "thread", "thread": "M6x1", "axis": "z"}],
         cylinders={"stud": [(6.0, False)]}),
    Case("tapped_6H",
         PLATE + "result = plate.faces('>Z').workplane(origin=(0, 0, 10)).pushPoints([(20, 20)]).hole(4.2)\n",
         [{"id": "tapped", "type": "thread", "thread": "M5x0.8-6H", "axis": "z",
           "locations": [{"x": "20 basic", "y": "20 basic"}]},
          {"id": "stud", "type": "thread", "thread": "M5x0.8-6g", "axis": "z"}],
         cylinders={"tapped": [(4.2, True)]},
         problems={"stud": ["the model has no M5x0.8-6g thread along Z (its only cylinders there are holes: Ø4.2)"]}),
    Case("full_radius_slot",
         'import cadquery as cq\nresult = cq.Workplane("XY").box(60, 40, 5, centered=False)'
         ".faces('>Z').workplane(origin=(30, 20, 5)).slot2D(20, 6, 0).cutThruAll()\n",
         [{"id": "slot", "type": "slot", "size": "6 ±0.1", "length": "20 ±0.2"},
          {"id": "slot-long", "type": "slot", "size": "6 ±0.1", "length": "22 ±0.2"}],
         slots={"slot": ("y", 17, 23, "x", 20, 40)},
         problems={"slot-long": ["no length 22 ±0.2 for it", "over its end arcs it is 20 long"]}),
    Case("counterbore",
         PLATE + "result = plate.faces('>Z').workplane(origin=(0, 0, 10)).pushPoints([(20, 20)]).cboreHole(5.5, 10, 4)\n",
         [hole("ok", "Ø5.5 H13", (20, 20), counterbore={"size": "Ø10 H13", "depth": "4 +0.2/0"}),
          hole("deep", "Ø5.5 H13", (20, 20), counterbore={"size": "Ø10 H13", "depth": "5 +0.2/0"})],
         cylinders={"ok": [(5.5, True)]},
         problems={"deep": ["no counterbore Ø10 H13 5 +0.2/0 deep on the hole's axis (counterbores there: Ø10 4 deep)"]}),
    Case("countersink",
         PLATE + "result = plate.faces('>Z').workplane(origin=(0, 0, 10)).pushPoints([(20, 20)]).cskHole(5.5, 11, 90)\n",
         [hole("ok", "Ø5.5 H13", (20, 20), countersink={"size": "Ø11 ±0.2", "angle": "90° ±1°"}),
          hole("steep", "Ø5.5 H13", (20, 20), countersink={"size": "Ø11 ±0.2", "angle": "100° ±1°"})],
         cylinders={"ok": [(5.5, True)]},
         problems={"steep": ["no countersink Ø11 ±0.2 × 100° ±1° on the hole's axis (countersinks there: Ø11 90°)"]}),
    Case("shaft_chamfer",
         SHAFT + 'result = cq.Workplane("XY").circle(10).extrude(40).faces(">Z").edges().chamfer(1)\n',
         [{"id": "chamfer", "type": "chamfer", "size": "1 ±0.2"},
          {"id": "big", "type": "chamfer", "size": "1.5 ±0.2"}],
         problems={"big": ["big: the model has no chamfer 1.5 ±0.2 × 45° (its chamfers nearest that: 1 × 45° on the "
                          "Ø20 edge at Z 40 (X 0, Y 0))"]},
         chamfers={"chamfer": [(("x", 0), ("y", 0), ("z", 40))]}),
    Case("keyway",
         SHAFT + 'shaft = cq.Workplane("XY").circle(10).extrude(50)\n'
         'result = shaft.cut(cq.Workplane("XY").box(10, 6, 20, centered=False).translate((6.5, -3, 10)))\n',
         [{"id": "keyway", "type": "keyway", "size": "6 N9", "length": "20 ±0.2", "axis": "z"}],
         slots={"keyway": ("y", -3, 3, "z", 10, 30)}),
    Case("undercut",
         SHAFT + 'result = (cq.Workplane("XY").circle(5).extrude(20).faces(">Z").workplane().circle(4).extrude(3)'
         '.faces(">Z").workplane().circle(5).extrude(10))\n',
         [{"id": "relief", "type": "groove", "size": "Ø8 h12", "length": "3 ±0.1", "axis": "z"},
          {"id": "too-long", "type": "groove", "size": "Ø8 h12", "length": "4 ±0.1", "axis": "z"}],
         cylinders={"relief": [(8.0, False)]},
         problems={"too-long": ["the model's Ø8 relief is 3 long, the spec says 4 ±0.1"]}),
    Case("knurl",
         SHAFT + 'result = cq.Workplane("XY").circle(6).extrude(15).faces(">Z").workplane().circle(4).extrude(10)\n',
         [{"id": "grip", "type": "knurl", "size": "Ø12 h11", "length": "15", "axis": "z",
           "knurl": {"pattern": "RGE", "pitch": "0.8"}}],
         cylinders={"grip": [(12.0, False)]}),
    Case("pocket",
         PLATE + 'result = plate.cut(cq.Workplane("XY").box(20, 10, 4, centered=False).translate((20, 15, 6)))\n',
         [{"id": "pocket", "type": "pocket", "size": "10 ±0.1", "length": "20 ±0.1",
           "locations": [{"x": "30 basic", "y": "20 basic"}]},
          {"id": "wide", "type": "pocket", "size": "12 ±0.1"}],
         slots={"pocket": ("y", 15, 25, "x", 20, 40)},
         problems={"wide": ["the model has no slot 12 ±0.1; the nearest slots found: 10 across Y (Y 15 to 25)"]}),
    Case("two_pockets_unlocated",
         PLATE + 'cut = cq.Workplane("XY").box(10, 10, 4, centered=False)\n'
         "result = plate.cut(cut.translate((10, 15, 6))).cut(cut.translate((40, 15, 6)))\n",
         [{"id": "pocket", "type": "pocket", "size": "10 ±0.1", "axis": "z"},
          {"id": "right", "type": "pocket", "size": "10 ±0.1", "axis": "z",
           "locations": [{"x": "45 basic", "y": "20 basic"}]}],
         slots={"right": ("x", 40, 50)},
         ambiguous={"pocket": ["so techpack will not pick one; give its location",
                              "across X from 10 to 20", "across X from 40 to 50"]}),
    Case("tab_width",
         'import cadquery as cq\nbase = cq.Workplane("XY").box(60, 40, 6, centered=False)\n'
         'result = base.union(cq.Workplane("XY").box(60, 12, 10, centered=False).translate((0, 14, 6)))\n',
         [{"id": "rib", "type": "tab", "size": "12 ±0.1", "axis": "x"}],
         slots={"rib": ("y", 14, 26)}),
    Case("bend_angle",
         'import cadquery as cq\nbase = cq.Workplane("XY").box(60, 40, 2, centered=False)\n'
         'result = base.union(cq.Workplane("XY").box(2, 40, 30, centered=False))\n',
         [face("base", "underside (Z0)"), {"id": "flange", "type": "flange", "description": "outside (X0)"},
          {"id": "nowhere", "type": "face"}],
         [{"id": "bend", "type": "angle", "value": "90° ±1°", "between": ["base", "flange"]},
          {"id": "bad-angle", "type": "angle", "value": "90° ±1°", "between": ["base", "nowhere"]}],
         refused={"bad-angle": ("TP121", ["between: names base (at Z 0), nowhere (not located)"])}),
    # -- 3. conflicts ------------------------------------------------------------------------------------
    Case("closed_chain",
         PLATE + "result = plate.faces('>Z').workplane(origin=(0, 0, 10)).pushPoints([(15, 20), (45, 20)]).hole(5)\n",
         [{"id": "holes", "type": "hole", "size": "Ø5 ±0.1", "axis": "z",
           "locations": [{"x": "15 ±0.1", "y": "20 basic"}, {"x": "45 ±0.1", "y": "20 basic"}]},
          face("left", "left end (X0)"), face("right", "right end (X60)")],
         [{"id": "pitch", "value": "30 ±0.1", "between": ["holes", "holes"]},
          {"id": "pitch-ref", "value": "30 ±0.1", "between": ["holes", "holes"], "reference": True},
          {"id": "length", "value": "60 ±0.1", "between": ["left", "right"]},
          {"id": "overall", "value": "60 ±0.2", "description": "overall length"}],
         spans={"pitch": ("x", 15, 45), "pitch-ref": ("x", 15, 45), "length": ("x", 0, 60),
                "overall": ("x", 0, 60)},
         chains=[("pitch", "15 to 45 is already set by holes X 15 ±0.1 and holes X 45 ±0.1"),
                 ("overall", "repeats length")]),
    # -- 4. a diameter that fits several cylinders is refused, never picked ------------------------------
    Case("two_holes_one_size",
         PLATE + "result = plate.faces('>Z').workplane(origin=(0, 0, 10)).pushPoints([(10, 20), (40, 20)]).hole(5)\n",
         [{"id": "hole", "type": "hole", "size": "Ø5 ±0.1", "depth": "through", "axis": "z"},
          hole("right", "Ø5 ±0.1", (40, 20)),
          {"id": "both", "type": "hole", "size": "Ø5 ±0.1", "depth": "through", "axis": "z", "count": 2},
          {"id": "three", "type": "hole", "size": "Ø5 ±0.1", "depth": "through", "axis": "z", "count": 3}],
         ambiguous={"hole": ["hole: 2 Ø5 ±0.1 holes along Z are in the model, so techpack will not pick one; give "
                             "its location — Ø5 hole along Z at X 10, Y 20, Z 0 to 10 (locations: [{x: 10 basic, "
                             "y: 20 basic}]); Ø5 hole along Z at X 40, Y 20, Z 0 to 10 (locations: [{x: 40 basic, "
                             "y: 20 basic}])"]},
         cylinders={"right": [(5.0, True)], "both": [(5.0, True), (5.0, True)]},
         origins={"right": [(40, 20, 0)], "both": [(10, 20, 0), (40, 20, 0)]},
         problems={"three": ["three: the model has 2 Ø5 ±0.1 holes along Z, the spec says count 3"]}),
    Case("two_seats_coaxial",
         SHAFT + 'result = (cq.Workplane("XY").circle(10).extrude(18).faces(">Z").workplane().circle(12.5).extrude(84)'
         '.faces(">Z").workplane().circle(10).extrude(18))\n',
         [{"id": "seat", "type": "shaft", "size": "Ø20 k6", "axis": "z"},
          {"id": "seat-b", "type": "shaft", "size": "Ø20 k6", "axis": "z", "locations": [{"z": "110 basic"}]},
          {"id": "seat-a", "type": "shaft", "size": "Ø20 k6", "axis": "z", "locations": [{"x": "0 basic", "y": "0 basic"}]},
          {"id": "nowhere", "type": "shaft", "size": "Ø20 k6", "axis": "z", "locations": [{"z": "60 basic"}]},
          {"id": "seats", "type": "shaft", "size": "Ø20 k6", "axis": "z", "count": 2},
          {"id": "gap", "type": "shaft", "size": "Ø20 k6", "axis": "z",
           "locations": [{"x": "0 basic", "y": "0 basic", "z": "130 basic"}]}],
         ambiguous={"seat": ["seat: 2 Ø20 k6 shafts along Z are in the model, so techpack will not pick one; give its "
                             "location — Ø20 cylinder along Z at X 0, Y 0, Z 0 to 18 (locations: [{z: 0 basic}]); "
                             "Ø20 cylinder along Z at X 0, Y 0, Z 102 to 120 (locations: [{z: 102 basic}])"],
                    "seat-a": ["seat-a at X 0, Y 0: 2 Ø20 k6 shafts along Z are there in the model, so techpack "
                               "will not pick one; give its location — ", "(locations: [{z: 102 basic}])"]},
         cylinders={"seat-b": [(20.0, False)], "seats": [(20.0, False), (20.0, False)]},
         origins={"seat-b": [(0, 0, 102)], "seats": [(0, 0, 0), (0, 0, 102)]},
         problems={"nowhere": ["nowhere at Z 60: the model's cylinder there is Ø25, the spec says Ø20 k6 shaft"],
                   "gap": ["gap at X 0, Y 0, Z 130: no Ø20 k6 shaft along Z there in the model; the nearest on that "
                           "axis runs Z 102 to 120 (10 mm away)"]}),
    # a cylinder the kernel leaves in two faces (no clean) is one; so is a hole through both lugs of a clevis and
    # a shaft interrupted by a groove; a collar between two seats makes two (above)
    Case("split_cylinders_are_one",
         SHAFT + 'a = cq.Workplane("XY").circle(5).extrude(10)\n'
         'b = cq.Workplane("XY").workplane(offset=10).circle(5).extrude(10)\n'
         'c = cq.Workplane("XY").workplane(offset=20).circle(4).extrude(3)\n'
         'd = cq.Workplane("XY").workplane(offset=23).circle(5).extrude(10)\n'
         'result = a.union(b, clean=False).union(c).union(d)\n',
         [{"id": "shaft", "type": "shaft", "size": "Ø10 h9", "axis": "z"}],
         cylinders={"shaft": [(10.0, False), (10.0, False)]},
         origins={"shaft": [(0, 0, 0), (0, 0, 23)]}),
    Case("clevis_hole_through_both_lugs",
         'import cadquery as cq\nbase = cq.Workplane("XY").box(40, 30, 5, centered=False)\n'
         'lug = cq.Workplane("XY").box(5, 30, 20, centered=False)\n'
         'clevis = base.union(lug.translate((5, 0, 5))).union(lug.translate((30, 0, 5)))\n'
         'result = clevis.cut(cq.Workplane("YZ").center(15, 18).circle(3).extrude(40))\n',
         [{"id": "pin-hole", "type": "hole", "size": "Ø6 H8", "depth": "through", "axis": "x"},
          # counted as the two lugs' holes, it is the same two segments: a pattern, not a mismatch
          {"id": "lug-holes", "type": "hole", "size": "Ø6 H8", "depth": "through", "axis": "x", "count": 2}],
         cylinders={"pin-hole": [(6.0, True), (6.0, True)], "lug-holes": [(6.0, True), (6.0, True)]},
         origins={"pin-hole": [(5, 15, 18), (30, 15, 18)]}),
    Case("pattern_of_four",
         PLATE + "result = plate.faces('>Z').workplane(origin=(0, 0, 10))"
         ".pushPoints([(10, 10), (50, 10), (10, 30), (50, 30)]).hole(6.6)\n",
         [{"id": "holes", "type": "hole", "size": "Ø6.6 ±0.1", "depth": "through", "axis": "z", "count": 4},
          {"id": "located", "type": "hole", "size": "Ø6.6 ±0.1", "depth": "through", "axis": "z",
           "locations": [{"x": "10 basic", "y": "10 basic"}, {"x": "50 basic", "y": "30 basic"}]}],
         cylinders={"holes": [(6.6, True)] * 4, "located": [(6.6, True)] * 2},
         origins={"located": [(10, 10, 0), (50, 30, 0)]}),
    # -- 5. a chamfer is found with its leg and angle, at the edge named ---------------------------------------
    Case("shaft_chamfers_leg_and_angle",
         SHAFT + 'result = (cq.Workplane("XY").circle(10).extrude(40).faces(">Z").edges().chamfer(1)'
         '.faces("<Z").edges().chamfer(0.5, 0.2887))\n',
         [{"id": "c1", "type": "chamfer", "size": "C1"},
          {"id": "lead", "type": "chamfer", "size": "0.5 × 30°"},
          {"id": "leg-wrong", "type": "chamfer", "size": "1.5x45°"},
          {"id": "angle-wrong", "type": "chamfer", "size": "1 × 30°"},
          {"id": "at-tip", "type": "chamfer", "size": "1 ±0.1", "locations": [{"z": "40 basic"}]},
          {"id": "wrong-end", "type": "chamfer", "size": "C1", "locations": [{"z": "0 basic"}]}],
         chamfers={"c1": [(("x", 0), ("y", 0), ("z", 40))], "lead": [(("x", 0), ("y", 0), ("z", 0))],
                   "at-tip": [(("x", 0), ("y", 0), ("z", 40))]},
         problems={"leg-wrong": ["leg-wrong: the model has no chamfer 1.5x45° (its chamfers nearest that: "
                                 "1 × 45° on the Ø20 edge at Z 40 (X 0, Y 0); 0.5 × 30° on the Ø20 edge at Z 0 "
                                 "(X 0, Y 0))"],
                   "angle-wrong": ["angle-wrong: the model has no chamfer 1 × 30° (its chamfers nearest that: "
                                   "1 × 45° on the Ø20 edge at Z 40"],
                   "wrong-end": ["wrong-end at Z 0: the chamfer there is 0.5 × 30° on the Ø20 edge at Z 0 (X 0, Y 0), "
                                 "the spec says chamfer C1"]}),
    Case("shaft_chamfered_both_ends",
         SHAFT + 'result = cq.Workplane("XY").circle(10).extrude(40).edges().chamfer(1)\n',
         [{"id": "c1", "type": "chamfer", "size": "C1"},
          {"id": "both", "type": "chamfer", "size": "C1", "count": 2},
          {"id": "top", "type": "chamfer", "size": "C1", "locations": [{"z": "40 basic"}]},
          {"id": "three", "type": "chamfer", "size": "C1", "count": 3}],
         problems={"three": ["three: the model has 2 chamfers C1, the spec says count 3"]},
         ambiguous={"c1": ["c1: 2 chamfers C1 are in the model, so techpack will not pick one; give its location — "
                           "1 × 45° on the Ø20 edge at Z 0 (X 0, Y 0) (locations: [{x: 0 basic, y: 0 basic, z: 0 basic}]); "
                           "1 × 45° on the Ø20 edge at Z 40 (X 0, Y 0) (locations: [{x: 0 basic, y: 0 basic, "
                           "z: 40 basic}])"]},
         chamfers={"both": [(("x", 0), ("y", 0), ("z", 0)), (("x", 0), ("y", 0), ("z", 40))],
                   "top": [(("x", 0), ("y", 0), ("z", 40))]}),
    Case("block_chamfers_and_countersink",
         PLATE + 'blk = plate.edges("|X and >Z and <Y").chamfer(1)\n'
         'blk = blk.edges("|Y and >Z and >X").chamfer(0.5, 0.2887)\n'
         "result = blk.faces('>Z').workplane(origin=(0, 0, 10)).pushPoints([(20, 20)]).cskHole(5.5, 11, 90)\n",
         [{"id": "front", "type": "chamfer", "size": "C1", "locations": [{"y": "0 basic", "z": "10 basic"}]},
          {"id": "end", "type": "chamfer", "size": "0.5 × 30°"},
          {"id": "end-60", "type": "chamfer", "size": "0.2887 × 60°"},
          {"id": "sink", "type": "chamfer", "size": "2.75 × 45°"},
          hole("csk", "Ø5.5 H13", (20, 20), countersink={"size": "Ø11 ±0.2", "angle": "90° ±1°"})],
         chamfers={"front": [(("y", 0), ("z", 10))], "end": [(("x", 60), ("z", 10))],
                   "end-60": [(("x", 60), ("z", 10))]},
         cylinders={"csk": [(5.5, True)]},
         problems={"sink": ["sink: the model has no chamfer 2.75 × 45° (its chamfers nearest that: ",
                            "; the cone on the Ø5.5 hole at X 20, Y 20 is its countersink (give it with "
                            "countersink:)"]}),
]
