#!/usr/bin/env bash
# Reads vaults with the independent Python reader (read_vault.py, written only from
# docs/vault-format.md): the committed golden vault, and a fresh vault made by the current `silta`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/target/independent-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q -r "$here/requirements.txt"
py="$venv/bin/python"

golden="$root/src-tauri/core/tests/data/golden"
"$py" "$here/read_vault.py" "$golden/format-1.silta" Golden "golden passphrase" > "$root/target/golden-by-python.json"
"$py" "$here/read_vault.py" "$golden/format-1.silta" --recovery-key "$(cat "$golden/format-1.recovery-key")" > /dev/null
"$py" - "$root/target/golden-by-python.json" <<'PY'
import base64, json, sys
records = json.load(open(sys.argv[1]))
latest = {}
for r in records:
    latest[(r["kind"], json.dumps(r["record"].get("number")))] = r
people = [r for r in records if r["kind"] == "person"]
assert people[0]["record"]["names"][0]["name"] == "Åsa Mäkinen", people
notes = [r["record"]["text"] for r in records if r["kind"] == "note"]
assert notes == ["first version", "second version"], notes
att = [r for r in records if r["kind"] == "attachment"][0]
assert base64.b64decode(att["content_base64"]) == b"hello, golden"
print("independent reader: golden vault format 1 read in full")
PY

cargo build -q -p silta-cli
silta="$root/target/debug/silta"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export SILTA_VAULT="$tmp/vault.silta" SILTA_PASSPHRASE="an independent check" SILTA_NEW_PASSPHRASE="an independent check"
"$silta" vault init --user "Åke Öhman" --kdf-memory-mib 19 --kdf-passes 2 > /dev/null
case_id="$("$silta" case new --name "Blessing Okafor" --citizenship NG)"
head -c 2500000 /dev/urandom > "$tmp/photo.jpg"
"$silta" attach add "$case_id" "$tmp/photo.jpg" > /dev/null
"$silta" demo --cases 5 > /dev/null
"$silta" vault info --json > "$tmp/info.json"
"$py" "$here/read_vault.py" "$tmp/vault.silta" "Åke Öhman" "an independent check" > "$tmp/read.json"
"$py" - "$tmp/read.json" "$tmp/info.json" "$tmp/photo.jpg" <<'PY'
import base64, json, sys
records, info = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert len(records) == info["records"], (len(records), info["records"])
names = {n["name"] for r in records if r["kind"] == "person" for n in r["record"]["names"]}
assert "Blessing Okafor" in names, names
photo = [r for r in records if r["kind"] == "attachment"][0]
assert base64.b64decode(photo["content_base64"]) == open(sys.argv[3], "rb").read()
assert photo["record"]["chunks"] == 3
print(f"independent reader: a fresh vault read in full ({len(records)} records)")
PY
