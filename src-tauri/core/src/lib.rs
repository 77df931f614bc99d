//! silta-core: everything Silta knows, with no user interface. The desktop app and the `silta`
//! command line are thin adapters over these functions.
//!
//! - [`anchor`]: what this computer remembers of a vault outside its file (rollback, slow-down).
//! - [`audit`]: the chained, sealed log of who did what, when, to which record.
//! - [`vault`]: the encrypted SQLite file, its key slots, sealed records and attachments.
//! - [`model`]: the records a caseworker keeps (person, case, interview, consent, ...).
//! - [`cases`]: case-level operations: open a numbered case, show it whole, edit it.
//! - [`consents`]: recording and withdrawing consent, with the rules for children.
//! - [`indicators`], [`interviews`]: the guided interview and the codes its answers suggest.
//! - [`followups`]: support actions, tasks and reminders, notes, and what is due soon.
//! - [`timeline`]: a case's records in date order, and the versions of any one of them.
//! - [`org`], [`recipients`]: the organisation's keys and sender card; who packages go to.
//! - [`referral`], [`disclosures`]: consent-gated, signed, encrypted packages, the receiving
//!   desk, and the log of what left the machine.
//! - [`retention`]: retention period, legal hold, erasure and notices to earlier recipients.
//! - [`subject`]: everything held about a person, for their right of access.
//! - [`stats`]: anonymised statistics with small cells suppressed.
//! - [`search`]: the in-memory search index built at unlock.
//! - [`session`]: the desktop app's unlocked session, idle lock and unlock slow-down.
//! - [`demo`]: synthetic cases for training and benchmarks.
//! - [`process`]: hardening of the process that holds an unlocked vault (no core dumps).

pub mod anchor;
pub mod audit;
pub mod cases;
pub mod consents;
pub mod demo;
pub mod disclosures;
mod error;
pub mod followups;
pub mod ids;
pub mod indicators;
pub mod information;
pub mod interviews;
pub mod model;
pub mod notifications;
pub mod org;
mod private_files;
pub mod process;
pub mod recipients;
pub mod referral;
pub mod referrers;
pub mod retention;
pub mod scenarios;
#[cfg(feature = "schema")]
pub mod schema;
pub mod search;
pub mod session;
mod single;
pub mod stats;
mod store;
pub mod subject;
pub mod sync;
pub mod timeline;
pub mod vault;
pub mod witness;
pub mod words;

pub use error::{Error, ErrorCode, ErrorJson, Invalid, Result};
pub use store::FORMAT_VERSION;
