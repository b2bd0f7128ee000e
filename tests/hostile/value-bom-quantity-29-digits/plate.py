import cadquery as cq
result = cq.Workplane("XY").box(40, 30, 5, centered=False)
