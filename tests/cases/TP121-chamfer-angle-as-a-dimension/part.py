# Thumb screw blank along Z: a Ø16 seat Z 0..4, a Ø24 head Z 4..18 whose top edge is chamfered 1 x 45°,
# so the head's cylinder (the knurled surface) runs Z 4..17: 13 long, not the head's 14.
import cadquery as cq

seat = cq.Workplane("XY").circle(8).extrude(4)
head = cq.Workplane("XY").workplane(offset=4).circle(12).extrude(14).faces(">Z").edges().chamfer(1)
result = seat.union(head)
