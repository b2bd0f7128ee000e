# A model that writes 1 GiB to stderr: the parent keeps a bounded tail and stops it.
import sys

chunk = "x" * 65536
for _ in range(16384):
    sys.stderr.write(chunk)
