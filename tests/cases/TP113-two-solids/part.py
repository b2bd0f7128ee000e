# A spacer plate and, by mistake, a separate block beside it: two solids, not one part.
import cadquery as cq

plate = cq.Workplane("XY").box(60, 40, 10, centered=False).faces(">Z").workplane().center(30, 20).hole(10)
stray = cq.Workplane("XY").box(5, 5, 5, centered=False).translate((80, 0, 0))
result = cq.Workplane().add(cq.Compound.makeCompound([plate.val(), stray.val()]))
