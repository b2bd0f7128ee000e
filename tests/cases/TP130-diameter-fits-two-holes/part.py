# Spacer plate 60 x 40 x 10 mm with a Ø10 through bore at (30, 20) and two Ø6 through holes at (12, 8), (47, 8).
import cadquery as cq

result = (
    cq.Workplane("XY")
    .box(60, 40, 10, centered=False)
    .faces(">Z").workplane(origin=(30, 20, 10))
    .hole(10)
    .faces(">Z").workplane(origin=(0, 0, 10))
    .pushPoints([(12, 8), (47, 8)])
    .hole(6)
)
