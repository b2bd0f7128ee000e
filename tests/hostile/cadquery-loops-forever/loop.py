# never finishes
while True:
    pass
