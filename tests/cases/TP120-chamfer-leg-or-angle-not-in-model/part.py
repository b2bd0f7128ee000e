# Pin Ø20 x 40 along Z: top edge chamfered 1 x 45°, bottom edge 0.5 x 30° (0.5 along the axis).
import cadquery as cq

pin = cq.Workplane("XY").circle(10).extrude(40)
result = pin.faces(">Z").edges().chamfer(1).faces("<Z").edges().chamfer(0.5, 0.288675)
