// Everything the window asks of Rust goes through this interface. The Tauri implementation below
// is the only one the app uses; unit tests give UI logic their own. The UI never holds keys and
// never touches the disk: it asks, and shows what it is given.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import type { InformationTexts } from './bindings/InformationTexts';
import type { Notification } from './bindings/Notification';
import type { Rendered } from './bindings/Rendered';
import type { Purpose } from './bindings/Purpose';
import type { Answered } from './bindings/Answered';
import type { Names } from './bindings/Names';
import type { CaseInput } from './bindings/CaseInput';
import type { ContactCard } from './bindings/ContactCard';
import type { Contacts } from './bindings/Contacts';
import type { ServerView } from './bindings/ServerView';
import type { Synced } from './bindings/Synced';
import type { ConflictView } from './bindings/ConflictView';
import type { Keep } from './bindings/Keep';
import type { TeamDeviceView } from './bindings/TeamDeviceView';
import type { Removed } from './bindings/Removed';
import type { DeviceKeyView } from './bindings/DeviceKeyView';
import type { JoinedView } from './bindings/JoinedView';
import type { CaseOverview } from './bindings/CaseOverview';
import type { CaseHistory } from './bindings/CaseHistory';
import type { CaseView } from './bindings/CaseView';
import type { DueTask } from './bindings/DueTask';
import type { Note } from './bindings/Note';
import type { Reminder } from './bindings/Reminder';
import type { SupportAction } from './bindings/SupportAction';
import type { Task } from './bindings/Task';
import type { Consent } from './bindings/Consent';
import type { ErrorJson } from './bindings/ErrorJson';
import type { ExploitationType } from './bindings/ExploitationType';
import type { IndicatorInfo } from './bindings/IndicatorInfo';
import type { Interview } from './bindings/Interview';
import type { InterviewStage } from './bindings/InterviewStage';
import type { MethodOfControl } from './bindings/MethodOfControl';
import type { RecordHistory } from './bindings/RecordHistory';
import type { RecordRef } from './bindings/RecordRef';
import type { Saved } from './bindings/Saved';
import type { Disclosure } from './bindings/Disclosure';
import type { Erased } from './bindings/Erased';
import type { Informed } from './bindings/Informed';
import type { Overview } from './bindings/Overview';
import type { StatsReport } from './bindings/StatsReport';
import type { AuditLog } from './bindings/AuditLog';
import type { AuditReport } from './bindings/AuditReport';
import type { FormLanguage } from './bindings/FormLanguage';
import type { Decisions } from './bindings/Decisions';
import type { Review } from './bindings/Review';
import type { Mode } from './bindings/Mode';
import type { Offer } from './bindings/Offer';
import type { Opened } from './bindings/Opened';
import type { OrgStatus } from './bindings/OrgStatus';
import type { Preview } from './bindings/Preview';
import type { Recipient } from './bindings/Recipient';
import type { RecipientKind } from './bindings/RecipientKind';
import type { Request } from './bindings/Request';
import type { SenderCard } from './bindings/SenderCard';
import type { Setup } from './bindings/Setup';
import type { Suggestions } from './bindings/Suggestions';
import type { Status } from './bindings/Status';
import type { KeyChanged } from './bindings/KeyChanged';
import type { Recovered } from './bindings/Recovered';

