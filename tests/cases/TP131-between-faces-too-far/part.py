# Plate 60 x 40 x 10 with two Ø5 holes 20 apart (X10, X30) and a 20 long pocket from X35 to X55.
import cadquery as cq

plate = cq.Workplane("XY").box(60, 40, 10, centered=False)
plate = plate.faces(">Z").workplane(origin=(0, 0, 10)).pushPoints([(10, 20), (30, 20)]).hole(5)
result = plate.cut(cq.Workplane("XY").box(20, 8, 4, centered=False).translate((35, 16, 6)))
