# Spacer plate 60 x 40 x 10 mm with the Ø10 bore drilled at (32, 20), not at (30, 20) as specified.
import cadquery as cq

result = (
    cq.Workplane("XY")
    .box(60, 40, 10, centered=False)
    .faces(">Z").workplane(origin=(32, 20, 10))
    .hole(10)
)
