# Locator block 2.00 x 1.250 x .500 in, modelled in mm (1 in = 25.4 mm):
# a Ø.257 through hole at (.750, .625) and a Ø.500..0.504 through bore at (1.375, .625).
import cadquery as cq

IN = 25.4
body = cq.Solid.makeBox(2.0 * IN, 1.25 * IN, 0.5 * IN)


def z_hole(x, y, d):
    return cq.Solid.makeCylinder(d * IN / 2, 0.5 * IN + 2, cq.Vector(x * IN, y * IN, -1), cq.Vector(0, 0, 1))


result = cq.Workplane("XY").add(body.cut(z_hole(0.75, 0.625, 0.257), z_hole(1.375, 0.625, 0.502)).clean())
