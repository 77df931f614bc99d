//! The commands the window may call (each declared in build.rs and granted in capabilities/).
//! One line of work each: convert, call silta-core, return. Errors cross as `{code, message}`.

use silta_core::Result;
use silta_core::cases::{self, CaseHistory, CaseInput, CaseOverview, CaseView};
use silta_core::consents;
use silta_core::followups::{self, DueTask};
use silta_core::ids::{AttachmentId, CaseId, ConsentId, InterviewId, TaskId};
use silta_core::indicators::{self, IndicatorInfo, Suggestions};
use silta_core::interviews;
use silta_core::model::codes::{ExploitationType, MethodOfControl};
use silta_core::model::{
    Consent, IndicatorAnswer, Interview, InterviewStage, LanguageCode, Note, Reminder,
    SupportAction, Task,
};
use silta_core::session::Status;
use silta_core::timeline::{self, RecordHistory, RecordRef};
use silta_core::vault::Passphrase;
use silta_core::vault::Stored;
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
) -> Result<String> {
    let key = state.lock().create(&user, &passphrase(passphrase_text))?;
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
    state.lock().case(id, today())
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
pub fn suggest_codes(answers: Vec<IndicatorAnswer>) -> Suggestions {
    indicators::suggest(&answers)
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
pub fn add_consent(state: State<'_, AppState>, case: CaseId, consent: Consent) -> Result<CaseView> {
    let mut session = state.lock();
    consents::add(session.vault()?, case, &consent, today())?;
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

/// A reminder task for the end of the reflection or recovery period starting `start`, to review
/// before it is added.
#[tauri::command]
pub fn period_reminder(kind: Reminder, start: chrono::NaiveDate, title: String) -> Result<Task> {
    followups::period_reminder(kind, start, &title)
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
            silta_core::Error::InvalidInput(format!("that file cannot be read here: {e}"))
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
    let bytes = state.lock().vault()?.attachment_bytes(id)?;
    Ok(tauri::ipc::Response::new(bytes.to_vec()))
}
