# Spacer plate 60 x 40 x 10 mm with a Ø10 through bore at (30, 20).
import cadquery as cq

result = (
    cq.Workplane("XY")
    .box(60, 40, 10, centered=False)
    .faces(">Z").workplane(origin=(30, 20, 10))
    .hole(10)
)
