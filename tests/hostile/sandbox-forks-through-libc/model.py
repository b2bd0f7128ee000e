# A model that goes around Python (ctypes → libc fork): the kernel (seccomp) refuses the fork as well.
import ctypes

import cadquery as cq

libc = ctypes.CDLL(None)
if libc.fork() == 0:
    libc._exit(0)
result = cq.Workplane("XY").box(40, 30, 5)
