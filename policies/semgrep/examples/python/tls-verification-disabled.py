import ssl

import requests


def fetch(url):
    # ruleid: gantry.python.tls-verification-disabled
    insecure = requests.get(url, verify=False, timeout=10)
    # ruleid: gantry.python.tls-verification-disabled
    context = ssl._create_unverified_context()
    # ok: gantry.python.tls-verification-disabled
    secure = requests.get(url, timeout=10)
    # ok: gantry.python.tls-verification-disabled
    private_ca = requests.get(url, verify="/etc/ssl/private-ca.pem", timeout=10)
    return insecure, context, secure, private_ca
