# TP-4001-01 sheet-metal bracket: laser-cut and bent 2 mm EN AW-5052-H32 (units mm).
# Base 60 x 40 in XY at Z 0..2 with four Ø5.5 holes; one 90° bend (inside radius 2) up along the
# edge at X60; a 40 mm flange (outside height 32) with a 6 x 16 full-radius slot.
import cadquery as cq

T = 2.0  # sheet thickness
R = 2.0  # inside bend radius
A = 60.0  # base length to the outside of the flange (X)
W = 40.0  # width (Y)
H = 32.0  # flange height to the top edge, from the underside of the base (Z)

x0 = A - T - R  # where the base's flat ends (bend tangent line)
profile = (
    cq.Workplane("XZ")
    .moveTo(0, 0)
    .lineTo(x0, 0)
    .radiusArc((A, R + T), -(R + T))
    .lineTo(A, H)
    .lineTo(A - T, H)
    .lineTo(A - T, R + T)
    .radiusArc((x0, T), R)
    .lineTo(0, T)
    .close()
)
body = profile.extrude(-W)  # XZ workplane normal is -Y: extrude towards +Y

holes = (
    cq.Workplane("XY")
    .pushPoints([(10, 10), (10, 30), (40, 10), (40, 30)])
    .circle(5.5 / 2)
    .extrude(T)
)
slot = (
    cq.Workplane("YZ", origin=(A - T, 0, 0))
    .center(W / 2, 20.0)
    .slot2D(16.0, 6.0, 0)
    .extrude(T)
)
result = body.cut(holes).cut(slot)
