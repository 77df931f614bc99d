//! The command line's grammar.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "silta",
    version,
    about = "Encrypted case records and referrals for work with victims of human trafficking",
    after_help = "Passphrases are asked for at the terminal. For scripts, --passphrase-file FILE or the \
                  SILTA_PASSPHRASE variable (less safe: other programs of the same user may read it)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub struct Global {
    /// The vault file [default: the OS data folder, for example ~/.local/share/fi.silta.app/vault.silta]
    #[arg(long, global = true, env = "SILTA_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Which staff member you are, when the vault has several
    #[arg(long, global = true, env = "SILTA_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Read the passphrase from the first line of FILE instead of asking
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Print JSON instead of text. With `case new` and `case edit`, FILE (or - for standard
    /// input) is the record to read. Put it after the subcommand: `silta case list --json`.
    #[arg(long, global = true, value_name = "FILE|-", num_args = 0..=1, default_missing_value = "")]
    pub json: Option<String>,
}

impl Global {
    /// Whether to print JSON.
    pub fn json_output(&self) -> bool {
        self.json.is_some()
    }

    /// The record to read, given as `--json FILE` or `--json -`.
    pub fn json_input(&self) -> Option<&str> {
        self.json.as_deref().filter(|v| !v.is_empty())
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Create, inspect and manage access to a vault
    #[command(subcommand)]
    Vault(VaultCommand),
    /// Open, list, show, search and edit cases
    #[command(subcommand)]
    Case(CaseCommand),
    /// Add, list and take out attachments of a case
    #[command(subcommand)]
    Attach(AttachCommand),
    /// The organisation's name and its sender card (the key that signs its packages)
    #[command(subcommand)]
    Org(OrgCommand),
    /// Who packages can be sent to, with their key fingerprints confirmed by phone
    #[command(subcommand)]
    Recipient(RecipientCommand),
    /// Record and withdraw the person's consent to support, storage and each disclosure
    #[command(subcommand)]
    Consent(ConsentCommand),
    /// Preview and create referral packages; open, import and acknowledge them at a receiving desk
    #[command(subcommand)]
    Referral(ReferralCommand),
    /// The audit log: list it, or check that no entry was altered, removed or reordered
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The retention period, and the closed cases past it
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Child welfare and police notifications under the Child Welfare Act (no consent needed)
    #[command(subcommand)]
    Notification(NotificationCommand),
    /// Team sync through the organisation's CouchDB server (docs/sync.md): off until a server is set
    #[command(subcommand)]
    Sync(SyncCommand),
    /// The information texts a person is shown before consenting: list, show, check a translation
    #[command(subcommand)]
    Information(InformationCommand),
    /// Anonymised counts in words (small cells suppressed), or with --csv the CTDC Global
    /// Dataset's one-row-per-person table, k-anonymised over every column
    Stats {
        /// The year of registration counted, one at a time [default: last year, the last whole one]
        #[arg(long, value_name = "YEAR")]
        year: Option<i32>,
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// The smallest group published [default: 11, CTDC's]
        #[arg(long, value_name = "K", default_value_t = silta_core::stats::CTDC_K)]
        min_cell: u64,
        /// Allow a minimum cell below 11, for a look inside the organisation: never publish it
        #[arg(long)]
        below_ctdc: bool,
        /// Language of the labels
        #[arg(long, value_name = "fi|sv|en", default_value = "en")]
        language: String,
    },
    /// Every package sent from a case: to whom, when, which field groups, under which consent
    Disclosures {
        /// Case id or case number (2026-0042)
        case: String,
    },
    /// Make a receiving desk's key (an age identity file, as age-keygen makes); prints its public key
    Keygen {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The fingerprint of an age public key (age1…) or of a sender card file, to compare by phone
    Fingerprint {
        #[arg(value_name = "AGE1…|CARD_FILE")]
        key: String,
    },
    /// Fill the vault with synthetic demo cases for training (clearly marked as demo data), or
    /// add one training scenario's starting case (docs/training/scenarios)
    Demo {
        /// Add only this scenario's starting case: construction, sexual-exploitation,
        /// unaccompanied-minor or forced-marriage
        #[arg(long, value_name = "NAME", conflicts_with = "cases")]
        scenario: Option<String>,
        /// How many cases to make
        #[arg(long, default_value_t = 50)]
        cases: usize,
        /// The same seed makes the same people
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Where a new passphrase comes from (init, passwd, add-user, recover).
#[derive(Args)]
pub struct NewSecret {
    /// Read the new passphrase from the first line of FILE instead of asking twice
    #[arg(long, value_name = "FILE")]
    pub new_passphrase_file: Option<PathBuf>,
    /// Argon2id memory in MiB for the new passphrase [default: 64; at least 19]
    #[arg(long, value_name = "MIB")]
    pub kdf_memory_mib: Option<u32>,
    /// Argon2id passes for the new passphrase [default: 3; at least 2]
    #[arg(long, value_name = "N")]
    pub kdf_passes: Option<u32>,
}

#[derive(Subcommand)]
pub enum VaultCommand {
    /// Create a new vault; prints its recovery key once
    Init {
        /// The organisation's name, shown to those who receive its referrals
        #[arg(long, value_name = "NAME")]
        org: Option<String>,
        /// Closed cases are due for erasure this many years after closing (your organisation
        /// decides; `silta retention set` changes it)
        #[arg(long, value_name = "N")]
        retention_years: Option<u32>,
        #[command(flatten)]
        secret: NewSecret,
    },
    /// Show the vault's format, staff and size (no passphrase needed)
    Info,
    /// Write an encrypted, consistent copy of the vault while it is in use, and check it
    Backup { out: PathBuf },
    /// Replace the vault with a backup, after checking every record of the backup
    Restore {
        backup: PathBuf,
        /// Restore even though this vault's audit log is broken: the cases erased since the
        /// backup that the log no longer shows come back, and must be erased again
        #[arg(long)]
        despite_broken_log: bool,
    },
    /// Change your passphrase (the records are not re-encrypted)
    Passwd {
        #[command(flatten)]
        secret: NewSecret,
    },
    /// Give another staff member their own passphrase
    AddUser {
        name: String,
        #[command(flatten)]
        secret: NewSecret,
    },
    /// Take a staff member's access away (the vault's key changes: they open nothing written after)
    RemoveUser { name: String },
    /// Change the vault's key with no one leaving: after a laptop or a copy of the vault went
    /// missing, or once every colleague has unlocked after upgrading from a Silta without key
    /// changes
    ChangeKey,
    /// Make a new recovery key, printed once, in place of one that was seen, lost or kept by
    /// someone who left (the vault's key changes: the old one opens nothing written after)
    NewRecoveryKey,
    /// Open the vault with the recovery key and set a new passphrase for --user
    Recover {
        /// Read the recovery key from FILE instead of asking (or set SILTA_RECOVERY_KEY)
        #[arg(long, value_name = "FILE")]
        recovery_key_file: Option<PathBuf>,
        #[command(flatten)]
        secret: NewSecret,
    },
}

#[derive(Subcommand)]
pub enum CaseCommand {
    /// Open a new case; prints its id
    New {
        /// The person's name (or the name they give); or give the whole record with --json FILE|-
        #[arg(long)]
        name: Option<String>,
        /// Another name: an alias or a name used during exploitation (repeatable)
        #[arg(long)]
        alias: Vec<String>,
        /// Date of birth, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD")]
        birth_date: Option<String>,
        /// Citizenship as an ISO 3166 code such as FI, RO or NG (repeatable)
        #[arg(long, value_name = "XX")]
        citizenship: Vec<String>,
        /// Without a birth date: could this person be under 18? (yes and dont-know apply the
        /// child rules; a consent waits for an answer)
        #[arg(long, value_name = "yes|no|dont-know")]
        could_be_minor: Option<String>,
    },
    /// List all cases, newest first
    List,
    /// Show a case with everything recorded under it
    Show {
        /// Case id or case number (2026-0042)
        case: String,
    },
    /// Search names, aliases, case numbers, citizenship, status and caseworker
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Replace a case's person and details with `--json FILE|-` ({"person": …, "details": …})
    Edit { case: String },
    /// Every saved version of a case and its person
    History { case: String },
    /// Erase a case and everything under it beyond recovery; lists first whom to tell
    Erase {
        case: String,
        /// Erase now (without it, only show what would go and who received data)
        #[arg(long)]
        yes: bool,
        /// Write a signed, encrypted erasure notice for each earlier recipient into DIR first
        #[arg(long, value_name = "DIR")]
        notices: Option<PathBuf>,
    },
    /// Who received this case's data; with --notices DIR, write each a correction notice
    Recipients {
        case: String,
        #[arg(long, value_name = "DIR")]
        notices: Option<PathBuf>,
    },
    /// Put a case under legal hold (it is then never due for erasure), or lift it with --off
    Hold {
        case: String,
        #[arg(long)]
        off: bool,
    },
    /// What an access export would hold that concerns others or was written by the organisation,
    /// each with its default (released or withheld); with --json, the decisions to edit and give
    /// to `export-subject --review`
    SubjectReview { case: String },
    /// Everything held about the person, readable (HTML, in their language) and as JSON, for their
    /// right of access, leaving out what the review withholds
    ExportSubject {
        case: String,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_name = "fi|sv|en", default_value = "fi")]
        language: String,
        /// The decisions (`silta case subject-review CASE --json`, edited): needed whenever the
        /// case holds anything to review
        #[arg(long, value_name = "FILE")]
        review: Option<PathBuf>,
    },
    /// Mark a case urgent or not urgent, with the reason, over what the person's age makes of
    /// it; `from-age` lets the age decide again
    Urgency {
        case: String,
        #[arg(value_name = "urgent|not-urgent|from-age")]
        set: String,
        /// Why (kept in the case's history); needed for urgent and not-urgent
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record the reflection or recovery period a decision gave: a reminder a week before it ends
    Period {
        case: String,
        /// The first day, as the decision gives it
        #[arg(long, value_name = "YYYY-MM-DD")]
        start: String,
        /// The last day, as the decision gives it
        #[arg(long, value_name = "YYYY-MM-DD")]
        end: String,
        /// reflection or recovery [default: from the person's residence status]
        #[arg(long, value_name = "reflection|recovery")]
        kind: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AttachCommand {
    /// Encrypt a file into the case (streamed; the original is left as it is)
    Add {
        case: String,
        file: PathBuf,
        /// Media type [default: guessed from the file name]
        #[arg(long = "type", value_name = "MEDIA_TYPE")]
        media_type: Option<String>,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List a case's attachments
    List { case: String },
    /// Decrypt an attachment to OUT (checked in full before OUT appears)
    Get { attachment: String, out: PathBuf },
}

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// Cases are due for erasure this many years after closing (the organisation decides)
    Set {
        #[arg(long)]
        years: u32,
    },
    /// Closed cases past the retention period and not under legal hold
    Due,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Entries oldest first: time, staff member, action, record kind and id (never content)
    List {
        /// Only entries about this case (id or number)
        #[arg(long)]
        case: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<String>,
    },
    /// Check the log against the file (every row recounted, the chain from the last entry checked
    /// whole); exit 1 naming what is wrong: an entry altered or missing, a record deleted, rolled
    /// back or put back without the key
    Verify {
        /// Check every entry and replay the whole log against every record version (slower)
        #[arg(long)]
        full: bool,
        /// Also check the log against a signed checkpoint kept elsewhere (`audit checkpoint`), or
        /// one a referral package carried (its manifest.json with manifest.sig beside it, or the
        /// folder `referral open --out` wrote, handed back by the receiving desk): the log must
        /// still hold, unchanged, the entry it saw. May be given many times
        #[arg(long, value_name = "FILE")]
        witness: Vec<PathBuf>,
    },
    /// Write a signed checkpoint of the log as it is now, to keep away from this computer (a
    /// supervisor, the board): `audit verify --witness FILE` later finds history rewritten
    /// before it, or the log cut back behind it, even by someone with a passphrase
    Checkpoint {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// After an unlock found the vault file older than this computer last saw it (a whole file
    /// put back to an older copy) and you found out why: remember the file as it is now. The log
    /// records who accepted it and what was found. A backup put back on purpose is restored with
    /// `vault restore` instead, which needs no acceptance
    AcceptRollback,
}

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Print (or write to FILE) the sender card: name, public keys and fingerprint
    Identity {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Set the organisation's name (the keys stay)
    Rename { name: String },
    /// Show or set the phone and e-mail every package gives for calling the sender back
    Contact {
        /// Your own (the staff member unlocking), not the organisation's
        #[arg(long)]
        mine: bool,
        #[arg(long, value_name = "NUMBER")]
        phone: Option<String>,
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum RecipientCommand {
    /// Add a recipient by its age public key or its sender card; prints the fingerprint to confirm
    Add {
        name: String,
        /// Their age public key (age1…)
        #[arg(
            long,
            value_name = "AGE1…",
            required_unless_present = "card",
            conflicts_with = "card"
        )]
        age_recipient: Option<String>,
        /// Their sender card (from `silta org identity`): their signatures are then recognised
        #[arg(long, value_name = "FILE")]
        card: Option<PathBuf>,
        #[arg(long, value_name = "assistance-system|police|other")]
        kind: String,
        /// HTCDS organisation type [default: from the kind]
        #[arg(long, value_name = "TYPE")]
        org_type: Option<String>,
    },
    /// Record that the recipient read this fingerprint to you (by phone) and it matches
    Confirm {
        name: String,
        #[arg(long)]
        fingerprint: String,
    },
    List,
    Remove {
        name: String,
    },
}

#[derive(Subcommand)]
pub enum NotificationCommand {
    /// Record a notification made about a child (lastensuojelulaki 417/2007, 25 §)
    Add {
        /// Case id or case number
        case: String,
        #[arg(long, value_name = "child-welfare|police")]
        kind: String,
        /// Police only: what is suspected (25 § 3 mom.)
        #[arg(long, value_name = "sexual-offence|life-or-health")]
        ground: Option<String>,
        /// The receiving authority
        #[arg(long, value_name = "NAME")]
        authority: String,
        /// Who made it [default: you]
        #[arg(long, value_name = "NAME")]
        made_by: Option<String>,
        /// What was told: the concern
        #[arg(long, value_name = "TEXT")]
        told: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
    },
    /// The notifications of a case, and those a child's case still lacks
    List { case: String },
}

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Set the server this computer syncs with; the password is read from --password-file,
    /// SILTA_SYNC_PASSWORD or the terminal, and kept sealed in the vault. Nothing is sent yet
    SetServer {
        /// https://host:port (plain http only to this computer: 127.0.0.1)
        #[arg(long)]
        url: String,
        /// The team's database on the server
        #[arg(long)]
        database: String,
        /// This computer's user on the server (not a staff member of the vault)
        #[arg(long = "sync-user", value_name = "NAME")]
        sync_user: String,
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
    },
    /// The server set, without its password
    Show,
    /// Send the server every row it lacks (encrypted; it sees opaque ids and sizes only)
    Push,
    /// Take what the team's other laptops wrote, then send what this one wrote
    Now,
    /// Versions of a record two laptops wrote differently offline, kept until one is chosen
    Conflicts,
    /// Keep one side of a conflict: it becomes a new version on every laptop at their next
    /// sync (a withdrawal of consent on either side is kept whichever is chosen)
    Settle {
        /// The conflict's id, as `silta sync conflicts` lists it
        conflict: String,
        #[arg(long, value_name = "here|other")]
        keep: String,
    },
    /// On a new laptop: make its device key (an age identity file); read its fingerprint to a
    /// member by phone
    DeviceKey {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// On a member's laptop: the enrolment package for a new laptop, once its device key's
    /// fingerprint was read out by phone
    Enrol {
        /// The new laptop's device key (age1…+…, as `device-key` shows it)
        #[arg(long, value_name = "AGE1…+…")]
        device_key: String,
        /// Its fingerprint as read out
        #[arg(long)]
        fingerprint: String,
        /// The new laptop's user on the server (the administrator made it)
        #[arg(long = "sync-user", value_name = "NAME")]
        sync_user: String,
        #[arg(long, value_name = "FILE")]
        password_file: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The team's laptops: each one's server user, case-number series and device key
    /// fingerprint, and whether it was removed
    Team,
    /// Remove a laptop from the team (lost, stolen, or its user left): its server user is
    /// deleted, and the vault's key changes, the new key going to every other laptop of the
    /// team, so that nothing written from now on opens for it
    Remove {
        /// The laptop's user on the server, or its fingerprint, as `silta sync team` lists them
        sync_user: String,
        /// The server administrator's name (its password from --admin-password-file,
        /// SILTA_SYNC_ADMIN_PASSWORD or the terminal)
        #[arg(long = "admin-user", value_name = "NAME")]
        admin_user: String,
        #[arg(long, value_name = "FILE")]
        admin_password_file: Option<PathBuf>,
    },
    /// On the new laptop: make its vault (at --vault) from an enrolment package, then
    /// `silta sync now` fills it
    Join {
        #[arg(long, value_name = "FILE")]
        enrolment: PathBuf,
        /// The device key file `device-key` made
        #[arg(long, value_name = "FILE")]
        identity: PathBuf,
        #[command(flatten)]
        secret: NewSecret,
    },
}

#[derive(Subcommand)]
pub enum InformationCommand {
    /// The languages on offer, with each text's version and where it comes from; files in the
    /// information folder that cannot be used, and why
    List,
    /// Print a text as the person reads it before a consent of that purpose
    Show {
        /// Its language (fi, sv, en, …)
        language: String,
        #[arg(
            long,
            value_name = "referral|police-report|support|storage|other",
            default_value = "referral"
        )]
        purpose: String,
    },
    /// Check a translated file before putting it in the information folder
    Check { file: PathBuf },
}

#[derive(Subcommand)]
pub enum ConsentCommand {
    /// Record a consent given today (or --date); the child rules are checked
    Add(Box<AddConsent>),
    /// Withdraw a consent from today on; it stays on record, marked withdrawn
    Withdraw {
        consent: String,
        /// What the person said, or why (kept with the consent)
        #[arg(long, alias = "note", value_name = "TEXT")]
        reason: String,
    },
    /// A case's consents, and whether each is in force today
    List { case: String },
}

#[derive(Args)]
pub struct AddConsent {
    pub case: String,
    /// The recipient's name, as in `silta recipient list`
    #[arg(long)]
    pub recipient: Option<String>,
    #[arg(long, value_name = "referral|police-report|support|storage|other")]
    pub purpose: String,
    /// Field groups, comma-separated: identity, contact, status, languages, children,
    /// account, observations, indicators, needs, police-status, health, exploiters, attachment:ID
    #[arg(long, value_name = "GROUPS", default_value = "")]
    pub fields: String,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub expires: Option<String>,
    /// The information text the person was shown before consenting, by its language (fi, sv,
    /// en, or one in the information folder: `silta information list`); its current version is
    /// recorded. Needed for a referral, police report or other disclosure
    #[arg(long, value_name = "L")]
    pub information: Option<String>,
    /// The person's language had no text: the interpreter interpreted the --information text into L
    #[arg(long, value_name = "L", requires_all = ["information", "interpreter"])]
    pub read_out_in: Option<String>,
    #[arg(long, value_name = "NAME")]
    pub interpreter: Option<String>,
    /// A guardian or representative decided (a child under 15)
    #[arg(long)]
    pub by_representative: bool,
    /// The guardian or legal representative who signed or decided
    #[arg(long, value_name = "NAME")]
    pub representative: Option<String>,
    /// The representative is an appointed legal representative, not a guardian
    #[arg(long)]
    pub legal_representative: bool,
    /// The guardian is suspected of involvement
    #[arg(long)]
    pub guardian_suspected: bool,
    /// A child with no guardian or representative who can sign yet, and why: then only a
    /// referral to the Assistance System, on the child's consent and views
    #[arg(long, value_name = "no-guardian-in-finland|guardian-suspected")]
    pub no_representative: Option<String>,
    /// With --no-representative: a representative is being requested for the child
    #[arg(long, requires = "no_representative")]
    pub representative_requested: bool,
    /// The child's own views on the disclosure, in their words (any age)
    #[arg(long, value_name = "TEXT")]
    pub child_views: Option<String>,
    /// The scanned, signed consent form: an attachment of the case (`silta attach list`)
    #[arg(long, value_name = "ATTACHMENT_ID")]
    pub signed_form: Option<String>,
}

/// What to send and to whom, shared by `referral preview` and `referral create`.
#[derive(Args)]
pub struct Send {
    /// Case id or case number
    pub case: String,
    /// The recipient's name
    #[arg(long)]
    pub to: String,
    #[arg(long, value_name = "consultation|referral|report|notification")]
    pub mode: String,
    /// Mode notification: the notification record to send (`silta notification list`); it goes
    /// without consent, with the child's identity and contact only
    #[arg(long, value_name = "ID")]
    pub notification: Option<String>,
    /// Field groups, comma-separated [default: all the consents allow, except attachments and,
    /// for the police, health]
    #[arg(long, value_name = "GROUPS")]
    pub fields: Option<String>,
    /// Language of the printable form [default: the interview language if fi, sv or en; else en]
    #[arg(long, value_name = "fi|sv|en")]
    pub language: Option<String>,
    /// Consultation only: you read the account and observations and they name no one
    #[arg(long)]
    pub names_no_one: bool,
    /// Why a referral to the Assistance System goes without the person's account or immediate
    /// needs (printed on the form); without it such a referral is refused
    #[arg(long, value_name = "TEXT")]
    pub missing_reason: Option<String>,
    /// You read the account, observations and exploiters' details going out: they name no other
    /// possible victim, and no place, employer or date beyond what the consent covers
    #[arg(long)]
    pub checked_for_others: bool,
}

#[derive(Subcommand)]
pub enum ReferralCommand {
    /// Print exactly what a package would contain (nothing is written)
    Preview {
        #[command(flatten)]
        send: Send,
    },
    /// Write the encrypted, signed package to OUT and log the disclosure
    Create {
        #[command(flatten)]
        send: Send,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Decrypt and check a package; with --out, write its contents to a new folder
    Open {
        file: PathBuf,
        /// The desk's age identity file
        #[arg(long, value_name = "KEY_FILE")]
        identity: PathBuf,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// A sender card you trust (repeatable): its signatures are reported as known
        #[arg(long, value_name = "CARD_FILE")]
        trust: Vec<PathBuf>,
    },
    /// Bring a checked package into your vault as a new case
    Import {
        file: PathBuf,
        #[arg(long, value_name = "KEY_FILE")]
        identity: PathBuf,
        /// Import even if the sender's card is not one this vault knows (compare the fingerprint
        /// `referral open` shows with the sender by phone first)
        #[arg(long)]
        from_unknown_sender: bool,
    },
    /// Answer a package with a signed, encrypted accepted/declined for its sender
    Ack {
        file: PathBuf,
        #[arg(long, value_name = "KEY_FILE")]
        identity: PathBuf,
        #[arg(long, value_name = "accepted|declined")]
        decision: String,
        #[arg(long, value_name = "ACK_FILE")]
        out: PathBuf,
    },
    /// Record a receiver's acknowledgement in the disclosure log
    ReceiveAck { file: PathBuf },
}

/// `--json` takes an optional FILE, so in `silta --json case list` clap would read "case" as the
/// file. A bare `--json` right before a subcommand name is therefore passed on as `--json=`.
pub fn normalise(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    const COMMANDS: &[&str] = &[
        "vault",
        "case",
        "attach",
        "org",
        "recipient",
        "consent",
        "referral",
        "disclosures",
        "audit",
        "retention",
        "stats",
        "keygen",
        "fingerprint",
        "demo",
        "help",
    ];
    let args: Vec<OsString> = args.into_iter().collect();
    let mut out = Vec::with_capacity(args.len());
    for (i, arg) in args.iter().enumerate() {
        let next_is_command = args
            .get(i + 1)
            .and_then(|a| a.to_str())
            .is_some_and(|a| COMMANDS.contains(&a));
        if arg == "--json" && next_is_command {
            out.push(OsString::from("--json="));
        } else {
            out.push(arg.clone());
        }
    }
    out
}
