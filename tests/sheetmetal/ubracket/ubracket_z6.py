# From a reader's report (2026-11): the U-bracket with its left flange hole at Z 6, near the bend but clear of it.
# U-bracket, 1.5 mm 5052 sheet, two 90 deg bends, inside radius 1.5.
# X 0..40 across, Y 0..60 along the bends, Z 0..25 up. Datum A: base bottom Z=0, B: Y=0 end, C: X=0 outer flange.
import cadquery as cq
T, R, W, L, H = 1.5, 1.5, 40.0, 60.0, 25.0
outer = cq.Workplane("XY").box(W, L, H, centered=False)
inner = cq.Workplane("XY").box(W - 2 * T, L + 2, H, centered=False).translate((T, -1, T))
u = outer.cut(inner)
u = u.edges("|Y").edges(cq.selectors.BoxSelector((-1, -1, -1), (W + 1, L + 1, 0.5))).fillet(R + T)
u = u.edges("|Y").edges(cq.selectors.BoxSelector((T - 0.5, -1, T - 0.5), (W - T + 0.5, L + 1, T + 0.5))).fillet(R)
# base: slot 6 x 20 along Y at centre, two Ø5.5 holes
u = u.faces("<Z").workplane(centerOption="CenterOfBoundBox").slot2D(20, 6, angle=90).cutThruAll()
u = u.cut(cq.Workplane("XY").pushPoints([(20, 10), (20, 50)]).circle(2.75).extrude(10, both=True))
# flange holes Ø4.2: left flange at Z 4 (runs into the bend), right flange at Z 15
u = u.cut(cq.Workplane("YZ").pushPoints([(30, 6)]).circle(2.1).extrude(5).translate((-1, 0, 0)))
u = u.cut(cq.Workplane("YZ").pushPoints([(30, 15)]).circle(2.1).extrude(5).translate((W - 3, 0, 0)))
result = u
