"""Opens a Silta referral package using only docs/referral-format.md: the standard `age` tool to
decrypt, zipfile to unpack, `cryptography` for Ed25519, hashlib for SHA-256, and `jsonschema` for
docs/referral.schema.json. Shares no code with Silta.

usage: read_package.py PACKAGE DESK_KEY_FILE SCHEMA  -> prints referral.json (checked) as JSON
"""

import hashlib
import json
import re
import subprocess
import sys
import zipfile
from io import BytesIO

import jsonschema
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

NAME = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9._\-]*(/[A-Za-z0-9_\-][A-Za-z0-9._\-]*)?$")


def fingerprint(*parts: str) -> str:
    h = hashlib.sha256(b"silta-fingerprint-v1")
    for p in parts:
        h.update(b"\x00" + p.encode())
    d = h.hexdigest().upper()[:32]
    return " ".join(d[i : i + 4] for i in range(0, 32, 4))


def main(package: str, key_file: str, schema_file: str) -> None:
    plain = subprocess.run(["age", "-d", "-i", key_file, package], check=True, capture_output=True).stdout
    z = zipfile.ZipFile(BytesIO(plain))
    names = [i.filename for i in z.infolist()]
    assert len(names) == len(set(names)), names
    assert all(NAME.match(n) for n in names), names
    manifest_bytes = z.read("manifest.json")
    manifest = json.loads(manifest_bytes)
    assert manifest["format"] == "silta-referral" and manifest["version"] == 1, manifest
    checkpoint = manifest["audit_checkpoint"]
    assert checkpoint is None or (checkpoint["seq"] >= 1 and re.fullmatch(r"[0-9a-f]{64}", checkpoint["mac"])), checkpoint
    card = manifest["sender"]
    assert card["format"] == "silta-sender-card" and card["version"] == 1
    assert card["fingerprint"] == fingerprint(card["signing_key"], card["age_recipient"]), card
    signature = bytes.fromhex(z.read("manifest.sig").decode())
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(card["signing_key"])).verify(signature, manifest_bytes)
    recipient = manifest["recipient"]
    assert recipient["fingerprint"] == fingerprint(recipient["age_recipient"]), recipient
    public = subprocess.run(["age-keygen", "-y", key_file], check=True, capture_output=True, text=True).stdout.strip()
    assert recipient["age_recipient"] == public, (recipient, public)
    assert sorted(names) == sorted(list(manifest["files"]) + ["manifest.json", "manifest.sig"]), names
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(z.read(name)).hexdigest() == digest, name
    data = json.loads(z.read("referral.json"))
    jsonschema.Draft202012Validator(json.load(open(schema_file))).validate(data)
    assert data["mode"] == manifest["mode"] and data["field_groups"] == manifest["field_groups"]
    for a in data["attachments"]:
        assert a["file"] == f"attachments/{a['id']}" and hashlib.sha256(z.read(a["file"])).hexdigest() == a["sha256"]
    html = z.read("referral.html").decode()
    assert "<script" not in html.lower() and "http" not in html.replace("http-equiv", ""), "the form must be self-contained"
    json.dump({"manifest": manifest, "data": data}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(*sys.argv[1:4])
