#!/usr/bin/env python3
"""An independent reader of Silta vaults, written only from docs/vault-format.md.

It shares no code with Silta: Python's sqlite3, the `cryptography` package (AES-GCM, HKDF),
`argon2-cffi` and the standard `age` tool (access grants, format 4). If it can read a vault, the format document is precise enough to do so.

    python3 read_vault.py VAULT USER PASSPHRASE        prints every record's latest version as JSON
    python3 read_vault.py VAULT --recovery-key KEY     the same, opened with the recovery key

With `--schema docs/vault-records.schema.json` (anywhere in the arguments), every record version
is also validated against its kind's JSON Schema (docs/vault-format.md, section 5).
"""

import base64
import hashlib
import hmac
import json
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile
import unicodedata

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def hkdf(vk, vault_id, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=vault_id, info=info).derive(vk)


def parse_slot(blob):
    """Section 3: format 1 wraps the first epoch's key, format 2 the owner's age identity."""
    assert blob[0:4] == b"SLTK" and blob[4] in (1, 2), "not a slot"
    fmt, kind, kdf = blob[4], blob[5], blob[6]
    if kdf == 1:
        m, t, p = struct.unpack(">III", blob[7:19])
        s = blob[19]
        salt = blob[20 : 20 + s]
        header_len = 20 + s
    else:
        m = t = p = None
        salt = b""
        header_len = 7
    if fmt == 2:
        assert blob[header_len : header_len + 4] == b"age1"
        header_len += 62
    nonce = blob[header_len : header_len + 12]
    wrapped = blob[header_len + 12 :]
    assert len(wrapped) == (48 if fmt == 1 else 4 + 32 + 74 + 16)
    return fmt, kind, (m, t, p, salt), blob[:header_len], nonce, wrapped


def crockford_decode(text):
    text = "".join(c for c in text.upper() if c.isalnum())
    text = text.replace("O", "0").replace("I", "1").replace("L", "1")
    bits = "".join(format(CROCKFORD.index(c), "05b") for c in text)
    data = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits) - 7, 8))
    return data


def crc16_ccitt_false(data):
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def age_decrypt(identity, data):
    """The standard `age` tool, as the receiving desk uses it (section 9: grants are age files)."""
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "identity")
        with open(os.open(key, os.O_WRONLY | os.O_CREAT, 0o600), "w") as f:
            f.write(identity + "\n")
        return subprocess.run(["age", "-d", "-i", key], input=data, check=True, capture_output=True).stdout


def has_access_column(conn):
    """Format 4 added key_slots.access (section 1)."""
    return any(c[1] == "access" for c in conn.execute("PRAGMA table_info(key_slots)"))


def epoch_keys(conn, vault_id, user, secret):
    """Sections 3 and 9: every key epoch's key, from the first, given a passphrase or recovery key."""
    access = "access" if has_access_column(conn) else "NULL"
    if user is None:
        slot_id, blob, access = conn.execute(f"SELECT id, slot, {access} FROM key_slots WHERE user IS NULL").fetchone()
    else:
        slot_id, blob, access = conn.execute(f"SELECT id, slot, {access} FROM key_slots WHERE user = ?", (user,)).fetchone()
    fmt, kind, (m, t, p, salt), header, nonce, wrapped = parse_slot(blob)
    if kind == 1:
        password = unicodedata.normalize("NFC", secret).encode()
        kek = hash_secret_raw(password, salt, time_cost=t, memory_cost=m, parallelism=p, hash_len=32, type=Type.ID, version=19)
    else:
        data = crockford_decode(secret)
        key, check = data[:32], data[32:34]
        assert struct.pack(">H", crc16_ccitt_false(key)) == check, "recovery key mistyped"
        kek = key
    aad = b"silta/slot/v1" + vault_id + slot_id + header
    plain = AESGCM(kek).decrypt(nonce, wrapped, aad)
    if fmt == 1:
        return [plain]
    (seen,), seen_check, identity = struct.unpack(">I", plain[:4]), plain[4:36], plain[36:].decode()
    grant = age_decrypt(identity, access)
    prefix = b"silta/access/v1" + vault_id + slot_id
    assert grant[: len(prefix)] == prefix, "a grant of another slot"
    (epoch,) = struct.unpack(">I", grant[len(prefix) : len(prefix) + 4])
    chain = [grant[len(prefix) + 4 :]]
    for e in range(epoch, 0, -1):
        (link,) = conn.execute("SELECT link FROM key_epochs WHERE epoch = ?", (e,)).fetchone()
        lk = hkdf(chain[-1], vault_id, b"silta/v1/epoch-link")
        chain.append(AESGCM(lk).decrypt(link[:12], link[12:], b"silta/epoch-link/v1" + vault_id + struct.pack(">I", e)))
    chain.reverse()
    assert hkdf(chain[seen], vault_id, b"silta/v1/epoch-check") == seen_check, "the grant does not lead back"
    return chain


