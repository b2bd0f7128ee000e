# Plate 60 x 40 x 10 with a Ø10 bore at (30, 20) and a full-radius slot 6 wide, 20 long over its arcs, at (30, 8).
import cadquery as cq

result = (
    cq.Workplane("XY")
    .box(60, 40, 10, centered=False)
    .faces(">Z").workplane(origin=(30, 20, 10))
    .hole(10)
    .faces(">Z").workplane(origin=(30, 8, 10))
    .slot2D(20, 6, 0)
    .cutThruAll()
)
