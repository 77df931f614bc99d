//! The guided interview over time: started as a draft, saved as it is typed (each save a sealed
//! version, so closing the app or a crash loses at most the last keystrokes), finished when the
//! caseworker says so; and the caseworker's confirmation of the codes the answers suggest.

use crate::error::{Error, Result};
use crate::ids::{CaseId, InterviewId};
use crate::model::codes::{ExploitationType, MethodOfControl};
use crate::model::{Case, Interview, InterviewStage, InterviewStatus, LanguageCode};
use crate::vault::{Record, Stored, Vault};

/// Starts a draft interview under a case.
pub fn start(
    vault: &Vault,
    case: CaseId,
    stage: InterviewStage,
    language: LanguageCode,
    interpreter: Option<String>,
) -> Result<Stored<Interview>> {
    vault.get::<Case>(case)?;
    let interview = Interview::new(
        stage,
        language,
        interpreter.filter(|i| !i.trim().is_empty()),
    );
    interview.validate()?;
    vault.insert(Some(case), &interview)
}

/// Saves the interview as it stands, if nobody saved a newer version since `expected_version`.
/// A final interview is not changed by a late autosave of its draft.
pub fn save(
    vault: &Vault,
    id: InterviewId,
    expected_version: u32,
    interview: &Interview,
) -> Result<Stored<Interview>> {
    interview.validate()?;
    vault.write(|v| {
        let current = v.get::<Interview>(id)?;
        if current.version != expected_version || current.record.status == InterviewStatus::Final {
            return Err(Error::Conflict {
                kind: Interview::KIND,
                id: id.to_string(),
            });
        }
        if current.record == *interview {
            return Ok(current);
        }
        v.update(&current, interview)
    })
}

/// Adds the codes the caseworker confirmed to the case (a new version of it, nothing removed).
pub fn confirm_codes(
    vault: &Vault,
    case: CaseId,
    exploitation_types: &[ExploitationType],
    methods_of_control: &[MethodOfControl],
) -> Result<Stored<Case>> {
    vault.write(|v| {
        let current = v.get::<Case>(case)?;
        let mut updated = current.record.clone();
        let d = &mut updated.details;
        for &e in exploitation_types {
            if !d.exploitation_types.contains(&e) {
                d.exploitation_types.push(e);
            }
        }
        for &m in methods_of_control {
            if !d.methods_of_control.contains(&m) {
                d.methods_of_control.push(m);
            }
        }
        d.exploitation_types.sort();
        d.methods_of_control.sort();
        if updated == current.record {
            return Ok(current);
        }
        v.update(&current, &updated)
    })
}
