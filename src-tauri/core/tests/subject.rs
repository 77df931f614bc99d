//! The person's right of access (GDPR Art. 15): everything of theirs, readable in their
//! language, and nothing the review withholds (Art. 15(4), tietosuojalaki 34 §) in any file.

mod common;

use std::path::Path;

use common::*;
use silta_core::audit::{self, Action};
use silta_core::cases::{self, CaseInput};
use silta_core::model::*;
use silta_core::subject::{self, Choice, Decisions, ItemCategory};
use silta_core::vault::Vault;
use silta_core::words::FormLanguage;

/// A case with every field filled ("SUBJECT-A …"), a finished interview, a note, an attachment,
/// and another person's case beside it.
fn case_with_everything(vault: &Vault) -> silta_core::ids::CaseId {
    let view = cases::open_case(
        vault,
        CaseInput {
            person: full_person("SUBJECT-A"),
            details: Some(full_details("SUBJECT-A")),
        },
        today(),
    )
    .unwrap();
    let mut i = interview("SUBJECT-A");
    i.status = InterviewStatus::Final;
    vault.insert(Some(view.case.id), &i).unwrap();
    vault
        .insert(
            Some(view.case.id),
            &Note {
                text: "SUBJECT-A note: seems afraid of the landlord".into(),
            },
        )
        .unwrap();
    vault
        .add_attachment(
            view.case.id,
            Attachment::new("a.txt", "text/plain"),
            &b"SUBJECT-A statement"[..],
            "t",
        )
        .unwrap();
    cases::open_case(
        vault,
        CaseInput {
            person: full_person("OTHER-B"),
            details: Some(full_details("OTHER-B")),
        },
        today(),
    )
    .unwrap();
    view.case.id
}

/// Changes the case's first exploiter, as an edit in the app would.
fn edit_exploiter(
    vault: &Vault,
    case: silta_core::ids::CaseId,
    change: impl FnOnce(&mut Exploiter),
) {
    let view = cases::view(vault, case, today()).unwrap();
    let mut details = view.case.record.details.clone();
    change(&mut details.exploiters[0]);
    cases::edit(
        vault,
        case,
        CaseInput {
            person: view.person.record.clone(),
            details: Some(details),
        },
        today(),
    )
    .unwrap();
}

fn release_all(review: &subject::Review) -> Decisions {
    Decisions {
        reviewed: review.digest.clone(),
        choices: review
            .items
            .iter()
            .map(|i| (i.item.clone(), Choice::Release))
            .collect(),
        list_withheld: true,
    }
}

