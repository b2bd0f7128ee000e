# TP-1001-01 L-bracket, milled from 6061 aluminium (units mm; datums A: Z=0, B: Y=0, C: X=0).
import cadquery as cq

T_BASE = 8.0  # base plate thickness (Z 0..8)
T_WALL = 8.0  # upright wall thickness (Y 42..50)

base = cq.Solid.makeBox(80, 50, T_BASE)  # X 0..80, Y 0..50, Z 0..8
wall = cq.Solid.makeBox(80, T_WALL, 32, cq.Vector(0, 50 - T_WALL, T_BASE))  # Y 42..50, Z 8..40
body = base.fuse(wall).clean()


def z_hole(x, y, d):
    """A through hole in the base along Z (the tool overshoots both faces by 1 mm)."""
    return cq.Solid.makeCylinder(d / 2, T_BASE + 2, cq.Vector(x, y, -1), cq.Vector(0, 0, 1))


def y_hole(x, z, d):
    """A through hole in the upright along Y."""
    return cq.Solid.makeCylinder(d / 2, T_WALL + 2, cq.Vector(x, 50 - T_WALL - 1, z),
                                 cq.Vector(0, 1, 0))


tools = [z_hole(40, 21, 12.0)]  # centre bore, Ø12
tools += [z_hole(x, y, 6.6) for x, y in ((10, 10), (70, 10), (10, 32), (70, 32))]  # Ø6.6 x4
tools += [y_hole(x, 28, 4.2) for x in (25, 55)]  # Ø4.2 tap drill for M5, x2

result = cq.Workplane("XY").add(body.cut(*tools).clean())
