# TP-3001-01 enclosure body: sheet-metal U-channel, 1.5 mm thick, bent with inside radius 1.5 (units mm).
import cadquery as cq

T = 1.5  # sheet thickness
R = 1.5  # inside bend radius
L, W, H = 120.0, 80.0, 20.0  # length X, width Y, height Z (the lid rests on the standoffs at Z21.5)
RO = R + T  # outside bend radius

# The cross-section in the YZ plane (outside path, then back along the inside), extruded along X.
section = (
    cq.Workplane("YZ")
    .moveTo(0, H)
    .lineTo(0, RO)
    .radiusArc((RO, 0), -RO)
    .lineTo(W - RO, 0)
    .radiusArc((W, RO), -RO)
    .lineTo(W, H)
    .lineTo(W - T, H)
    .lineTo(W - T, RO)
    .radiusArc((W - RO, T), R)
    .lineTo(RO, T)
    .radiusArc((T, RO), R)
    .lineTo(T, H)
    .close()
)
body = section.extrude(L).val()

holes = [
    cq.Solid.makeCylinder(4.5 / 2, T + 2, cq.Vector(x, y, -1), cq.Vector(0, 0, 1))
    for x, y in ((15, 15), (105, 15), (15, 65), (105, 65))
]  # Ø4.5 x4 in the base

result = cq.Workplane("XY").add(body.cut(*holes).clean())
