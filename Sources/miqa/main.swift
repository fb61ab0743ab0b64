import MIQA
print("miqa")
