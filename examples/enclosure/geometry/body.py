# TP-3001-01 enclosure body: sheet-metal U-channel, 1.5 mm thick (units mm).
import cadquery as cq

T = 1.5  # sheet thickness
L, W, H = 120.0, 80.0, 20.0  # length X, width Y, height Z (the lid rests on the standoffs at Z21.5)

base = cq.Solid.makeBox(L, W, T)  # X 0..120, Y 0..80, Z 0..1.5
front = cq.Solid.makeBox(L, T, H)  # side wall Y 0..1.5, Z 0..20
back = cq.Solid.makeBox(L, T, H, cq.Vector(0, W - T, 0))  # side wall Y 78.5..80
body = base.fuse(front, back).clean()

holes = [
    cq.Solid.makeCylinder(4.5 / 2, T + 2, cq.Vector(x, y, -1), cq.Vector(0, 0, 1))
    for x, y in ((15, 15), (105, 15), (15, 65), (105, 65))
]  # Ø4.5 x4 in the base

result = cq.Workplane("XY").add(body.cut(*holes).clean())