export interface Backend {
  appStatus(): Promise<Status>;
  /** Returns the recovery key, to be shown once. */
  createVault(user: string, passphrase: string, setup: Setup): Promise<string>;
  /** Makes this laptop's device key, to join a team (kept in memory by Rust until it joins). */
  makeDeviceKey(): Promise<DeviceKeyView>;
  /** Asks for the enrolment file (native dialog) and makes this laptop's vault from it; null if cancelled. */
  joinTeam(user: string, passphrase: string): Promise<JoinedView | null>;
  /** Sets aside the vault just joined (the team fingerprint read back differed); where it was kept. */
  setAsideJoined(): Promise<string>;
  unlock(user: string | null, passphrase: string): Promise<void>;
  /** A forgotten passphrase: the recovery key and a new passphrase; the new recovery key comes back. */
  recover(user: string, recoveryKey: string, passphrase: string): Promise<Recovered>;
  /** The unlocked staff member's own passphrase; the current one is asked again. */
  changePassphrase(current: string, passphrase: string): Promise<void>;
  /** A colleague types their own passphrase on this laptop; `current` is the adder's own. */
  addColleague(current: string, name: string, passphrase: string): Promise<void>;
  /** Removes a colleague (`current` is the remover's own passphrase); the vault's key changes. */
  removeColleague(current: string, name: string): Promise<KeyChanged>;
  /** A new recovery key, shown once (`current` is the staff member's own passphrase); the vault's key changes. */
  replaceRecoveryKey(current: string): Promise<Recovered>;
  lock(): Promise<void>;
  activity(): Promise<void>;
  searchCases(query: string): Promise<CaseOverview[]>;
  newCase(input: CaseInput): Promise<CaseView>;
  getCase(id: string): Promise<CaseView>;
  /** Saves a new version of the person and the case details, where they changed. */
  editCase(id: string, input: CaseInput): Promise<CaseView>;
  /** Every saved version of one record of the case, oldest first. */
  recordHistory(caseId: string, record: RecordRef): Promise<RecordHistory>;
  indicatorCatalogue(): Promise<IndicatorInfo[]>;
  startInterview(caseId: string, stage: InterviewStage, language: string, interpreter: string | null): Promise<SavedInterview>;
  /** Saves the interview as typed; `version` is the one last seen. */
  saveInterview(id: string, version: number, interview: Interview): Promise<SavedInterview>;
  suggestCodes(interview: Interview): Promise<Suggestions>;
  confirmCodes(caseId: string, exploitation: ExploitationType[], control: MethodOfControl[]): Promise<CaseView>;
  /** Records a notification the Child Welfare Act requires; Rust checks it concerns a child. */
  addNotification(caseId: string, notification: Notification): Promise<CaseView>;
  /** The information texts on offer before a consent, and the organisation's folder for more. */
  informationTexts(): Promise<InformationTexts>;
  /** The text in `language` as the person reads it before a consent of `purpose`. */
  informationText(language: string, purpose: Purpose): Promise<Rendered>;
  /** Records a consent; Rust checks the child rules and who records it. */
  addConsent(caseId: string, consent: Consent): Promise<CaseView>;
  withdrawConsent(caseId: string, id: string, note: string): Promise<CaseView>;
  addTask(caseId: string, task: Task): Promise<CaseView>;
  completeTask(caseId: string, id: string): Promise<CaseView>;
  /** The reminder task for a period starting on `start` (YYYY-MM-DD), to add after review. */
  /** The reminder for a period as its decision gives it (start and end), to review before adding. */
  periodReminder(kind: Reminder, start: string, end: string, title: string): Promise<Task>;
  addSupportAction(caseId: string, action: SupportAction): Promise<CaseView>;
  addNote(caseId: string, note: Note): Promise<CaseView>;
  dueSoon(days: number): Promise<DueTask[]>;
  caseHistory(caseId: string): Promise<CaseHistory>;
  /** Opens the training vault of invented people instead of the real one. */
  openDemo(): Promise<void>;
  leaveDemo(): Promise<void>;
  setAutoLock(minutes: number): Promise<void>;
  /** Asks for files with the native dialog; Rust encrypts them into the case. */
  attachFromDialog(caseId: string): Promise<CaseView>;
  /** Attaches the files just dropped on the window (Rust knows which). */
  attachDropped(caseId: string): Promise<CaseView>;
  /** An attachment's bytes, to show in memory only. */
  attachmentContent(id: string): Promise<ArrayBuffer>;
  organisation(): Promise<OrgStatus>;
  renameOrganisation(name: string): Promise<SenderCard>;
  /** The phone and e-mail every package gives for calling the sender back. */
  referrerContacts(): Promise<Contacts>;
  syncServer(): Promise<ServerView | null>;
  setSyncServer(current: string, url: string, database: string, user: string, password: string): Promise<ServerView | null>;
  syncNow(): Promise<Synced>;
  syncConflicts(): Promise<ConflictView[]>;
  settleConflict(id: string, keep: Keep): Promise<ConflictView[]>;
  /** The team's laptops this vault knows of. */
  teamLaptops(): Promise<TeamDeviceView[]>;
  /** Asks where to save (native dialog) and writes a new laptop's enrolment; the team fingerprint it will show, or null if cancelled. */
  enrolLaptop(current: string, deviceKey: string, fingerprint: string, login: string, password: string): Promise<string | null>;
  /** Removes a laptop from the team: its server user deleted (the administrator's login), a new key for the others. */
  removeTeamLaptop(current: string, login: string, adminUser: string, adminPassword: string): Promise<Removed>;
  /** Sets the organisation's contact, or with `mine` the unlocked staff member's. */
  setReferrerContact(mine: boolean, card: ContactCard): Promise<Contacts>;
  listRecipients(): Promise<Recipient[]>;
  addRecipient(name: string, kind: RecipientKind, ageRecipient: string): Promise<Recipient>;
  /** Records that the recipient read `fingerprint` out by phone; Rust checks it matches. */
  confirmRecipient(name: string, fingerprint: string): Promise<Recipient>;
  removeRecipient(name: string): Promise<void>;
  /** The field groups consent allows for this case, recipient and mode, and those ticked first. */
  referralOffer(caseId: string, recipient: string, mode: Mode): Promise<Offer>;
  previewReferral(request: Request, ui: FormLanguage): Promise<Preview>;
  /** Asks where to save (native dialog), writes the package and logs it; null if cancelled. */
  saveReferral(request: Request, ui: FormLanguage): Promise<Disclosure | null>;
  caseDisclosures(caseId: string): Promise<Disclosure[]>;
  /** Asks for a package and the desk's key (native dialogs) and checks it; null if cancelled. */
  openReferral(): Promise<Opened | null>;
  /** Imports the package opened last as a new case; from an unknown sender only if accepted. */
  importOpened(unknownSenderAccepted: boolean): Promise<CaseView>;
  /** Asks for a receiver's signed answer (native dialog) and records it; null when cancelled. */
  receiveAnswer(): Promise<Answered | null>;
  /** Countries and languages by name in `language`, for pickers. */
  placeNames(language: FormLanguage): Promise<Names>;
  /** The audit log, oldest first, optionally since a day (YYYY-MM-DD). */
  auditLog(since: string | null): Promise<AuditLog>;
  verifyAudit(): Promise<AuditReport>;
  /** Asks where to save (native dialog) and writes a signed checkpoint; its path, or null if cancelled. */
  saveCheckpoint(): Promise<string | null>;
  /** The vault file was found older than this computer last saw it: remember it as it is now (logged). */
  acceptRollback(): Promise<void>;
  /** Asks for checkpoints or handed-back referral manifests (native dialog) and checks the log against them. */
  checkWitnesses(): Promise<AuditReport | null>;
  retentionStatus(): Promise<Overview>;
  setRetention(years: number): Promise<void>;
  setLegalHold(caseId: string, hold: boolean): Promise<CaseView>;
  caseRecipients(caseId: string): Promise<Informed[]>;
  eraseCase(caseId: string): Promise<Erased>;
  /** Asks for a folder (native dialog) and writes the person's export there; null if cancelled. */
  /** What concerns others, or was written by the organisation, to decide before an access export. */
  subjectReview(caseId: string): Promise<Review>;
  exportSubject(caseId: string, language: FormLanguage, decisions: Decisions): Promise<string | null>;
  statsReport(year: number, minCell: number, belowCtdc: boolean, language: FormLanguage): Promise<StatsReport>;
  /** Asks where to save (native dialog) and writes the anonymised table; null if cancelled. */
  saveStatsCsv(year: number, minCell: number, belowCtdc: boolean): Promise<string | null>;
  /** Calls `handler` when files are dropped on the window. */
  onDrop(handler: () => void): Promise<UnlistenFn>;
  /** Calls `handler` when Rust locked the vault by itself (idle time). */
  onLocked(handler: () => void): Promise<UnlistenFn>;
}

