# TP-3001-02 enclosure lid: machined plate 120 x 80 x 4 with a 30 x 15 window (units mm).
import cadquery as cq

L, W, T = 120.0, 80.0, 4.0

plate = cq.Solid.makeBox(L, W, T)  # X 0..120, Y 0..80, Z 0..4
holes = [
    cq.Solid.makeCylinder(4.5 / 2, T + 2, cq.Vector(x, y, -1), cq.Vector(0, 0, 1))
    for x, y in ((15, 15), (105, 15), (15, 65), (105, 65))
]  # Ø4.5 x4, same positions as the body's
window = cq.Solid.makeBox(30, 15, T + 2, cq.Vector(60 - 15, 40 - 7.5, -1))  # X 45..75, Y 32.5..47.5

result = cq.Workplane("XY").add(plate.cut(*holes, window).clean())
