# A model that leaves a daemon behind (new session, detached), which would write a file later.
import subprocess
import sys

import cadquery as cq

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3); open('pwned', 'w').write('daemon')"],
                 start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                 stderr=subprocess.DEVNULL)
result = cq.Workplane("XY").box(40, 30, 5)