export type SavedInterview = Saved<Interview, string>;

export function isErrorJson(e: unknown): e is ErrorJson {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

export const tauriBackend: Backend = {
  appStatus: () => invoke('app_status'),
  createVault: (user, passphrase, setup) => invoke('create_vault', { user, passphraseText: passphrase, setup }),
  makeDeviceKey: () => invoke('make_device_key'),
  joinTeam: (user, passphrase) => invoke('join_team', { user, passphraseText: passphrase }),
  setAsideJoined: () => invoke('set_aside_joined'),
  unlock: (user, passphrase) => invoke('unlock', { user, passphraseText: passphrase }),
  recover: (user, recoveryKey, passphrase) => invoke('recover', { user, recoveryKey, passphraseText: passphrase }),
  changePassphrase: (current, passphrase) => invoke('change_passphrase', { current, passphraseText: passphrase }),
  addColleague: (current, name, passphrase) => invoke('add_colleague', { current, name, passphraseText: passphrase }),
  removeColleague: (current, name) => invoke('remove_colleague', { current, name }),
  replaceRecoveryKey: (current) => invoke('replace_recovery_key', { current }),
  lock: () => invoke('lock'),
  activity: () => invoke('activity'),
  searchCases: (query) => invoke('search_cases', { query }),
  newCase: (input) => invoke('new_case', { input }),
  getCase: (id) => invoke('get_case', { id }),
  editCase: (id, input) => invoke('edit_case', { id, input }),
  recordHistory: (caseId, record) => invoke('record_history', { case: caseId, record }),
  indicatorCatalogue: () => invoke('indicator_catalogue'),
  startInterview: (caseId, stage, language, interpreter) =>
    invoke('start_interview', { case: caseId, stage, language, interpreter }),
  saveInterview: (id, version, interview) => invoke('save_interview', { id, version, interview }),
  suggestCodes: (interview) => invoke('suggest_codes', { interview }),
  confirmCodes: (caseId, exploitation, control) =>
    invoke('confirm_codes', { case: caseId, exploitationTypes: exploitation, methodsOfControl: control }),
  addNotification: (caseId, notification) => invoke('add_notification', { case: caseId, notification }),
  informationTexts: () => invoke('information_texts'),
  informationText: (language, purpose) => invoke('information_text', { language, purpose }),
  addConsent: (caseId, consent) => invoke('add_consent', { case: caseId, consent }),
  withdrawConsent: (caseId, id, note) => invoke('withdraw_consent', { case: caseId, id, note }),
  addTask: (caseId, task) => invoke('add_task', { case: caseId, task }),
  completeTask: (caseId, id) => invoke('complete_task', { case: caseId, id }),
  periodReminder: (kind, start, end, title) => invoke('period_reminder', { kind, start, end, title }),
  addSupportAction: (caseId, action) => invoke('add_support_action', { case: caseId, action }),
  addNote: (caseId, note) => invoke('add_note', { case: caseId, note }),
  dueSoon: (days) => invoke('due_soon', { days }),
  caseHistory: (caseId) => invoke('case_history', { case: caseId }),
  openDemo: () => invoke('open_demo'),
  leaveDemo: () => invoke('leave_demo'),
  setAutoLock: (minutes) => invoke('set_auto_lock', { minutes }),
  attachFromDialog: (caseId) => invoke('attach_from_dialog', { case: caseId }),
  attachDropped: (caseId) => invoke('attach_dropped', { case: caseId }),
  attachmentContent: (id) => invoke('attachment_content', { id }),
  organisation: () => invoke('organisation'),
  renameOrganisation: (name) => invoke('rename_organisation', { name }),
  referrerContacts: () => invoke('referrer_contacts'),
  syncServer: () => invoke('sync_server'),
  setSyncServer: (current, url, database, user, password) => invoke('set_sync_server', { current, url, database, user, password }),
  syncNow: () => invoke('sync_now'),
  syncConflicts: () => invoke('sync_conflicts'),
  settleConflict: (id, keep) => invoke('settle_conflict', { id, keep }),
  teamLaptops: () => invoke('team_laptops'),
  enrolLaptop: (current, deviceKey, fingerprint, login, password) => invoke('enrol_laptop', { current, deviceKey, fingerprint, login, password }),
  removeTeamLaptop: (current, login, adminUser, adminPassword) => invoke('remove_team_laptop', { current, login, adminUser, adminPassword }),
  setReferrerContact: (mine, card) => invoke('set_referrer_contact', { mine, card }),
  listRecipients: () => invoke('list_recipients'),
  addRecipient: (name, kind, ageRecipient) => invoke('add_recipient', { name, kind, ageRecipient }),
  confirmRecipient: (name, fingerprint) => invoke('confirm_recipient', { name, fingerprint }),
  removeRecipient: (name) => invoke('remove_recipient', { name }),
  referralOffer: (caseId, recipient, mode) => invoke('referral_offer', { case: caseId, recipient, mode }),
  previewReferral: (request, ui) => invoke('preview_referral', { request, ui }),
  saveReferral: (request, ui) => invoke('save_referral', { request, ui }),
  caseDisclosures: (caseId) => invoke('case_disclosures', { case: caseId }),
  openReferral: () => invoke('open_referral'),
  importOpened: (unknownSenderAccepted) => invoke('import_opened', { unknownSenderAccepted }),
  receiveAnswer: () => invoke('receive_answer'),
  placeNames: (language) => invoke('place_names', { language }),
  auditLog: (since) => invoke('audit_log', { since }),
  verifyAudit: () => invoke('verify_audit'),
  saveCheckpoint: () => invoke('save_checkpoint'),
  acceptRollback: () => invoke('accept_rollback'),
  checkWitnesses: () => invoke('check_witnesses'),
  retentionStatus: () => invoke('retention_status'),
  setRetention: (years) => invoke('set_retention', { years }),
  setLegalHold: (caseId, hold) => invoke('set_legal_hold', { case: caseId, hold }),
  caseRecipients: (caseId) => invoke('case_recipients', { case: caseId }),
  eraseCase: (caseId) => invoke('erase_case', { case: caseId }),
  subjectReview: (caseId) => invoke('subject_review', { case: caseId }),
  exportSubject: (caseId, language, decisions) => invoke('export_subject', { case: caseId, language, decisions }),
  statsReport: (year, minCell, belowCtdc, language) => invoke('stats_report', { year, minCell, belowCtdc, language }),
  saveStatsCsv: (year, minCell, belowCtdc) => invoke('save_stats_csv', { year, minCell, belowCtdc }),
  onDrop: (handler) =>
    getCurrentWebview().onDragDropEvent((event) => {
      if (event.payload.type === 'drop') handler();
    }),
  onLocked: (handler) => listen('locked', () => handler()),
};
