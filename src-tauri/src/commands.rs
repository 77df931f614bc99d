//! The commands the window may call (each declared in build.rs and granted in capabilities/).
//! One line of work each: convert, call silta-core, return. Errors cross as `{code, message}`.

use chrono::NaiveDate;
use silta_core::Result;
use silta_core::audit;
use silta_core::cases::{self, CaseHistory, CaseInput, CaseOverview, CaseView};
use silta_core::consents;
use silta_core::disclosures::{self, Disclosure};
use silta_core::followups::{self, DueTask};
use silta_core::ids::{AttachmentId, CaseId, ConsentId, InterviewId, TaskId};
use silta_core::indicators::{self, IndicatorInfo, Suggestions};
use silta_core::information::{InformationTexts, Rendered};
use silta_core::interviews;
use silta_core::model::codes::{ExploitationType, MethodOfControl};
use silta_core::model::{
    Consent, Interview, InterviewStage, LanguageCode, Note, Notification, Purpose, Reminder,
    SupportAction, Task,
};
use silta_core::notifications;
use silta_core::org::{self, OrgStatus, SenderCard};
use silta_core::recipients::{self, KeySource, Recipient, RecipientKind};
use silta_core::referral::data::FormLanguage;
use silta_core::referral::desk::{self, Opened};
use silta_core::referral::{self, Mode, Offer, Preview, Request};
use silta_core::referrers::{self, ContactCard, Contacts, Who};
use silta_core::retention;
use silta_core::session::{AuditLog, KeyChanged, Recovered, Setup, Status};
use silta_core::stats;
use silta_core::timeline::{self, RecordHistory, RecordRef};
use silta_core::vault::Stored;
use silta_core::vault::{Passphrase, RecoveryKey};
use silta_core::witness;
use tauri::State;
use tauri_plugin_dialog::DialogExt;
use zeroize::Zeroizing;

use crate::AppState;

