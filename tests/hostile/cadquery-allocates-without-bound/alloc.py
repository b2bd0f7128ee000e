# allocates until it is stopped
blocks = []
while True:
    blocks.append(bytearray(64 * 1024 * 1024))
