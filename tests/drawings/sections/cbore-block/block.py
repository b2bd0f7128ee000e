# Clamp block 60 x 40 x 20: a blind counterbored hole (Ø6.6 x 15 deep, counterbore Ø11 x 6.8 deep) from the top
# at (20, 20), a blind Ø8 bore 12 deep from the top at (45, 20), and a blind Ø5 hole 10 deep into the front face
# at (8, 10) (X, Z).
import cadquery as cq

block = cq.Workplane("XY").box(60, 40, 20, centered=False)
block = (block.faces(">Z").workplane(origin=(0, 0, 20)).pushPoints([(20, 20)]).cboreHole(6.6, 11, 6.8, depth=15)
         .faces(">Z").workplane(origin=(0, 0, 20)).pushPoints([(45, 20)]).hole(8, depth=12))
side = cq.Solid.makeCylinder(2.5, 10, cq.Vector(8, 0, 10), cq.Vector(0, 1, 0))
result = block.cut(side)
