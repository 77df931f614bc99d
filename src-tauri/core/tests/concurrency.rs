//! Two writers on one vault (the app and the command line): writes wait for each other (SQLite's
//! busy timeout), nothing is lost, and the audit chain stays one unbroken line.

mod common;

use common::*;
use silta_core::followups;
use silta_core::model::Note;
use silta_core::{audit, cases};

#[test]
fn two_writers_at_once_lose_nothing_and_keep_one_audit_chain() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    drop(vault);
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let path = f.path.clone();
            std::thread::spawn(move || {
                let v = unlock(&path);
                (0..100)
                    .map(|i| {
                        followups::add_note(
                            &v,
                            case,
                            &Note {
                                text: format!("writer {w} note {i}"),
                            },
                        )
                        .unwrap()
                        .id
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let written: Vec<_> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let vault = unlock(&f.path);
    assert_eq!(written.len(), 200);
    for id in &written {
        vault.get::<Note>(*id).unwrap();
    }
    assert_eq!(cases::view(&vault, case, today()).unwrap().notes.len(), 200);
    let report = audit::verify(&vault).unwrap();
    assert_eq!(report.broken, None);
    let created = audit::list(&vault, Some(case), None)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind.as_deref() == Some("note"))
        .count();
    assert_eq!(created, 200, "every write is in the log once");
}

#[test]
fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    let (f, vault) = new_vault();
    let case = open_case(&vault, "Aino").case.id;
    let kept = followups::add_note(
        &vault,
        case,
        &Note {
            text: "kept".into(),
        },
    )
    .unwrap();
    vault.limit_growth_for_tests(8).unwrap();
    let big = vec![7u8; 4 << 20];
    let err = vault
        .add_attachment(
            case,
            silta_core::model::Attachment::new("big.bin", "application/octet-stream"),
            big.as_slice(),
            "test",
        )
        .unwrap_err();
    assert!(matches!(err, silta_core::Error::DiskFull), "{err:?}");
    assert!(err.to_string().contains("nothing was saved"), "{err}");
    drop(vault);
    let vault = unlock(&f.path);
    assert_eq!(vault.get::<Note>(kept.id).unwrap().record.text, "kept");
    assert!(
        cases::view(&vault, case, today())
            .unwrap()
            .attachments
            .is_empty()
    );
    assert_eq!(audit::verify(&vault).unwrap().broken, None);
}
