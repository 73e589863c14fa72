import os

import psycopg

# ruleid: gantry.python.hardcoded-credential
DB_PASSWORD = "hunter2-but-longer"
# ok: gantry.python.hardcoded-credential
API_KEY = os.environ["API_KEY"]
# ok: gantry.python.hardcoded-credential
PASSWORD_FIELD = "password"


def connect():
    # ruleid: gantry.python.hardcoded-credential
    return psycopg.connect(host="db", user="app", password="correct-horse-battery")
