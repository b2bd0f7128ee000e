# Knurled thumb nut / spacer, 1.4305, turned. Axis Z. Datum A: bottom face Z=0; B: bore axis.
# Z 0..4   : shoulder/spacer Ø16 (toleranced bore Ø8 H7 inside)
# Z 4..5.5 : undercut Ø14 (groove)
# Z 5.5..18: knurled head Ø24 blank
# internal thread M10 from the top, 10 deep (tap drill Ø8.5) - hmm: bore Ø8 H7 at bottom, thread M10 above
import cadquery as cq

spacer = cq.Solid.makeCylinder(8.0, 4.0, cq.Vector(0, 0, 0))
undercut = cq.Solid.makeCylinder(7.0, 1.5, cq.Vector(0, 0, 4.0))
head = cq.Solid.makeCylinder(12.0, 12.5, cq.Vector(0, 0, 5.5))
body = spacer.fuse(undercut).fuse(head).clean()
# chamfer 1x45 on top outer edge of head
wp = cq.Workplane("XY").add(body)
wp = wp.faces(">Z").edges().chamfer(1.0)
body = wp.val()
# bore Ø8 H7, Z 0..8
bore = cq.Solid.makeCylinder(4.0, 8.0 + 1, cq.Vector(0, 0, -1))
# thread M10 tap drill Ø8.5 from Z 8..18
thread = cq.Solid.makeCylinder(4.25, 10.0 + 1, cq.Vector(0, 0, 8.0))
body = body.cut(bore).cut(thread).clean()
result = cq.Workplane("XY").add(body)
