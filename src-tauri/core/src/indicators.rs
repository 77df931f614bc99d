//! The indicators a guided interview walks through, and the HTCDS codes they point to.
//! Indicators support the caseworker's judgement: they suggest codes for the caseworker to confirm,
//! and nothing here adds them up into a score or a verdict.

use serde::Serialize;

use crate::model::codes::{ExploitationType, MethodOfControl};
use crate::model::{Answer, Indicator, IndicatorAnswer};

/// The family an indicator belongs to, for grouping on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum IndicatorGroup {
    /// The ILO's 11 indicators of forced labour.
    ForcedLabour,
    SexualExploitation,
    ForcedBegging,
    ForcedCrime,
    DomesticServitude,
}

/// One indicator as the interview screen needs it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IndicatorInfo {
    pub indicator: Indicator,
    pub group: IndicatorGroup,
    /// Asked in the short screening as well as in the extended interview.
    pub screening: bool,
    pub exploitation_types: Vec<ExploitationType>,
    pub methods_of_control: Vec<MethodOfControl>,
}

use ExploitationType as E;
use Indicator as I;
use IndicatorGroup as G;
use MethodOfControl as M;

/// (indicator, group, in screening, suggested exploitation types, suggested methods of control)
type Row = (I, G, bool, &'static [E], &'static [M]);

const CATALOGUE: &[Row] = &[
    (
        I::AbuseOfVulnerability,
        G::ForcedLabour,
        false,
        &[E::ForcedLabour],
        &[M::PsychologicalAbuse],
    ),
    (
        I::Deception,
        G::ForcedLabour,
        true,
        &[E::ForcedLabour],
        &[M::FalsePromises],
    ),
    (
        I::RestrictionOfMovement,
        G::ForcedLabour,
        true,
        &[],
        &[M::RestrictsMovement],
    ),
    (
        I::Isolation,
        G::ForcedLabour,
        false,
        &[],
        &[M::PsychologicalAbuse],
    ),
    (
        I::PhysicalAndSexualViolence,
        G::ForcedLabour,
        true,
        &[],
        &[M::PhysicalAbuse, M::SexualAbuse],
    ),
    (
        I::IntimidationAndThreats,
        G::ForcedLabour,
        true,
        &[],
        &[
            M::PhysicalThreats,
            M::ThreatensChildrenFamily,
            M::ThreatsLawEnforcement,
        ],
    ),
    (
        I::RetentionOfIdentityDocuments,
        G::ForcedLabour,
        true,
        &[],
        &[M::WithholdsDocuments],
    ),
    (
        I::WithholdingOfWages,
        G::ForcedLabour,
        true,
        &[E::ForcedLabour],
        &[M::TakesEarnings],
    ),
    (
        I::DebtBondage,
        G::ForcedLabour,
        true,
        &[E::ForcedLabour],
        &[M::DebtBondage],
    ),
    (
        I::AbusiveWorkingAndLivingConditions,
        G::ForcedLabour,
        false,
        &[E::ForcedLabour],
        &[M::WithholdsNecessities],
    ),
    (
        I::ExcessiveOvertime,
        G::ForcedLabour,
        false,
        &[E::ForcedLabour],
        &[M::ExcessiveWorkingHours],
    ),
    (
        I::SexualServicesUnderControl,
        G::SexualExploitation,
        true,
        &[E::SexualExploitation],
        &[],
    ),
    (
        I::EarningsFromSexTaken,
        G::SexualExploitation,
        false,
        &[E::SexualExploitation],
        &[M::TakesEarnings],
    ),
    (
        I::AdvertisedByOthers,
        G::SexualExploitation,
        false,
        &[E::SexualExploitation],
        &[],
    ),
    (
        I::BeggingUnderControl,
        G::ForcedBegging,
        true,
        &[E::ForcedBegging],
        &[],
    ),
    (
        I::BeggingEarningsTaken,
        G::ForcedBegging,
        false,
        &[E::ForcedBegging],
        &[M::TakesEarnings],
    ),
    // Forced criminality has no HTCDS code yet: it is recorded as Other with a detail.
    (
        I::CrimesUnderCoercion,
        G::ForcedCrime,
        true,
        &[E::Other],
        &[],
    ),
    (
        I::CrimeEarningsTaken,
        G::ForcedCrime,
        false,
        &[E::Other],
        &[M::TakesEarnings],
    ),
    (
        I::DomesticWorkWithoutFreedom,
        G::DomesticServitude,
        true,
        &[E::Servitude],
        &[M::RestrictsMovement],
    ),
    (
        I::DomesticWorkWithoutPay,
        G::DomesticServitude,
        false,
        &[E::Servitude],
        &[M::TakesEarnings],
    ),
];

