//! The Silta desktop app: a thin Tauri shell. Commands convert their arguments and call
//! silta-core; nothing here knows how a vault works.

mod commands;
mod state;

pub use state::AppState;

use tauri::Manager;

pub fn run() {
    let app = tauri::Builder::default()
        // A second start focuses the running window instead of opening the vault twice.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(w) = app.get_webview_window("main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
        }))
        // The native file dialog is opened by Rust; the window has no dialog or file permission.
        .plugin(tauri_plugin_dialog::init())
        // Files dropped on the window are remembered here, in Rust; the window can only ask for
        // "the files just dropped" to be attached, never name a path itself.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                window.state::<AppState>().set_dropped(paths.clone());
            }
        })
        .setup(|app| {
            let state = AppState::new(&app.path().app_data_dir()?);
            state::start_idle_lock(app.handle().clone(), state.session());
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::create_vault,
            commands::unlock,
            commands::recover,
            commands::change_passphrase,
            commands::add_colleague,
            commands::remove_colleague,
            commands::replace_recovery_key,
            commands::lock,
            commands::activity,
            commands::search_cases,
            commands::new_case,
            commands::get_case,
            commands::edit_case,
            commands::record_history,
            commands::retention_status,
            commands::set_retention,
            commands::set_legal_hold,
            commands::case_recipients,
            commands::erase_case,
            commands::subject_review,
            commands::export_subject,
            commands::stats_report,
            commands::save_stats_csv,
            commands::audit_log,
            commands::verify_audit,
            commands::save_checkpoint,
            commands::accept_rollback,
            commands::check_witnesses,
            commands::organisation,
            commands::rename_organisation,
            commands::referrer_contacts,
            commands::sync_server,
            commands::set_sync_server,
            commands::sync_now,
            commands::sync_conflicts,
            commands::settle_conflict,
            commands::team_laptops,
            commands::make_device_key,
            commands::join_team,
            commands::set_aside_joined,
            commands::enrol_laptop,
            commands::remove_team_laptop,
            commands::set_referrer_contact,
            commands::list_recipients,
            commands::add_recipient,
            commands::confirm_recipient,
            commands::remove_recipient,
            commands::referral_offer,
            commands::preview_referral,
            commands::save_referral,
            commands::case_disclosures,
            commands::open_referral,
            commands::import_opened,
            commands::place_names,
            commands::receive_answer,
            commands::indicator_catalogue,
            commands::start_interview,
            commands::save_interview,
            commands::suggest_codes,
            commands::confirm_codes,
            commands::add_notification,
            commands::information_texts,
            commands::information_text,
            commands::add_consent,
            commands::withdraw_consent,
            commands::add_task,
            commands::complete_task,
            commands::period_reminder,
            commands::add_support_action,
            commands::add_note,
            commands::due_soon,
            commands::case_history,
            commands::open_demo,
            commands::leave_demo,
            commands::set_auto_lock,
            commands::attach_from_dialog,
            commands::attach_dropped,
            commands::attachment_content,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => eprintln!("Silta could not start: {e}"),
    }
}
