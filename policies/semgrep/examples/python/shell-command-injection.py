import os
import subprocess


def unpack(name):
    # ruleid: gantry.python.shell-command-injection
    subprocess.run(f"tar xf {name}", shell=True, check=True)
    # ruleid: gantry.python.shell-command-injection
    os.system("rm -rf " + name)
    # ok: gantry.python.shell-command-injection
    subprocess.run(["tar", "xf", name], check=True)
    # ok: gantry.python.shell-command-injection
    subprocess.run("uptime", shell=True, check=True)
    # ok: gantry.python.shell-command-injection
    os.system("sync")
