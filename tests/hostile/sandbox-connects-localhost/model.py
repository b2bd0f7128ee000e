# A model that phones home (here: a local port).
import socket

import cadquery as cq

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(("127.0.0.1", 9))
result = cq.Workplane("XY").box(40, 30, 5)
