import cadquery as cq
result = cq.Workplane().box(1, 1, 1)
raise RuntimeError('model is broken')
