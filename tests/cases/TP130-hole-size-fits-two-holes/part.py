# Plate 60 x 40 x 10 with two Ø5 holes, at X10 Y20 and X40 Y20.
import cadquery as cq

plate = cq.Workplane("XY").box(60, 40, 10, centered=False)
result = plate.faces(">Z").workplane(origin=(0, 0, 10)).pushPoints([(10, 20), (40, 20)]).hole(5)
