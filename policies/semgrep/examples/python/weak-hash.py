import hashlib


def fingerprint(data):
    # ruleid: gantry.python.weak-hash
    weak = hashlib.md5(data).hexdigest()
    # ruleid: gantry.python.weak-hash
    also_weak = hashlib.new("sha1", data).hexdigest()
    # ok: gantry.python.weak-hash
    strong = hashlib.sha256(data).hexdigest()
    # ok: gantry.python.weak-hash
    checksum = hashlib.md5(data, usedforsecurity=False).hexdigest()
    return weak, also_weak, strong, checksum
