//! The JSON Schema of every record kind's JSON (docs/vault-records.schema.json), generated from
//! the types themselves so that the document cannot drift from what Silta writes. The independent
//! reader (tests/independent/read_vault.py) validates every record it opens against it.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::{CaseNumber, CountryCode, LanguageCode};
use crate::vault::Record;

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "ISO 3166-1 alpha-2 country code, upper case",
            "type": "string",
            "pattern": "^[A-Z]{2}$"
        })
    }
}

impl JsonSchema for LanguageCode {
    fn schema_name() -> Cow<'static, str> {
        "LanguageCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "ISO 639 language code: two or three lower-case letters",
            "type": "string",
            "pattern": "^[a-z]{2,3}$"
        })
    }
}

impl JsonSchema for CaseNumber {
    fn schema_name() -> Cow<'static, str> {
        "CaseNumber".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "year, a hyphen and a serial number of at least four digits: 2026-0042; on a laptop that joined a team, the laptop's series letter between them: 2026-B-0042",
            "type": "string",
            "pattern": "^[0-9]{4}-([B-Z]-)?[0-9]{4,}$"
        })
    }
}

/// docs/referral.schema.json: what a package's referral.json holds (referral-format.md §5).
pub fn referral_data() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator
        .into_root_schema_for::<crate::referral::data::ReferralData>()
        .to_value();
    if let Some(doc) = schema.as_object_mut() {
        doc.insert(
            "$id".into(),
            "https://silta.fi/schemas/referral-data-2.json".into(),
        );
        doc.insert(
            "title".into(),
            "Silta referral data (referral.json), versions 1 and 2".into(),
        );
        doc.insert(
            "description".into(),
            "See docs/referral-format.md section 5. A part for a field group the package does not hold is absent. Generated from the Rust types."
                .into(),
        );
    }
    schema
}

/// The document: `$defs` with every type, and `kinds` naming the schema of each record kind.
pub fn records() -> serde_json::Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut kinds = serde_json::Map::new();
    let mut kind = |name: &str, schema: Schema| {
        kinds.insert(name.to_string(), schema.to_value());
    };
    macro_rules! kinds {
        ($($t:ty),* $(,)?) => {
            $(kind(<$t as Record>::KIND, generator.subschema_for::<$t>());)*
        };
    }
    kinds!(
        crate::model::Case,
        crate::model::Person,
        crate::model::Interview,
        crate::model::Consent,
        crate::model::SupportAction,
        crate::model::Task,
        crate::model::Note,
        crate::model::Notification,
        crate::model::Attachment,
        crate::retention::RetentionPolicy,
        crate::stats::StatsRow,
        crate::org::Organisation,
        crate::recipients::Recipient,
        crate::referrers::ReferrerContact,
        crate::disclosures::Disclosure,
        crate::sync::SyncServer,
        crate::sync::SyncConflict,
        crate::sync::SyncPurge,
        crate::sync::SyncPosition,
        crate::sync::team::TeamDevice,
        crate::sync::team::TeamGrant,
        crate::sync::team::DeviceKey,
        crate::sync::team::TeamCut,
        crate::sync::signing::TeamRoster,
        crate::audit::Entry,
        crate::audit::Head,
        crate::audit::LegacyCounter,
    );
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://silta.fi/schema/vault-records/v4.json",
        "title": "Silta vault records, format 4",
        "description": "The `record` of each record kind (docs/vault-format.md, section 5): validate a record of kind K against {\"$defs\": $defs, \"$ref\": kinds[K].$ref}.",
        "kinds": kinds,
        "$defs": generator.take_definitions(true),
    })
}
