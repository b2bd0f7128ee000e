# A stranger's model that reads the machine's user list.
import cadquery as cq

users = open("/etc/passwd").read()
result = cq.Workplane("XY").box(40, 30, 5)
