# A 2D sketch, not a solid: its perimeter must never become a volume or a mass.
import cadquery as cq
result = cq.Workplane("XY").rect(60, 40)