/// Passphrases arrive as plain strings; they are normalised into a zeroizing type at once.
fn passphrase(text: String) -> Passphrase {
    let text = Zeroizing::new(text);
    Passphrase::new(&text)
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Result<Status> {
    state.lock().status()
}

/// Creates the vault; returns the recovery key, to be shown to the user once.
#[tauri::command]
pub fn create_vault(
    state: State<'_, AppState>,
    user: String,
    passphrase_text: String,
    setup: Setup,
) -> Result<String> {
    let key = state
        .lock()
        .create(&user, &passphrase(passphrase_text), &setup)?;
    Ok(key.as_str().to_string())
}

#[tauri::command]
pub fn unlock(
    state: State<'_, AppState>,
    user: Option<String>,
    passphrase_text: String,
) -> Result<()> {
    state
        .lock()
        .unlock(user.as_deref(), &passphrase(passphrase_text))
}

/// A forgotten passphrase: the recovery key, then a new passphrase; returns the new recovery
/// key, to be shown once.
#[tauri::command]
pub fn recover(
    state: State<'_, AppState>,
    user: String,
    recovery_key: String,
    passphrase_text: String,
) -> Result<Recovered> {
    let key = RecoveryKey::parse(&Zeroizing::new(recovery_key))?;
    state
        .lock()
        .recover(&user, &key, &passphrase(passphrase_text))
}

#[tauri::command]
pub fn change_passphrase(
    state: State<'_, AppState>,
    current: String,
    passphrase_text: String,
) -> Result<()> {
    state
        .lock()
        .change_passphrase(&passphrase(current), &passphrase(passphrase_text))
}

#[tauri::command]
pub fn add_colleague(
    state: State<'_, AppState>,
    current: String,
    name: String,
    passphrase_text: String,
) -> Result<()> {
    state
        .lock()
        .add_colleague(&passphrase(current), &name, &passphrase(passphrase_text))
}

#[tauri::command]
pub fn remove_colleague(
    state: State<'_, AppState>,
    current: String,
    name: String,
) -> Result<KeyChanged> {
    state.lock().remove_colleague(&passphrase(current), &name)
}

/// A new recovery key in place of the current one, on the staff member's own passphrase;
/// returned to be shown once.
#[tauri::command]
pub fn replace_recovery_key(state: State<'_, AppState>, current: String) -> Result<Recovered> {
    state.lock().replace_recovery_key(&passphrase(current))
}

#[tauri::command]
pub fn lock(state: State<'_, AppState>) {
    state.lock().lock();
}

/// The user typed or clicked: the idle clock starts again.
#[tauri::command]
pub fn activity(state: State<'_, AppState>) {
    state.lock().touch();
}

#[tauri::command]
pub fn search_cases(state: State<'_, AppState>, query: String) -> Result<Vec<CaseOverview>> {
    state.lock().search(&query, 200)
}

#[tauri::command]
pub fn new_case(state: State<'_, AppState>, input: CaseInput) -> Result<CaseView> {
    state.lock().new_case(input, today())
}

#[tauri::command]
pub fn edit_case(state: State<'_, AppState>, id: CaseId, input: CaseInput) -> Result<CaseView> {
    state.lock().edit_case(id, input, today())
}

#[tauri::command]
pub fn get_case(state: State<'_, AppState>, id: CaseId) -> Result<CaseView> {
    let mut session = state.lock();
    let view = session.case(id, today())?;
    audit::log_case_opened(session.vault()?, id)?;
    Ok(view)
}

/// Countries and languages by name in the app's language, for the person form's pickers.
#[tauri::command]
pub fn place_names(language: FormLanguage) -> silta_core::words::Names {
    silta_core::words::names(language)
}

#[tauri::command]
pub fn indicator_catalogue() -> Vec<IndicatorInfo> {
    indicators::catalogue()
}

#[tauri::command]
pub fn start_interview(
    state: State<'_, AppState>,
    case: CaseId,
    stage: InterviewStage,
    language: LanguageCode,
    interpreter: Option<String>,
) -> Result<Stored<Interview>> {
    interviews::start(state.lock().vault()?, case, stage, language, interpreter)
}

/// Saves the interview as typed; `version` is the one the window last saw.
#[tauri::command]
pub fn save_interview(
    state: State<'_, AppState>,
    id: InterviewId,
    version: u32,
    interview: Interview,
) -> Result<Stored<Interview>> {
    interviews::save(state.lock().vault()?, id, version, &interview)
}

#[tauri::command]
pub fn suggest_codes(interview: Interview) -> Suggestions {
    indicators::suggest(&interview)
}

#[tauri::command]
pub fn confirm_codes(
    state: State<'_, AppState>,
    case: CaseId,
    exploitation_types: Vec<ExploitationType>,
    methods_of_control: Vec<MethodOfControl>,
) -> Result<CaseView> {
    let mut session = state.lock();
    interviews::confirm_codes(
        session.vault()?,
        case,
        &exploitation_types,
        &methods_of_control,
    )?;
    session.case_changed()?;
    session.case(case, today())
}

#[tauri::command]
pub fn add_notification(
    state: State<'_, AppState>,
    case: CaseId,
    notification: Notification,
) -> Result<CaseView> {
    let mut session = state.lock();
    notifications::add(session.vault()?, case, &notification, today())?;
    session.case(case, today())
}

#[tauri::command]
pub fn information_texts(state: State<'_, AppState>) -> InformationTexts {
    let session = state.lock();
    session.information().texts(&session.information_folder())
}

#[tauri::command]
pub fn information_text(
    state: State<'_, AppState>,
    language: LanguageCode,
    purpose: Purpose,
) -> Result<Rendered> {
    let mut session = state.lock();
    let organisation = org::status(session.vault()?)?.name;
    session
        .information()
        .render(&language, purpose, Some(&organisation))
}

#[tauri::command]
pub fn add_consent(state: State<'_, AppState>, case: CaseId, consent: Consent) -> Result<CaseView> {
    let mut session = state.lock();
    let texts = session.information();
    consents::add_shown(session.vault()?, &texts, case, &consent, today())?;
    session.case(case, today())
}

#[tauri::command]
pub fn withdraw_consent(
    state: State<'_, AppState>,
    case: CaseId,
    id: ConsentId,
    note: String,
) -> Result<CaseView> {
    let mut session = state.lock();
    consents::withdraw(session.vault()?, id, today(), &note)?;
    session.case(case, today())
}

#[tauri::command]
pub fn add_task(state: State<'_, AppState>, case: CaseId, task: Task) -> Result<CaseView> {
    let mut session = state.lock();
    followups::add_task(session.vault()?, case, &task)?;
    session.case(case, today())
}

#[tauri::command]
pub fn complete_task(state: State<'_, AppState>, case: CaseId, id: TaskId) -> Result<CaseView> {
    let mut session = state.lock();
    followups::complete_task(session.vault()?, id, today())?;
    session.case(case, today())
}

/// The reminder for a reflection or recovery period as its decision gives it, to review before
/// it is added.
#[tauri::command]
pub fn period_reminder(
    kind: Reminder,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    title: String,
) -> Result<Task> {
    followups::period_reminder(kind, start, end, &title)
}

#[tauri::command]
pub fn add_support_action(
    state: State<'_, AppState>,
    case: CaseId,
    action: SupportAction,
) -> Result<CaseView> {
    let mut session = state.lock();
    followups::add_support_action(session.vault()?, case, &action)?;
    session.case(case, today())
}

#[tauri::command]
pub fn add_note(state: State<'_, AppState>, case: CaseId, note: Note) -> Result<CaseView> {
    let mut session = state.lock();
    followups::add_note(session.vault()?, case, &note)?;
    session.case(case, today())
}

#[tauri::command]
pub fn due_soon(state: State<'_, AppState>, days: u32) -> Result<Vec<DueTask>> {
    followups::due_soon(state.lock().vault()?, today(), days.into())
}

#[tauri::command]
pub fn case_history(state: State<'_, AppState>, case: CaseId) -> Result<CaseHistory> {
    cases::history(state.lock().vault()?, case)
}

#[tauri::command]
pub fn record_history(
    state: State<'_, AppState>,
    case: CaseId,
    record: RecordRef,
) -> Result<RecordHistory> {
    timeline::history(state.lock().vault()?, case, record)
}

/// Opens the training vault of invented people (made the first time), locking the real one.
#[tauri::command]
pub fn open_demo(state: State<'_, AppState>) -> Result<()> {
    state.lock().open_demo(today())
}

#[tauri::command]
pub fn leave_demo(state: State<'_, AppState>) {
    state.lock().leave_demo();
}

/// After how many minutes without activity the app locks itself.
#[tauri::command]
pub fn set_auto_lock(state: State<'_, AppState>, minutes: u32) -> Result<()> {
    state
        .lock()
        .set_idle_limit(std::time::Duration::from_secs(u64::from(minutes) * 60))
}

/// Asks for files with the native dialog and encrypts each into the case. Async, so the dialog
/// does not block the window's own thread.
#[tauri::command]
pub async fn attach_from_dialog(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    case: CaseId,
) -> Result<CaseView> {
    let picked = app
        .dialog()
        .file()
        .blocking_pick_files()
        .unwrap_or_default();
    let mut session = state.lock();
    for file in picked {
        let path = file.into_path().map_err(|e| {
            silta_core::Error::InvalidInput(format!("that file cannot be read here: {e}").into())
        })?;
        session.vault()?.import_file(case, &path, None, "")?;
    }
    session.case(case, today())
}

/// Encrypts the files just dropped on the window into the case.
#[tauri::command]
pub fn attach_dropped(state: State<'_, AppState>, case: CaseId) -> Result<CaseView> {
    let paths = state.take_dropped();
    let mut session = state.lock();
    for path in paths.iter().filter(|p| p.is_file()) {
        session.vault()?.import_file(case, path, None, "")?;
    }
    session.case(case, today())
}

/// An attachment's content, to show in the window (kept in memory only, never in a file).
#[tauri::command]
pub fn attachment_content(
    state: State<'_, AppState>,
    id: AttachmentId,
) -> Result<tauri::ipc::Response> {
    let mut session = state.lock();
    let vault = session.vault()?;
    let bytes = vault.attachment_bytes(id)?;
    audit::log_attachment_opened(vault, id)?;
    Ok(tauri::ipc::Response::new(bytes.to_vec()))
}

#[tauri::command]
pub fn organisation(state: State<'_, AppState>) -> Result<OrgStatus> {
    org::status(state.lock().vault()?)
}

#[tauri::command]
pub fn rename_organisation(state: State<'_, AppState>, name: String) -> Result<SenderCard> {
    org::rename(state.lock().vault()?, &name)
}

#[tauri::command]
pub fn referrer_contacts(state: State<'_, AppState>) -> Result<Contacts> {
    referrers::ours(state.lock().vault()?)
}

/// Sets the organisation's contact, or (`mine`) the unlocked staff member's.
#[tauri::command]
pub fn set_referrer_contact(
    state: State<'_, AppState>,
    mine: bool,
    card: ContactCard,
) -> Result<Contacts> {
    let mut state = state.lock();
    let vault = state.vault()?;
    let who = if mine {
        Who::Staff(vault.user())
    } else {
        Who::Organisation
    };
    referrers::set(vault, who, &card)?;
    referrers::ours(vault)
}

#[tauri::command]
pub fn list_recipients(state: State<'_, AppState>) -> Result<Vec<Recipient>> {
    Ok(recipients::list(state.lock().vault()?)?
        .into_iter()
        .map(|r| r.record)
        .collect())
}

#[tauri::command]
pub fn add_recipient(
    state: State<'_, AppState>,
    name: String,
    kind: RecipientKind,
    age_recipient: String,
) -> Result<Recipient> {
    let vault_session = &mut state.lock();
    let key = KeySource::AgeRecipient(&age_recipient);
    Ok(recipients::add(vault_session.vault()?, &name, kind, None, key)?.record)
}

#[tauri::command]
pub fn confirm_recipient(
    state: State<'_, AppState>,
    name: String,
    fingerprint: String,
) -> Result<Recipient> {
    Ok(recipients::confirm(state.lock().vault()?, &name, &fingerprint, today())?.record)
}

#[tauri::command]
pub fn remove_recipient(state: State<'_, AppState>, name: String) -> Result<()> {
    recipients::remove(state.lock().vault()?, &name)
}

#[tauri::command]
pub fn referral_offer(
    state: State<'_, AppState>,
    case: CaseId,
    recipient: String,
    mode: Mode,
) -> Result<Offer> {
    referral::offer(state.lock().vault()?, case, &recipient, mode, today())
}

#[tauri::command]
pub fn preview_referral(
    state: State<'_, AppState>,
    request: Request,
    ui: FormLanguage,
) -> Result<Preview> {
    referral::preview(state.lock().vault()?, &request, today(), ui)
}

/// Asks where to save the package (native dialog), writes it and logs the disclosure. `None` when
/// the caseworker cancelled the dialog.
#[tauri::command]
pub async fn save_referral(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    request: Request,
    ui: FormLanguage,
) -> Result<Option<Disclosure>> {
    let number = state.lock().case(request.case, today())?.case.record.number;
    let Some(picked) = app
        .dialog()
        .file()
        .set_file_name(format!("referral-{number}.age"))
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = picked.into_path().map_err(|e| {
        silta_core::Error::InvalidInput(format!("that place cannot be written here: {e}").into())
    })?;
    let sent = referral::create(state.lock().vault()?, &request, &path, today(), ui)?;
    Ok(Some(sent.record))
}

#[tauri::command]
pub fn case_disclosures(state: State<'_, AppState>, case: CaseId) -> Result<Vec<Disclosure>> {
    Ok(disclosures::of_case(state.lock().vault()?, case)?
        .into_iter()
        .map(|d| d.record)
        .collect())
}

fn picked_path(file: Option<tauri_plugin_dialog::FilePath>) -> Result<Option<std::path::PathBuf>> {
    file.map(|f| {
        f.into_path().map_err(|e| {
            silta_core::Error::InvalidInput(format!("that file cannot be read here: {e}").into())
        })
    })
    .transpose()
}

/// The receiving desk: asks for a package, then for the desk's key file (native dialogs), checks
/// the package and shows it. Nothing is written; `import_opened` brings it in. `None` when a
/// dialog was cancelled.
#[tauri::command]
pub async fn open_referral(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<Opened>> {
    let Some(package) = picked_path(
        app.dialog()
            .file()
            .set_title("Referral package")
            .blocking_pick_file(),
    )?
    else {
        return Ok(None);
    };
    let Some(key) = picked_path(
        app.dialog()
            .file()
            .set_title("Desk key")
            .blocking_pick_file(),
    )?
    else {
        return Ok(None);
    };
    let identity = desk::load_identity(&key)?;
    let known = desk::known_senders(state.lock().vault()?)?;
    let opened = desk::open(&package, &identity, &known, None)?;
    state.set_opened(package, key);
    Ok(Some(opened))
}

/// Imports the package last opened as a new case. A package from a sender the vault does not know
/// needs `unknown_sender_accepted`: the caseworker ticked that they compared its fingerprint.
#[tauri::command]
pub fn import_opened(
    state: State<'_, AppState>,
    unknown_sender_accepted: bool,
) -> Result<CaseView> {
    let (package, key) = state
        .opened()
        .ok_or_else(|| silta_core::Error::InvalidInput("open a referral package first".into()))?;
    let identity = desk::load_identity(&key)?;
    let mut session = state.lock();
    let sender = if unknown_sender_accepted {
        desk::Sender::UnknownAccepted
    } else {
        desk::Sender::MustBeKnown
    };
    let view = desk::import(session.vault()?, &package, &identity, today(), sender)?;
    session.case_changed()?;
    Ok(view)
}

/// Records a receiver's signed answer to a package sent (native dialog to pick the file). `None`
/// when the dialog was cancelled.
#[tauri::command]
pub async fn receive_answer(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<desk::Answered>> {
    let Some(file) = picked_path(
        app.dialog()
            .file()
            .set_title("Referral answer")
            .blocking_pick_file(),
    )?
    else {
        return Ok(None);
    };
    Ok(Some(desk::receive_ack(
        state.lock().vault()?,
        &file,
        today(),
    )?))
}

/// The audit log, oldest first, optionally since a day.
#[tauri::command]
pub fn audit_log(state: State<'_, AppState>, since: Option<NaiveDate>) -> Result<AuditLog> {
    state.lock().audit_log(since)
}

/// Checks the audit chain now (it is also checked at every unlock), and what the unlock found
/// beside this computer's memory of the vault.
#[tauri::command]
pub fn verify_audit(state: State<'_, AppState>) -> Result<audit::AuditReport> {
    audit::report(state.lock().vault()?, true, &[])
}

/// The vault file was found older than this computer last saw it: someone found out why, and
/// it is to be remembered as it is now (logged).
#[tauri::command]
pub fn accept_rollback(state: State<'_, AppState>) -> Result<()> {
    state.lock().accept_rollback()
}

/// Asks where to save (native dialog) and writes a signed checkpoint of the log, to be kept
/// away from this computer; the path, or `None` if cancelled.
#[tauri::command]
pub async fn save_checkpoint(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>> {
    let Some(path) = picked_path(
        app.dialog()
            .file()
            .set_file_name(format!("silta-audit-checkpoint-{}.json", today()))
            .blocking_save_file(),
    )?
    else {
        return Ok(None);
    };
    let bytes = witness::make(state.lock().vault()?)?;
    // A checkpoint holds no one's data: a hash and the organisation's public card.
    std::fs::write(&path, bytes).map_err(|source| silta_core::Error::Io {
        action: "write",
        path: path.clone(),
        source,
    })?;
    Ok(Some(path.display().to_string()))
}

/// Asks for checkpoint files, or referral manifests handed back by a receiving desk (native
/// dialog), and checks the log against each; `None` if cancelled.
#[tauri::command]
pub async fn check_witnesses(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<audit::AuditReport>> {
    let Some(files) = app
        .dialog()
        .file()
        .add_filter("JSON", &["json"])
        .blocking_pick_files()
    else {
        return Ok(None);
    };
    let paths = files
        .into_iter()
        .map(|f| picked_path(Some(f)).map(Option::unwrap_or_default))
        .collect::<Result<Vec<_>>>()?;
    audit::report(state.lock().vault()?, false, &paths).map(Some)
}

#[tauri::command]
pub fn retention_status(state: State<'_, AppState>) -> Result<retention::Overview> {
    retention::overview(state.lock().vault()?, today())
}

#[tauri::command]
pub fn set_retention(state: State<'_, AppState>, years: u32) -> Result<()> {
    retention::set_policy(state.lock().vault()?, years).map(|_| ())
}

#[tauri::command]
pub fn set_legal_hold(state: State<'_, AppState>, case: CaseId, hold: bool) -> Result<CaseView> {
    let mut session = state.lock();
    retention::set_legal_hold(session.vault()?, case, hold)?;
    session.case(case, today())
}

#[tauri::command]
pub fn case_recipients(
    state: State<'_, AppState>,
    case: CaseId,
) -> Result<Vec<retention::Informed>> {
    retention::recipients_of(state.lock().vault()?, case)
}

#[tauri::command]
pub fn erase_case(state: State<'_, AppState>, case: CaseId) -> Result<retention::Erased> {
    let mut session = state.lock();
    let erased = retention::erase(session.vault()?, case, today())?;
    session.case_changed()?;
    Ok(erased)
}

/// What the caseworker decides before an access export.
#[tauri::command]
pub fn subject_review(
    state: State<'_, AppState>,
    case: CaseId,
) -> Result<silta_core::subject::Review> {
    silta_core::subject::review(state.lock().vault()?, case, today())
}

/// Asks where to write (native save dialog: the export is a new folder of that name) and writes
/// the person's export there, as reviewed.
#[tauri::command]
pub async fn export_subject(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    case: CaseId,
    language: FormLanguage,
    decisions: silta_core::subject::Decisions,
) -> Result<Option<String>> {
    let number = state.lock().case(case, today())?.case.record.number;
    let Some(out) = picked_path(
        app.dialog()
            .file()
            .set_file_name(format!("silta-export-{number}"))
            .blocking_save_file(),
    )?
    else {
        return Ok(None);
    };
    silta_core::subject::export(
        state.lock().vault()?,
        case,
        &out,
        language,
        &decisions,
        today(),
    )?;
    Ok(Some(out.display().to_string()))
}

#[tauri::command]
pub fn stats_report(
    state: State<'_, AppState>,
    year: i32,
    min_cell: u64,
    below_ctdc: bool,
    language: FormLanguage,
) -> Result<stats::StatsReport> {
    let min_cell = stats::MinCell::new(min_cell, below_ctdc)?;
    let rows = stats::rows(state.lock().vault()?)?;
    Ok(stats::report(
        &rows.rows, rows.demo, year, min_cell, language,
    ))
}

/// Asks where to save (native dialog) and writes the CTDC table of one year.
#[tauri::command]
pub async fn save_stats_csv(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    year: i32,
    min_cell: u64,
    below_ctdc: bool,
) -> Result<Option<String>> {
    let min_cell = stats::MinCell::new(min_cell, below_ctdc)?;
    let rows = stats::rows(state.lock().vault()?)?;
    let Some(path) = picked_path(
        app.dialog()
            .file()
            .set_file_name(format!("silta-ctdc-{year}.csv"))
            .blocking_save_file(),
    )?
    else {
        return Ok(None);
    };
    std::fs::write(&path, stats::csv(&rows.rows, rows.demo, year, min_cell)).map_err(|source| {
        silta_core::Error::Io {
            action: "write",
            path: path.clone(),
            source,
        }
    })?;
    Ok(Some(path.display().to_string()))
}

/// The team sync server this laptop is set to (docs/sync.md), without its password.
#[tauri::command]
pub fn sync_server(state: State<'_, AppState>) -> Result<Option<silta_core::sync::ServerView>> {
    silta_core::sync::view(state.lock().vault()?)
}

/// Sets the team sync server, the staff member's passphrase asked again; nothing is sent until
/// a sync.
#[tauri::command]
pub fn set_sync_server(
    state: State<'_, AppState>,
    current: String,
    url: String,
    database: String,
    user: String,
    password: String,
) -> Result<Option<silta_core::sync::ServerView>> {
    state.lock().set_sync_server(
        &passphrase(current),
        silta_core::sync::SyncServer {
            url,
            database,
            user,
            password,
        },
    )
}

/// Takes what the team's other laptops wrote, then sends what this one wrote: the only network
/// connection the app makes, to the server set, and only when asked. Off the window's thread.
#[tauri::command]
pub async fn sync_now(state: State<'_, AppState>) -> Result<silta_core::sync::Synced> {
    state.lock().sync()
}

/// The records two laptops wrote differently offline, each with both its sides.
#[tauri::command]
pub fn sync_conflicts(state: State<'_, AppState>) -> Result<Vec<silta_core::sync::ConflictView>> {
    silta_core::sync::conflict_views(state.lock().vault()?)
}

/// Makes this laptop's device key, to join a team instead of creating a vault: its key and the
/// fingerprint to read out. The key itself stays in memory until the laptop joins.
#[tauri::command]
pub fn make_device_key(state: State<'_, AppState>) -> Result<silta_core::session::DeviceKeyView> {
    state.lock().make_device_key()
}

/// Asks for the enrolment file (native dialog) and makes this laptop's vault from it, unlocked
/// as `user`; `None` when the dialog was cancelled.
#[tauri::command]
pub async fn join_team(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    user: String,
    passphrase_text: String,
) -> Result<Option<silta_core::session::JoinedView>> {
    let Some(package) = picked_path(app.dialog().file().blocking_pick_file())? else {
        return Ok(None);
    };
    state
        .lock()
        .join_team(&user, &passphrase(passphrase_text), &package)
        .map(Some)
}

/// Sets aside the vault this laptop has just joined, when the team fingerprint read back is not
/// the one the member's Silta shows; where the file was kept, for the administrator.
#[tauri::command]
pub fn set_aside_joined(state: State<'_, AppState>) -> Result<String> {
    let aside = state.lock().set_aside_joined()?;
    Ok(aside.display().to_string())
}

/// The team's laptops this vault knows of.
#[tauri::command]
pub fn team_laptops(
    state: State<'_, AppState>,
) -> Result<Vec<silta_core::sync::team::TeamDeviceView>> {
    silta_core::sync::team::devices(state.lock().vault()?)
}

/// Asks where to save (native dialog) and writes the enrolment of a new laptop whose device key
/// fingerprint was read out by phone, the staff member's passphrase asked again; the team
/// fingerprint it will show once joined, or `None` when the dialog was cancelled.
#[tauri::command]
pub async fn enrol_laptop(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    current: String,
    device_key: String,
    fingerprint: String,
    login: String,
    password: String,
) -> Result<Option<String>> {
    let Some(out) = picked_path(
        app.dialog()
            .file()
            .set_file_name(format!("enrolment-{}.age", login.trim()))
            .blocking_save_file(),
    )?
    else {
        return Ok(None);
    };
    state
        .lock()
        .enrol_laptop(
            &passphrase(current),
            (&device_key, &fingerprint),
            (&login, &password),
            &out,
        )
        .map(Some)
}

/// Removes a laptop from the team, the staff member's passphrase asked again: its server user
/// deleted with the administrator's login, and a new key for the others. Off the window's
/// thread (it talks to the server).
#[tauri::command]
pub async fn remove_team_laptop(
    state: State<'_, AppState>,
    current: String,
    login: String,
    admin_user: String,
    admin_password: String,
) -> Result<silta_core::sync::team::Removed> {
    state.lock().remove_team_laptop(
        &passphrase(current),
        &login,
        &silta_core::sync::team::ServerAdmin {
            user: admin_user,
            password: admin_password,
        },
    )
}

/// Keeps one side of a conflict, as a new version every laptop takes; the conflicts left.
#[tauri::command]
pub fn settle_conflict(
    state: State<'_, AppState>,
    id: silta_core::ids::ConflictId,
    keep: silta_core::sync::Keep,
) -> Result<Vec<silta_core::sync::ConflictView>> {
    let mut state = state.lock();
    silta_core::sync::settle(state.vault()?, id, keep)?;
    // A person's or a case's side kept may change how the case is listed and found.
    state.case_changed()?;
    silta_core::sync::conflict_views(state.vault()?)
}
