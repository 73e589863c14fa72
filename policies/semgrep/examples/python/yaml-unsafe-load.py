import yaml


def read_config(text):
    # ruleid: gantry.python.yaml-unsafe-load
    unsafe = yaml.load(text, Loader=yaml.Loader)
    # ruleid: gantry.python.yaml-unsafe-load
    also_unsafe = yaml.unsafe_load(text)
    # ok: gantry.python.yaml-unsafe-load
    safe = yaml.safe_load(text)
    # ok: gantry.python.yaml-unsafe-load
    also_safe = yaml.load(text, Loader=yaml.SafeLoader)
    return unsafe, also_unsafe, safe, also_safe
