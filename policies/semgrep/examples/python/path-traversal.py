import os

from flask import Flask, request, send_file
from werkzeug.utils import secure_filename

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/download")
def download():
    name = request.args.get("name")
    # ruleid: gantry.python.path-traversal
    return send_file(os.path.join(BASE, name))


@app.route("/read")
def read():
    name = request.args.get("name")
    # ruleid: gantry.python.path-traversal
    with open(BASE + "/" + name) as handle:
        return handle.read()


@app.route("/safe")
def safe():
    name = secure_filename(request.args.get("name"))
    # ok: gantry.python.path-traversal
    return send_file(os.path.join(BASE, name))
