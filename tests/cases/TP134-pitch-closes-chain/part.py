# Plate 60 x 40 x 10 with two Ø5 holes at X15 and X45, Y20.
import cadquery as cq

result = (cq.Workplane("XY").box(60, 40, 10, centered=False)
          .faces(">Z").workplane(origin=(0, 0, 10)).pushPoints([(15, 20), (45, 20)]).hole(5))
