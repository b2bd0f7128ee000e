# TP-3001-03 standoff: turned brass, Ø8 x 20 along Z with a Ø3.3 through bore (M4 tap drill).
import cadquery as cq

body = cq.Solid.makeCylinder(8 / 2, 20, cq.Vector(0, 0, 0), cq.Vector(0, 0, 1))
bore = cq.Solid.makeCylinder(3.3 / 2, 22, cq.Vector(0, 0, -1), cq.Vector(0, 0, 1))

result = cq.Workplane("XY").add(body.cut(bore).clean())
