//! Declares every command the webview may call; capabilities/ then grants each one by name.
//! A command missing here cannot be called at all.

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(silta_commands())),
    )
    .expect("failed to run tauri-build");
}

fn silta_commands() -> &'static [&'static str] {
    &[
        "app_status",
        "create_vault",
        "unlock",
        "lock",
        "activity",
        "search_cases",
        "new_case",
        "get_case",
        "indicator_catalogue",
        "start_interview",
        "save_interview",
        "suggest_codes",
        "confirm_codes",
        "add_consent",
        "withdraw_consent",
        "add_task",
        "complete_task",
        "period_reminder",
        "add_support_action",
        "add_note",
        "due_soon",
        "case_history",
        "record_history",
        "edit_case",
        "retention_status",
        "set_retention",
        "set_legal_hold",
        "case_recipients",
        "erase_case",
        "export_subject",
        "stats_report",
        "save_stats_csv",
        "audit_log",
        "verify_audit",
        "save_checkpoint",
        "accept_rollback",
        "check_witnesses",
        "organisation",
        "rename_organisation",
        "referrer_contacts",
        "set_referrer_contact",
        "list_recipients",
        "add_recipient",
        "confirm_recipient",
        "remove_recipient",
        "referral_offer",
        "preview_referral",
        "save_referral",
        "case_disclosures",
        "open_referral",
        "import_opened",
        "place_names",
        "receive_answer",
        "open_demo",
        "leave_demo",
        "set_auto_lock",
        "attach_from_dialog",
        "attach_dropped",
        "attachment_content",
    ]
}
