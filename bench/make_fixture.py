#!/usr/bin/env python3
"""Writes the inputs of one benchmark size: N otpauth URIs for `users import uris`
(user0 has a known secret), and a plan of (time, code) pairs for user0, one valid code
per 30-second step, computed with Python's hmac (RFC 6238, SHA1, 6 digits)."""
import base64, hmac, os, struct, sys, hashlib

def totp(secret, t, period=30, digits=6):
    mac = hmac.new(secret, struct.pack(">Q", t // period), hashlib.sha1).digest()
    off = mac[-1] & 15
    v = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return str(v).zfill(digits)

def main():
    n, runs, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    known = b"12345678901234567890"
    b32 = lambda s: base64.b32encode(s).decode().rstrip("=")
    with open(os.path.join(out, "uris.txt"), "w") as f:
        for i in range(n):
            secret = known if i == 0 else os.urandom(20)
            f.write(f"user{i}\totpauth://totp/bench:user{i}?secret={b32(secret)}&issuer=bench\n")
    base = 1_800_000_000
    with open(os.path.join(out, "plan.txt"), "w") as f:
        for i in range(runs):
            t = base + 30 * i
            f.write(f"{t} {totp(known, t)}\n")
    with open(os.path.join(out, "secret.hex"), "w") as f:
        f.write(known.hex())

main()
