//! docs/vault-records.schema.json is what the record types generate: a change to a record's JSON
//! that is not in the document fails here. `SILTA_UPDATE_SCHEMA=1 cargo test -p silta-core
//! --features schema --test schema` writes it anew.
#![cfg(feature = "schema")]

#[test]
fn the_record_schema_in_docs_is_what_the_record_types_write() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/vault-records.schema.json"
    );
    let generated = serde_json::to_string_pretty(&silta_core::schema::records()).unwrap() + "\n";
    if std::env::var_os("SILTA_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let written = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        written == generated,
        "docs/vault-records.schema.json is out of date: run SILTA_UPDATE_SCHEMA=1 cargo test -p silta-core --features schema --test schema"
    );
}

#[test]
fn the_referral_schema_in_docs_is_what_the_referral_types_write() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/referral.schema.json"
    );
    let generated =
        serde_json::to_string_pretty(&silta_core::schema::referral_data()).unwrap() + "\n";
    if std::env::var_os("SILTA_UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let written = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        written == generated,
        "docs/referral.schema.json is out of date: run SILTA_UPDATE_SCHEMA=1 cargo test -p silta-core --features schema --test schema"
    );
}

#[test]
fn every_record_kind_has_a_schema() {
    let doc = silta_core::schema::records();
    let kinds: Vec<&str> = doc["kinds"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for kind in [
        "case",
        "person",
        "interview",
        "consent",
        "support_action",
        "task",
        "note",
        "attachment",
        "retention_policy",
        "stats_row",
        "organisation",
        "recipient",
        "disclosure",
        "audit",
        "audit_head",
        "case_counter",
        "sync_server",
        "sync_conflict",
        "sync_purge",
        "sync_position",
        "team_device",
        "team_grant",
        "device_key",
        "team_cut",
    ] {
        assert!(kinds.contains(&kind), "{kind} has no schema: {kinds:?}");
    }
}
