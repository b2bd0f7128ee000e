# Thumbscrew: knurled head Ø12 x 10, M6 stud Ø6 x 16 with a Ø4.8 x 2 thread relief under the head, 1 x 45° chamfer at the tip.
import cadquery as cq

head = cq.Workplane("XY").circle(6).extrude(10)
relief = cq.Workplane("XY").workplane(offset=10).circle(2.4).extrude(2)
stud = cq.Workplane("XY").workplane(offset=12).circle(3).extrude(16).faces(">Z").edges().chamfer(1)
result = head.union(relief).union(stud)
