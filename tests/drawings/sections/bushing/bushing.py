# Bushing Ø30 x 40 along Z with a Ø16 bore, and an internal groove Ø20 x 4 wide from Z 18 to Z 22.
import cadquery as cq

outer = cq.Workplane("XY").circle(15).extrude(40)
bore = cq.Workplane("XY").circle(8).extrude(40)
groove = cq.Workplane("XY").workplane(offset=18).circle(10).extrude(4)
result = outer.cut(bore).cut(groove)
