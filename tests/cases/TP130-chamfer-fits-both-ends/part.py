# Pin Ø20 x 40 along Z, both end edges chamfered 1 x 45°.
import cadquery as cq

result = cq.Workplane("XY").circle(10).extrude(40).edges().chamfer(1)
