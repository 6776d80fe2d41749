import Sodium
print(Sodium.randomBytes(4))
