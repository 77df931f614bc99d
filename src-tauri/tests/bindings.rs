//! The TypeScript types of everything that crosses IPC are generated from the Rust types (ts-rs)
//! into ui/src/lib/bindings/, never written by hand. This test regenerates them and fails if the
//! committed files differ; run it with SILTA_UPDATE_BINDINGS=1 to write them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use silta_core::ErrorJson;
use silta_core::cases::{CaseHistory, CaseInput, CaseOverview, CaseView};
use silta_core::disclosures::Disclosure;
use silta_core::followups::DueTask;
use silta_core::indicators::{IndicatorInfo, Suggestions};
use silta_core::model::{Note, SupportAction, Task};
use silta_core::org::{OrgStatus, SenderCard};
use silta_core::recipients::{Recipient, RecipientKind};
use silta_core::referral::data::FormLanguage;
use silta_core::referral::desk::Opened;
use silta_core::referral::{Mode, Offer, Preview, Request};
use silta_core::session::Status;
use silta_core::timeline::{RecordHistory, RecordRef};
use ts_rs::{Config, TS};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings")
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| {
                    let e = e.unwrap();
                    (
                        e.file_name().into_string().unwrap(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn generate(out: &Path) {
    let cfg = Config::new().with_out_dir(out).with_large_int("number");
    Status::export_all(&cfg).unwrap();
    CaseOverview::export_all(&cfg).unwrap();
    CaseView::export_all(&cfg).unwrap();
    CaseInput::export_all(&cfg).unwrap();
    ErrorJson::export_all(&cfg).unwrap();
    IndicatorInfo::export_all(&cfg).unwrap();
    Suggestions::export_all(&cfg).unwrap();
    DueTask::export_all(&cfg).unwrap();
    CaseHistory::export_all(&cfg).unwrap();
    Task::export_all(&cfg).unwrap();
    SupportAction::export_all(&cfg).unwrap();
    Note::export_all(&cfg).unwrap();
    RecordRef::export_all(&cfg).unwrap();
    RecordHistory::export_all(&cfg).unwrap();
    OrgStatus::export_all(&cfg).unwrap();
    SenderCard::export_all(&cfg).unwrap();
    Recipient::export_all(&cfg).unwrap();
    RecipientKind::export_all(&cfg).unwrap();
    Offer::export_all(&cfg).unwrap();
    Preview::export_all(&cfg).unwrap();
    Request::export_all(&cfg).unwrap();
    Mode::export_all(&cfg).unwrap();
    FormLanguage::export_all(&cfg).unwrap();
    Disclosure::export_all(&cfg).unwrap();
    Opened::export_all(&cfg).unwrap();
    silta_core::audit::Entry::export_all(&cfg).unwrap();
    silta_core::audit::AuditReport::export_all(&cfg).unwrap();
    silta_core::retention::Overview::export_all(&cfg).unwrap();
    silta_core::retention::Informed::export_all(&cfg).unwrap();
    silta_core::retention::Erased::export_all(&cfg).unwrap();
    silta_core::stats::StatsReport::export_all(&cfg).unwrap();
    silta_core::session::Setup::export_all(&cfg).unwrap();
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().unwrap();
    generate(fresh.path());
    if std::env::var_os("SILTA_UPDATE_BINDINGS").is_some() {
        let dir = committed_dir();
        let _ = std::fs::remove_dir_all(&dir);
        generate(&dir);
    }
    let generated = read_dir(fresh.path());
    let committed = read_dir(&committed_dir());
    assert!(
        generated.len() > 10,
        "too few types generated: {:?}",
        generated.keys()
    );
    for (name, text) in &generated {
        assert_eq!(
            committed.get(name),
            Some(text),
            "ui/src/lib/bindings/{name} is stale: run SILTA_UPDATE_BINDINGS=1 cargo test -p silta-app --test bindings"
        );
    }
    let extra: Vec<_> = committed
        .keys()
        .filter(|k| !generated.contains_key(*k))
        .collect();
    assert!(extra.is_empty(), "no longer generated, remove: {extra:?}");
}
