# A model that forks; the child would outlive the build.
import os

import cadquery as cq

if os.fork() == 0:
    open("pwned", "w").write("child")
    os._exit(0)
result = cq.Workplane("XY").box(40, 30, 5)