def envelope(sealed):
    """Section 4: format 1 is the first epoch; format 2 names its epoch."""
    if sealed[0] == 1:
        return 0, sealed[1:]
    assert sealed[0] == 2
    (epoch,) = struct.unpack(">I", sealed[1:5])
    assert epoch > 0
    return epoch, sealed[5:]


def record_aad(vault_id, kind, rid, version, case_id):
    aad = b"silta/record/v1" + vault_id + bytes([len(kind)]) + kind.encode() + rid + struct.pack(">Q", version)
    return aad + ((b"\x01" + case_id) if case_id is not None else b"\x00")


def open_record(rks, vault_id, kind, rid, version, case_id, sealed):
    epoch, body = envelope(sealed)
    aad = record_aad(vault_id, kind, rid, version, case_id)
    plain = AESGCM(rks[epoch]).decrypt(body[:12], body[12:], aad)
    (n,) = struct.unpack(">I", plain[:4])
    # Zero bytes up to the next multiple of 256, and no further (section 4).
    assert len(plain) == -(-(4 + n) // 256) * 256 and not any(plain[4 + n :]), "bad padding"
    return json.loads(plain[4 : 4 + n])


def read_attachment(conn, aks, vault_id, aid, chunks):
    out = bytearray()
    for i in range(chunks):
        (sealed,) = conn.execute("SELECT sealed FROM attachment_chunks WHERE attachment = ? AND idx = ?", (aid, i)).fetchone()
        epoch, body = envelope(sealed)
        aad = b"silta/chunk/v1" + vault_id + aid + struct.pack(">I", i) + bytes([1 if i == chunks - 1 else 0])
        out += AESGCM(aks[epoch]).decrypt(body[:12], body[12:], aad)
    return bytes(out)


def entry_id(gk, seq):
    """Section 8: entry n lives at a UUID version 8 made from HMAC(GK, prefix || n)."""
    tag = hmac.new(gk, b"silta/ledger/entry-id/v1" + struct.pack(">Q", seq), hashlib.sha256).digest()
    b = bytearray(struct.pack(">Q", seq)[2:] + tag[:10])
    b[6] = (b[6] & 0x0F) | 0x80
    b[8] = (b[8] & 0x3F) | 0x80
    return bytes(b)


def verify_audit(records, lk, gk):
    """The audit chain of docs/vault-format.md section 5: seq 1..N, each prev the HMAC of the one
    before, each entry after the legacy ones at its own id, and the head naming the last."""
    entries = sorted((r for r in records if r["kind"] == "audit"), key=lambda r: r["record"]["seq"])
    heads = [r for r in records if r["kind"] == "audit_head"]
    head = max(heads, key=lambda r: r["version"])["record"] if heads else None
    legacy = head["ledger"]["legacy"] if head and "ledger" in head else None
    prev = ""
    for n, r in enumerate(entries, start=1):
        e = r["record"]
        assert e["seq"] == n, f"audit entry {n} missing"
        assert e["prev"] == prev, f"audit entry {n} does not follow"
        if legacy is not None and n > legacy:
            assert r["id"] == entry_id(gk, n), f"audit entry {n} is not at its id"
        body = json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode()
        prev = hmac.new(lk, b"silta/audit/v1" + body, hashlib.sha256).hexdigest()
    if entries:
        assert (head["seq"], head["mac"]) == (len(entries), prev), (head, len(entries))
    return head


def tally(tags):
    digest = bytes(32)
    for t in tags:
        digest = bytes(a ^ b for a, b in zip(digest, t))
    return {"rows": len(tags), "digest": digest.hex()}


def verify_ledger(conn, gk, vault_id, head):
    """Section 8: the head's tallies of every record row (but the head), chunk and key slot."""
    mac = lambda m: hmac.new(gk, m, hashlib.sha256).digest()
    records = []
    for rid, version, kind, case_id in conn.execute("SELECT id, version, kind, case_id FROM records WHERE kind <> 'audit_head'"):
        records.append(mac(record_aad(vault_id, kind, rid, version, case_id)))
    chunks = [mac(b"silta/ledger/chunk/v1" + a + struct.pack(">I", i)) for a, i in conn.execute("SELECT attachment, idx FROM attachment_chunks")]
    access = "access" if has_access_column(conn) else "NULL"
    slots = []
    for sid, user, slot, access in conn.execute(f"SELECT id, user, slot, {access} FROM key_slots"):
        who = b"\x00" if user is None else b"\x01" + user.encode()
        if access is None:
            slots.append(mac(b"silta/ledger/slot/v1" + sid + hashlib.sha256(slot).digest() + who))
        else:
            slots.append(mac(b"silta/ledger/slot/v2" + sid + hashlib.sha256(slot).digest() + hashlib.sha256(access).digest() + who))
    ledger = head["ledger"]
    assert ledger["records"] == tally(records), ("record rows", ledger["records"], tally(records))
    assert ledger["chunks"] == tally(chunks), "attachment chunks"
    assert ledger["slots"] == tally(slots), "key slots"


def validate(records, schema_path):
    """Every record version against its kind's schema; an unknown kind is an error."""
    from jsonschema import Draft202012Validator

    doc = json.load(open(schema_path, encoding="utf-8"))
    validators = {}
    for kind, ref in doc["kinds"].items():
        schema = {"$schema": doc["$schema"], "$defs": doc["$defs"], **ref}
        Draft202012Validator.check_schema(schema)
        validators[kind] = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for r in records:
        assert r["kind"] in validators, f"kind {r['kind']} has no schema"
        errors = sorted(validators[r["kind"]].iter_errors(r["record"]), key=str)
        assert not errors, f"{r['kind']} {r['id'].hex()} v{r['version']}: {errors[0].message}"
    return sorted({r["kind"] for r in records})


def main():
    schema_path = None
    if "--schema" in sys.argv:
        at = sys.argv.index("--schema")
        schema_path = sys.argv[at + 1]
        del sys.argv[at : at + 2]
    path = sys.argv[1]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x53494C54, "not a Silta vault"
    # Formats 1 and 2 differ in one index (docs/vault-format.md section 1); format 3 adds the
    # ledger (section 8), format 4 key epochs (section 9). All read the same way.
    format_version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert format_version in (1, 2, 3, 4), "unknown format version"
    (vault_id,) = conn.execute("SELECT value FROM vault_meta WHERE name = 'vault_id'").fetchone()
    if sys.argv[2] == "--recovery-key":
        chain = epoch_keys(conn, vault_id, None, sys.argv[3])
    else:
        chain = epoch_keys(conn, vault_id, sys.argv[2], sys.argv[3])
    vk = chain[0]
    rk = [hkdf(k, vault_id, b"silta/v1/records") for k in chain]
    ak = [hkdf(k, vault_id, b"silta/v1/attachments") for k in chain]
    records = []
    rows = conn.execute("SELECT id, version, kind, case_id, sealed FROM records ORDER BY id, version")
    for rid, version, kind, case_id, sealed in rows:
        payload = open_record(rk, vault_id, kind, rid, version, case_id, sealed)
        entry = {"kind": kind, "id": rid, "version": version, **payload}
        if kind == "attachment":
            content = read_attachment(conn, ak, vault_id, rid, payload["record"]["chunks"])
            assert hashlib.sha256(content).hexdigest() == payload["record"]["sha256"]
            entry["content_base64"] = base64.b64encode(content).decode()
        records.append(entry)
    gk = hkdf(vk, vault_id, b"silta/v1/ledger")
    head = verify_audit(records, hkdf(vk, vault_id, b"silta/v1/audit"), gk)
    if format_version >= 3:
        verify_ledger(conn, gk, vault_id, head)
    if schema_path:
        kinds = validate(records, schema_path)
        print(f"every record valid against its schema; kinds: {', '.join(kinds)}", file=sys.stderr)
    for r in records:
        r["id"] = r["id"].hex()
    print(json.dumps(records, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