/// Every file under `dir`, read whole.
fn every_file(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(every_file(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn the_export_holds_every_record_of_the_person_and_nothing_of_another() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let review = subject::review(&vault, case, today()).unwrap();
    let out = f.dir.path().join("export");
    subject::export(
        &vault,
        case,
        &out,
        FormLanguage::Fi,
        &release_all(&review),
        today(),
    )
    .unwrap();
    let json = std::fs::read_to_string(out.join("subject.json")).unwrap();
    let html = std::fs::read_to_string(out.join("subject.html")).unwrap();
    for text in [
        "SUBJECT-A legal",
        "SUBJECT-A in her own words",
        "SUBJECT-A exploiter",
        "SUBJECT-A +358401234567",
        "SUBJECT-A observed bruises",
        "SUBJECT-A note",
        "SUBJECT-A child",
        "SUBJECT-A lawyer",
    ] {
        assert!(json.contains(text), "{text}");
        assert!(html.contains(text), "{text}");
    }
    assert!(!json.contains("OTHER-B") && !html.contains("OTHER-B"));
    let attachment = std::fs::read_dir(out.join("attachments"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        std::fs::read(attachment.path()).unwrap(),
        b"SUBJECT-A statement"
    );
    assert!(
        subject::export(
            &vault,
            case,
            &out,
            FormLanguage::En,
            &release_all(&review),
            today()
        )
        .is_err(),
        "an export never overwrites"
    );
}

#[test]
fn the_review_lists_what_concerns_others_and_starts_the_exploiters_withheld_for_safety() {
    let (_f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let review = subject::review(&vault, case, today()).unwrap();
    let listed: Vec<(&str, ItemCategory, Choice)> = review
        .items
        .iter()
        .map(|i| (i.item.as_str(), i.category, i.default))
        .collect();
    assert_eq!(
        listed,
        [
            ("exploiter:1", ItemCategory::Exploiter, Choice::Safety),
            ("child:1", ItemCategory::Child, Choice::RightsOfOthers),
            ("counsel", ItemCategory::Counsel, Choice::RightsOfOthers),
            ("account:1", ItemCategory::Account, Choice::Release),
            (
                "observations:1",
                ItemCategory::Observations,
                Choice::Release
            ),
            ("note:1", ItemCategory::Note, Choice::Release),
            ("document:1", ItemCategory::Document, Choice::Release),
        ]
    );
    assert_eq!(
        review.items[0].about,
        "SUBJECT-A exploiter (SUBJECT-A phone)"
    );
}

#[test]
fn nothing_withheld_appears_in_any_written_file_not_even_from_an_earlier_version() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    // An earlier version had the exploiter with another phone and a second child.
    edit_exploiter(&vault, case, |x| {
        x.phones = vec!["SUBJECT-A new phone".into()]
    });
    let review = subject::review(&vault, case, today()).unwrap();
    let mut decisions = review.defaults();
    decisions
        .choices
        .insert("note:1".into(), Choice::OngoingInvestigation);
    decisions
        .choices
        .insert("observations:1".into(), Choice::RightsOfOthers);
    decisions
        .choices
        .insert("document:1".into(), Choice::Safety);
    let out = f.dir.path().join("export");
    subject::export(&vault, case, &out, FormLanguage::En, &decisions, today()).unwrap();
    let files = every_file(&out);
    assert_eq!(
        files.len(),
        2,
        "the withheld document is not copied: {files:?}"
    );
    for canary in [
        "SUBJECT-A exploiter",
        "SUBJECT-A phone",
        "SUBJECT-A new phone",
        "SUBJECT-A car",
        "SUBJECT-A child",
        "SUBJECT-A lawyer",
        "SUBJECT-A office",
        "SUBJECT-A note",
        "SUBJECT-A observed bruises",
        "SUBJECT-A statement",
        "a.txt",
    ] {
        for (name, bytes) in &files {
            assert!(!contains(bytes, canary), "{canary} in {name}");
        }
    }
    let html = std::fs::read_to_string(out.join("subject.html"))
        .unwrap()
        .replace("&#39;", "'");
    for listed in [
        "Details of an exploiter (1) \u{2013} reason: Someone's safety (Data Protection Act, section 34)",
        "Details of a child (1) \u{2013} reason: Other people's rights (GDPR Article 15(4))",
        "Note (1) \u{2013} reason: The investigation of a crime (Data Protection Act, section 34)",
        "Children in Finland</th><td>Left out (see Information left out)",
        "Counsel</th><td>Left out (see Information left out)",
    ] {
        assert!(html.contains(listed), "{listed} not in {html}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("subject.json")).unwrap()).unwrap();
    assert_eq!(json["withheld"][0]["item"], "exploiter:1");
    assert_eq!(json["withheld"][0]["reason"], "safety");
    assert!(
        html.contains("SUBJECT-A in her own words"),
        "the person's own words stay"
    );
}

#[test]
fn every_item_must_be_decided_on_the_case_as_it_was_reviewed() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let review = subject::review(&vault, case, today()).unwrap();
    let mut missing = review.defaults();
    missing.choices.remove("counsel");
    let err = subject::export(
        &vault,
        case,
        &f.dir.path().join("a"),
        FormLanguage::Fi,
        &missing,
        today(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("counsel is not decided"), "{err}");
    let mut unknown = review.defaults();
    unknown
        .choices
        .insert("exploiter:9".into(), Choice::Release);
    assert!(
        subject::export(
            &vault,
            case,
            &f.dir.path().join("b"),
            FormLanguage::Fi,
            &unknown,
            today()
        )
        .unwrap_err()
        .to_string()
        .contains("exploiter:9 is not an item")
    );
    // A note written after the review shifts what "note:1" is: the review must be made again.
    vault
        .insert(
            Some(case),
            &Note {
                text: "written after the review".into(),
            },
        )
        .unwrap();
    let err = subject::export(
        &vault,
        case,
        &f.dir.path().join("c"),
        FormLanguage::Fi,
        &release_all(&review),
        today(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("changed after its review"), "{err}");
    for dir in ["a", "b", "c"] {
        assert!(!f.dir.path().join(dir).exists(), "nothing written");
    }
}

#[test]
fn the_document_reads_in_the_persons_language_with_labels_not_keys_and_local_dates() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let review = subject::review(&vault, case, today()).unwrap();
    let out = f.dir.path().join("sv");
    subject::export(
        &vault,
        case,
        &out,
        FormLanguage::Sv,
        &review.defaults(),
        today(),
    )
    .unwrap();
    let html = std::fs::read_to_string(out.join("subject.html")).unwrap();
    assert!(html.contains("<html lang=\"sv\">"));
    assert!(html.contains("Uppgifter som sparats om dig"));
    assert!(html.contains("Kvinna"), "gender in words");
    assert!(
        html.contains("4.3.2009"),
        "dates as Swedish in Finland writes them"
    );
    assert!(html.contains("28.11.2026"), "the day of the copy");
    for key in [
        "Feminine",
        "AsylumSeeker",
        "mother_tongue",
        "\"safety\"",
        "exploiter:1",
        "2009-03-04",
        "DebtBondage",
    ] {
        assert!(!html.contains(key), "{key} is a code, not words");
    }
    assert!(html.contains("Uppgifter om en förövare (1) \u{2013} skäl: Någons säkerhet"));
    // What the referral form says to a receiver is not said to the person.
    assert!(
        !html.contains("<h2>1. "),
        "no section numbers pointing at the sender"
    );
    assert!(
        !html.contains("avsändaren"),
        "no advice to contact the sender"
    );
}

#[test]
fn the_decisions_are_in_the_audit_log() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let review = subject::review(&vault, case, today()).unwrap();
    subject::export(
        &vault,
        case,
        &f.dir.path().join("export"),
        FormLanguage::Fi,
        &review.defaults(),
        today(),
    )
    .unwrap();
    let entry = audit::list(&vault, Some(case), None)
        .unwrap()
        .into_iter()
        .rev()
        .find(|e| e.action == Action::Export)
        .unwrap();
    assert_eq!(
        entry.detail.as_deref(),
        Some(
            "subject access export in fi; 7 items reviewed; withheld: exploiter:1 (safety), \
             child:1 (rights_of_others), counsel (rights_of_others)"
        )
    );
}

#[test]
fn a_withheld_name_repeated_in_released_text_stops_the_export_until_that_is_withheld_too() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    vault
        .insert(
            Some(case),
            &Note {
                text: "Called back: SUBJECT-A exploiter was outside the shelter.".into(),
            },
        )
        .unwrap();
    let review = subject::review(&vault, case, today()).unwrap();
    let out = f.dir.path().join("export");
    let err = subject::export(
        &vault,
        case,
        &out,
        FormLanguage::En,
        &review.defaults(),
        today(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("\"SUBJECT-A exploiter\" is withheld"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
    let mut decisions = review.defaults();
    decisions.choices.insert("note:2".into(), Choice::Safety);
    subject::export(&vault, case, &out, FormLanguage::En, &decisions, today()).unwrap();
    for (name, bytes) in every_file(&out) {
        assert!(!contains(&bytes, "SUBJECT-A exploiter"), "in {name}");
    }
}

#[test]
fn a_consent_that_suspects_the_guardian_starts_withheld_with_its_signed_form() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let view = cases::view(&vault, case, today()).unwrap();
    let mut consent = consent_for(None, Purpose::Support, &[]);
    consent.representative = Some(Representative {
        name: "SUBJECT-A appointed rep".into(),
        role: RepresentativeRole::LegalRepresentative,
    });
    consent.guardian_suspected = true;
    consent.signed_form = Some(view.attachments[0].id);
    vault.insert(Some(case), &consent).unwrap();
    let review = subject::review(&vault, case, today()).unwrap();
    let default = |item: &str| {
        review
            .items
            .iter()
            .find(|i| i.item == item)
            .map(|i| i.default)
    };
    assert_eq!(default("consent:1"), Some(Choice::Safety));
    assert_eq!(
        default("document:1"),
        Some(Choice::Safety),
        "the form it points at"
    );
    let out = f.dir.path().join("export");
    subject::export(
        &vault,
        case,
        &out,
        FormLanguage::Fi,
        &review.defaults(),
        today(),
    )
    .unwrap();
    for (name, bytes) in every_file(&out) {
        for told in [
            "guardian_suspected",
            "SUBJECT-A appointed rep",
            "SUBJECT-A statement",
        ] {
            assert!(!contains(&bytes, told), "{told} in {name}");
        }
    }
}

#[test]
fn the_copy_can_say_only_that_something_was_left_out() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let review = subject::review(&vault, case, today()).unwrap();
    let decisions = Decisions {
        list_withheld: false,
        ..review.defaults()
    };
    let out = f.dir.path().join("export");
    subject::export(&vault, case, &out, FormLanguage::Fi, &decisions, today()).unwrap();
    let html = std::fs::read_to_string(out.join("subject.html")).unwrap();
    assert!(html.contains("Osa tiedoista on jätetty pois, koska"));
    for kind in [
        "hyväksikäyttäjä",
        "Lapset Suomessa",
        "Oikeusavustaja",
        "Pois jätetyt",
    ] {
        assert!(
            !html.contains(kind),
            "{kind}: the copy does not say what was left out"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("subject.json")).unwrap()).unwrap();
    assert_eq!(json["withheld"], serde_json::json!([]));
    assert_eq!(json["left_out"], true);
}

#[test]
fn the_review_binds_every_items_whole_content_not_only_what_it_shows() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let review = subject::review(&vault, case, today()).unwrap();
    // The exploiter's address is not in what the review shows of it; an edit to it still counts.
    edit_exploiter(&vault, case, |x| {
        x.addresses = vec!["SUBJECT-A new address".into()]
    });
    let err = subject::export(
        &vault,
        case,
        &f.dir.path().join("export"),
        FormLanguage::En,
        &review.defaults(),
        today(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("review it again"), "{err}");
}

#[test]
fn a_withheld_name_or_number_is_found_in_any_case_and_any_spacing() {
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    edit_exploiter(&vault, case, |x| x.phones = vec!["+358 40 555 1234".into()]);
    for told in [
        "Saw subject-a   EXPLOITER again.",
        "He calls from 358-40-555-1234 at night.",
    ] {
        let note = vault
            .insert(Some(case), &Note { text: told.into() })
            .unwrap();
        let review = subject::review(&vault, case, today()).unwrap();
        let err = subject::export(
            &vault,
            case,
            &f.dir.path().join("export"),
            FormLanguage::En,
            &review.defaults(),
            today(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("is withheld"), "{told}: {err}");
        vault.delete::<Note>(note.id).unwrap();
    }
}

#[test]
fn a_consent_without_a_guardian_because_the_guardian_is_suspected_starts_withheld_too() {
    let (_f, vault) = new_vault();
    let case = case_with_everything(&vault);
    let mut consent = consent_for(None, Purpose::Support, &[]);
    consent.no_representative = Some(NoRepresentative {
        reason: NoGuardianReason::GuardianSuspected,
        representative_requested: true,
    });
    consent.child_views = Some("I do not want my uncle told".into());
    vault.insert(Some(case), &consent).unwrap();
    let review = subject::review(&vault, case, today()).unwrap();
    let consent = review.items.iter().find(|i| i.item == "consent:1").unwrap();
    assert_eq!(consent.default, Choice::Safety);
}

/// The rule (issue 10's, for the person's own copy as for the referral form): no raw code
/// anywhere the person reads: every stored value, language and country in their language, dates
/// as written there, in each of the three languages, with every item released and a package sent.
#[test]
fn the_copy_holds_words_not_codes_in_every_language() {
    use silta_core::recipients::{self, KeySource, RecipientKind};
    use silta_core::referral::{self, Mode, Request};
    use silta_core::words::{Words, every_word};
    let (f, vault) = new_vault();
    let case = case_with_everything(&vault);
    silta_core::org::set_up(&vault, "Pro-tukipiste").unwrap();
    let desk = age::x25519::Identity::generate();
    let r = recipients::add(
        &vault,
        "Desk",
        RecipientKind::AssistanceSystem,
        None,
        KeySource::AgeRecipient(&desk.to_public().to_string()),
    )
    .unwrap();
    recipients::confirm(
        &vault,
        "Desk",
        &r.record.fingerprint.to_lowercase(),
        today(),
    )
    .unwrap();
    let mut consent = consent_for(Some("Desk"), Purpose::Referral, FieldGroup::EVERY);
    consent.representative = Some(Representative {
        name: "SUBJECT-A interpreter rep".into(),
        role: RepresentativeRole::LegalRepresentative,
    });
    silta_core::consents::add(&vault, case, &consent, today()).unwrap();
    let mut i = interview("SUBJECT-A");
    i.status = InterviewStatus::Final;
    vault.insert(Some(case), &i).unwrap();
    referral::create(
        &vault,
        &Request {
            case,
            recipient: "Desk".into(),
            mode: Mode::Referral,
            fields: None,
            names_no_one: false,
            language: None,
            missing_reason: Some("The account follows by phone.".into()),
            checked_for_others: true,
            notification: None,
        },
        &f.dir.path().join("sent.age"),
        today(),
        FormLanguage::En,
    )
    .unwrap();
    let review = subject::review(&vault, case, today()).unwrap();
    let all = every_word();
    for (language, expected) in [
        (
            FormLanguage::Fi,
            ["Nainen", "Romania", "4.3.2009", "Desk · Henkilöllisyys"],
        ),
        (
            FormLanguage::Sv,
            ["Kvinna", "Rumänien", "4.3.2009", "Desk · Identitet"],
        ),
        (
            FormLanguage::En,
            ["Woman", "Romania", "4 March 2009", "Desk · Identity"],
        ),
    ] {
        let out = f.dir.path().join(format!("{language:?}"));
        subject::export(&vault, case, &out, language, &release_all(&review), today()).unwrap();
        let html = std::fs::read_to_string(out.join("subject.html")).unwrap();
        for want in expected {
            assert!(html.contains(want), "{language:?}: no {want:?} in\n{html}");
        }
        for (key, _) in &all {
            let stored = key.split_once('.').unwrap().1;
            let code_like =
                stored.contains('_') || stored.chars().skip(1).any(|c| c.is_ascii_uppercase());
            assert!(
                !(code_like && html.contains(stored)),
                "{language:?}: the code {stored:?} is in\n{html}"
            );
        }
        let tokens: Vec<&str> = html.split(|c: char| !c.is_alphanumeric()).collect();
        for code in ["RO", "ro", "FI", "uk"] {
            assert!(
                !tokens.contains(&code),
                "{language:?}: bare {code:?} in\n{html}"
            );
        }
        assert!(!html.contains("2009-03-04"), "{language:?}: an ISO date");
        assert!(!html.contains("2026-11-28"), "{language:?}: an ISO date");
    }
}
