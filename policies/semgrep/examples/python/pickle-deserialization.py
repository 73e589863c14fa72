import json
import pickle


def load_session(blob):
    # ruleid: gantry.python.pickle-deserialization
    return pickle.loads(blob)


def load_settings(stream):
    # ok: gantry.python.pickle-deserialization
    return json.load(stream)
