from Crypto.Cipher import DES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_legacy(key, iv, data):
    # ruleid: gantry.python.weak-cipher
    cipher = DES.new(key, DES.MODE_CBC, iv)
    # ruleid: gantry.python.weak-cipher
    ecb = Cipher(algorithms.AES(key), modes.ECB())
    return cipher.encrypt(data), ecb


def encrypt(key, nonce, data):
    # ok: gantry.python.weak-cipher
    return AESGCM(key).encrypt(nonce, data, None)
