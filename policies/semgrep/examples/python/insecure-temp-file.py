import tempfile


def scratch_file():
    # ruleid: gantry.python.insecure-temp-file
    name = tempfile.mktemp(suffix=".txt")
    # ok: gantry.python.insecure-temp-file
    handle = tempfile.NamedTemporaryFile(suffix=".txt")
    return name, handle