/// Every indicator, in the order the interview asks them.
pub fn catalogue() -> Vec<IndicatorInfo> {
    CATALOGUE
        .iter()
        .map(|&(indicator, group, screening, e, m)| IndicatorInfo {
            indicator,
            group,
            screening,
            exploitation_types: e.to_vec(),
            methods_of_control: m.to_vec(),
        })
        .collect()
}

/// A code worth considering, and the answers that point to it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Suggested<C> {
    pub code: C,
    pub because: Vec<Indicator>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Suggestions {
    pub exploitation_types: Vec<Suggested<ExploitationType>>,
    pub methods_of_control: Vec<Suggested<MethodOfControl>>,
}

/// Codes that answers of "yes" point to, each with the indicators behind it, in HTCDS order.
/// For the caseworker to confirm or ignore; "unclear" and "no" suggest nothing.
pub fn suggest(answers: &[IndicatorAnswer]) -> Suggestions {
    let mut out = Suggestions::default();
    for answer in answers.iter().filter(|a| a.answer == Answer::Yes) {
        let Some(&(_, _, _, types, controls)) = CATALOGUE.iter().find(|r| r.0 == answer.indicator)
        else {
            continue;
        };
        add(&mut out.exploitation_types, types, answer.indicator);
        add(&mut out.methods_of_control, controls, answer.indicator);
    }
    out.exploitation_types.sort_by_key(|s| s.code);
    out.methods_of_control.sort_by_key(|s| s.code);
    out
}

fn add<C: Copy + PartialEq>(list: &mut Vec<Suggested<C>>, codes: &[C], because: Indicator) {
    for &code in codes {
        match list.iter_mut().find(|s| s.code == code) {
            Some(s) if !s.because.contains(&because) => s.because.push(because),
            Some(_) => {}
            None => list.push(Suggested {
                code,
                because: vec![because],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn yes(indicator: Indicator) -> IndicatorAnswer {
        IndicatorAnswer {
            indicator,
            answer: Answer::Yes,
            source: Source::SelfReported,
            context: String::new(),
        }
    }

    #[test]
    fn the_catalogue_has_the_ilo_eleven_and_the_other_families() {
        let all = catalogue();
        assert_eq!(
            all.iter().filter(|i| i.group == G::ForcedLabour).count(),
            11
        );
        for g in [
            G::SexualExploitation,
            G::ForcedBegging,
            G::ForcedCrime,
            G::DomesticServitude,
        ] {
            assert!(
                all.iter().any(|i| i.group == g && i.screening),
                "{g:?} has a screening question"
            );
        }
        let mut seen: Vec<Indicator> = all.iter().map(|i| i.indicator).collect();
        seen.dedup();
        assert_eq!(seen.len(), all.len(), "each indicator once");
    }

    #[test]
    fn yes_answers_suggest_codes_with_their_reasons() {
        let s = suggest(&[
            yes(I::DebtBondage),
            yes(I::WithholdingOfWages),
            yes(I::RetentionOfIdentityDocuments),
        ]);
        assert_eq!(
            s.exploitation_types,
            [Suggested {
                code: E::ForcedLabour,
                because: vec![I::DebtBondage, I::WithholdingOfWages]
            }]
        );
        let controls: Vec<M> = s.methods_of_control.iter().map(|c| c.code).collect();
        assert_eq!(
            controls,
            [M::DebtBondage, M::TakesEarnings, M::WithholdsDocuments]
        );
    }

    #[test]
    fn unclear_or_no_suggests_nothing() {
        let mut unclear = yes(I::SexualServicesUnderControl);
        unclear.answer = Answer::Unclear;
        let mut no = yes(I::BeggingUnderControl);
        no.answer = Answer::No;
        assert_eq!(suggest(&[unclear, no]), Suggestions::default());
    }
}
