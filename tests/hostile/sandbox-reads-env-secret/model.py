# A model that looks for a CI token in the environment.
import os

import cadquery as cq

token = os.environ["TECHPACK_TEST_SECRET"]
result = cq.Workplane("XY").box(40, 30, 5)
