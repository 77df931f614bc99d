//! The indicators a guided interview walks through, and the HTCDS codes they point to.
//! Indicators support the caseworker's judgement: they suggest codes for the caseworker to confirm,
//! and nothing here adds them up into a score or a verdict.

use serde::Serialize;

use crate::model::codes::{ExploitationType, MethodOfControl};
use crate::model::{Answer, Indicator, IndicatorGroup, Interview};

/// The questions asked now. 2 (2026-11): every question worded so that its natural "yes" means
/// the sign is there. Set 1 asked some questions the other way round ("Could you go out on your
/// own?"), so a "yes" or "no" given to them may mean either (`reworded`).
pub const QUESTION_SET: u32 = 2;

/// One indicator as the interview screen needs it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IndicatorInfo {
    pub indicator: Indicator,
    pub group: IndicatorGroup,
    /// Asked in the short screening as well as in the extended interview.
    pub screening: bool,
    /// Asked only once the open part points to its family or the caseworker opens it.
    pub form_specific: bool,
    /// False for the questions of older interviews: shown only where an answer was recorded.
    pub asked: bool,
    pub exploitation_types: Vec<ExploitationType>,
    pub methods_of_control: Vec<MethodOfControl>,
}

use ExploitationType as E;
use Indicator as I;
use IndicatorGroup as G;
use MethodOfControl as M;

/// Only the ILO's forced-labour indicators are asked of everyone: they fit any work or situation.
/// The others assume a form of exploitation, and asking them of everyone leads (UNODC, Human
/// Trafficking Indicators; the Assistance System's advice to ask openly first).
pub fn form_specific(group: IndicatorGroup) -> bool {
    group != G::ForcedLabour
}

/// Whether a question is in use or kept only for older interviews.
#[derive(Clone, Copy, PartialEq)]
enum Use {
    Asked,
    Retired,
}

/// (indicator, group, in screening, in use, suggested exploitation types, methods of control).
/// A suggestion is one code per piece of evidence: a question suggests a code only where a "yes"
/// is evidence of exactly that code, and asks nothing it cannot tell apart.
type Row = (I, G, bool, Use, &'static [E], &'static [M]);

use Use::{Asked, Retired};

/// Sources: ILO, "ILO indicators of Forced Labour" (Special Action Programme to Combat Forced
/// Labour, 2012), the eleven indicators; UNODC, "Human Trafficking Indicators" (sexual
/// exploitation, begging and petty crime, domestic servitude, children); forced marriage: ILO,
/// Walk Free and IOM, "Global Estimates of Modern Slavery: Forced Labour and Forced Marriage"
/// (2022), ch. 3, and UNODC, "Interlinkages between Trafficking in Persons and Marriage" (2020).
const CATALOGUE: &[Row] = &[
    (
        I::AbuseOfVulnerability,
        G::ForcedLabour,
        false,
        Asked,
        &[],
        &[],
    ),
    (
        I::Deception,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::FalsePromises],
    ),
    (
        I::RestrictionOfMovement,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::RestrictsMovement],
    ),
    // ILO's isolation: cut off from others, or not knowing where one is; asked as two questions.
    (
        I::Isolation,
        G::ForcedLabour,
        false,
        Asked,
        &[],
        &[M::PsychologicalAbuse],
    ),
    (
        I::DidNotKnowWhereabouts,
        G::ForcedLabour,
        false,
        Asked,
        &[],
        &[],
    ),
    (
        I::PhysicalViolence,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::PhysicalAbuse],
    ),
    // Asked in the screening too: for a child, a "yes" is what asks for the police notification
    // (notifications::sexual_abuse_or_violence), so it must not wait for the extended interview.
    (
        I::SexualViolence,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::SexualAbuse],
    ),
    (
        I::ThreatsOfViolence,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::PhysicalThreats],
    ),
    (
        I::ThreatsAgainstFamily,
        G::ForcedLabour,
        false,
        Asked,
        &[],
        &[M::ThreatensChildrenFamily],
    ),
    (
        I::ThreatsWithAuthorities,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::ThreatsLawEnforcement],
    ),
    (
        I::RetentionOfIdentityDocuments,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::WithholdsDocuments],
    ),
    // Wages withheld, abusive conditions or overtime alone do not make work forced labour (the
    // ILO's test asks for work against one's will under a menace; it may be extortionate work
    // discrimination, rikoslaki 47:3 a): they suggest their method of control only.
    (
        I::WithholdingOfWages,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::TakesEarnings],
    ),
    (
        I::DebtBondage,
        G::ForcedLabour,
        true,
        Asked,
        &[],
        &[M::DebtBondage],
    ),
    (
        I::AbusiveWorkingAndLivingConditions,
        G::ForcedLabour,
        false,
        Asked,
        &[],
        &[M::WithholdsNecessities],
    ),
    (
        I::ExcessiveOvertime,
        G::ForcedLabour,
        false,
        Asked,
        &[],
        &[M::ExcessiveWorkingHours],
    ),
    // A "yes" from before the questions were split cannot tell physical from sexual, or which
    // threat: it still points to each, for the caseworker to choose.
    (
        I::PhysicalAndSexualViolence,
        G::ForcedLabour,
        false,
        Retired,
        &[],
        &[M::PhysicalAbuse, M::SexualAbuse],
    ),
    (
        I::IntimidationAndThreats,
        G::ForcedLabour,
        false,
        Retired,
        &[],
        &[
            M::PhysicalThreats,
            M::ThreatensChildrenFamily,
            M::ThreatsLawEnforcement,
        ],
    ),
    (
        I::SexualServicesUnderControl,
        G::SexualExploitation,
        true,
        Asked,
        &[E::SexualExploitation],
        &[],
    ),
    (
        I::EarningsFromSexTaken,
        G::SexualExploitation,
        false,
        Asked,
        &[E::SexualExploitation],
        &[M::TakesEarnings],
    ),
    (
        I::AdvertisedByOthers,
        G::SexualExploitation,
        false,
        Asked,
        &[E::SexualExploitation],
        &[],
    ),
    (
        I::BeggingUnderControl,
        G::ForcedBegging,
        true,
        Asked,
        &[E::ForcedBegging],
        &[],
    ),
    (
        I::BeggingEarningsTaken,
        G::ForcedBegging,
        false,
        Asked,
        &[E::ForcedBegging],
        &[M::TakesEarnings],
    ),
    // Forced criminality has no HTCDS code yet: it is recorded as Other with a detail.
    (
        I::CrimesUnderCoercion,
        G::ForcedCrime,
        true,
        Asked,
        &[E::Other],
        &[],
    ),
    (
        I::CrimeEarningsTaken,
        G::ForcedCrime,
        false,
        Asked,
        &[E::Other],
        &[M::TakesEarnings],
    ),
    (
        I::DomesticWorkWithoutFreedom,
        G::DomesticServitude,
        true,
        Asked,
        &[E::Servitude],
        &[M::RestrictsMovement],
    ),
    (
        I::DomesticWorkWithoutPay,
        G::DomesticServitude,
        false,
        Asked,
        &[E::Servitude],
        &[M::TakesEarnings],
    ),
    // ILO 2022: a forced marriage is one entered without free and full consent, or one the person
    // cannot leave; a marriage under 18 is treated as forced, as a child cannot give full consent.
    (
        I::MarriageWithoutConsent,
        G::ForcedMarriage,
        true,
        Asked,
        &[E::ForcedMarriage],
        &[],
    ),
    (
        I::MarriedAsChild,
        G::ForcedMarriage,
        true,
        Asked,
        &[E::ForcedMarriage],
        &[],
    ),
    (
        I::CannotLeaveMarriage,
        G::ForcedMarriage,
        false,
        Asked,
        &[E::ForcedMarriage],
        &[],
    ),
    // A bride price or a debt settled by the marriage: UNODC 2020 names it where marriage is
    // used to traffic, but it is common in marriages entered freely too, so it suggests nothing
    // on its own: a sign to look further.
    (
        I::MarriageForPayment,
        G::ForcedMarriage,
        false,
        Asked,
        &[],
        &[],
    ),
    (
        I::ExploitedInMarriage,
        G::ForcedMarriage,
        false,
        Asked,
        &[E::ForcedMarriage],
        &[],
    ),
    // UNODC's indicators for children: they tell the caseworker to look further; only work unfit
    // for a child's age is itself evidence of one code (HTCDS ChildLabour).
    (I::ChildWithoutCarer, G::Children, true, Asked, &[], &[]),
    (
        I::ChildWorkUnsuitable,
        G::Children,
        true,
        Asked,
        &[E::ChildLabour],
        &[],
    ),
    (I::ChildKeptFromSchool, G::Children, false, Asked, &[], &[]),
    (
        I::ChildTravelledWithStrangers,
        G::Children,
        false,
        Asked,
        &[],
        &[],
    ),
];

/// Every indicator, in the order the interview asks them.
pub fn catalogue() -> Vec<IndicatorInfo> {
    CATALOGUE
        .iter()
        .map(|&(indicator, group, screening, used, e, m)| IndicatorInfo {
            indicator,
            group,
            screening,
            form_specific: form_specific(group),
            asked: used == Asked,
            exploitation_types: e.to_vec(),
            methods_of_control: m.to_vec(),
        })
        .collect()
}

/// The questions set 1 asked the other way round, as either/or, or without a yes or no (issue 12:
/// "Could you go out on your own when you were not working?", "Were you paid what was agreed, and
/// on time?", "What happened to the money people gave you?").
pub fn reworded(indicator: Indicator) -> bool {
    matches!(
        indicator,
        I::Deception
            | I::RestrictionOfMovement
            | I::Isolation
            | I::RetentionOfIdentityDocuments
            | I::WithholdingOfWages
            | I::AbusiveWorkingAndLivingConditions
            | I::ExcessiveOvertime
            | I::EarningsFromSexTaken
            | I::BeggingEarningsTaken
            | I::CrimeEarningsTaken
            | I::DomesticWorkWithoutFreedom
            | I::DomesticWorkWithoutPay
    )
}

/// Whether an answer in an interview with `question_set` was given to a wording whose "yes"
/// could mean the opposite.
pub fn earlier_wording(question_set: u32, indicator: Indicator) -> bool {
    question_set < QUESTION_SET && reworded(indicator)
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
    /// Answered questions whose answers were given to an earlier wording that could mean the
    /// opposite: not taken at face value, for the caseworker to check against the account.
    pub earlier_wording: Vec<Indicator>,
}

/// Codes that the interview's answers of "yes" point to, each with the indicators behind it, in
/// HTCDS order. For the caseworker to confirm or ignore; "unclear" and "no" suggest nothing, nor
/// does an answer given to an earlier wording whose "yes" could mean the opposite.
pub fn suggest(interview: &Interview) -> Suggestions {
    let mut out = Suggestions {
        earlier_wording: interview
            .answers
            .iter()
            .filter(|a| {
                a.answer != Answer::NotDiscussed
                    && earlier_wording(interview.question_set, a.indicator)
            })
            .map(|a| a.indicator)
            .collect(),
        ..Suggestions::default()
    };
    for answer in interview.answers.iter().filter(|a| {
        a.answer == Answer::Yes && !earlier_wording(interview.question_set, a.indicator)
    }) {
        let Some(&(_, _, _, _, types, controls)) =
            CATALOGUE.iter().find(|r| r.0 == answer.indicator)
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
    use crate::model::{IndicatorAnswer, InterviewStage, Source};

    /// What the answers suggest in an interview of the current question set.
    fn suggest(answers: &[IndicatorAnswer]) -> Suggestions {
        suggest_in(QUESTION_SET, answers)
    }

    fn suggest_in(question_set: u32, answers: &[IndicatorAnswer]) -> Suggestions {
        super::suggest(&Interview {
            answers: answers.to_vec(),
            question_set,
            ..Interview::new(InterviewStage::Screening, "fi".parse().unwrap(), None)
        })
    }

    fn yes(indicator: Indicator) -> IndicatorAnswer {
        IndicatorAnswer {
            indicator,
            answer: Answer::Yes,
            source: Source::SelfReported,
            context: String::new(),
        }
    }

    use crate::words::Words;

    fn row(i: Indicator) -> IndicatorInfo {
        catalogue()
            .into_iter()
            .find(|r| r.indicator == i)
            .expect("in the catalogue")
    }

    #[test]
    fn every_indicator_is_in_the_catalogue_once() {
        let all = catalogue();
        for &i in Indicator::EVERY {
            assert_eq!(all.iter().filter(|r| r.indicator == i).count(), 1, "{i:?}");
        }
        assert_eq!(all.len(), Indicator::EVERY.len());
    }

    /// ILO, "ILO indicators of Forced Labour" (2012): the eleven, violence and threats each asked
    /// as separate questions, all asked of everyone.
    #[test]
    fn the_ilo_eleven_are_asked_of_everyone() {
        let asked: Vec<Indicator> = catalogue()
            .into_iter()
            .filter(|r| r.group == G::ForcedLabour && r.asked)
            .map(|r| r.indicator)
            .collect();
        assert_eq!(
            asked,
            [
                I::AbuseOfVulnerability,
                I::Deception,
                I::RestrictionOfMovement,
                I::Isolation,
                I::DidNotKnowWhereabouts,
                I::PhysicalViolence,
                I::SexualViolence,
                I::ThreatsOfViolence,
                I::ThreatsAgainstFamily,
                I::ThreatsWithAuthorities,
                I::RetentionOfIdentityDocuments,
                I::WithholdingOfWages,
                I::DebtBondage,
                I::AbusiveWorkingAndLivingConditions,
                I::ExcessiveOvertime,
            ]
        );
        assert!(!row(I::Deception).form_specific);
    }

    /// Questions that assume a form of exploitation (selling sex, begging, crime, domestic work,
    /// marriage, a child's situation) wait until the open part points there: asking them of
    /// everyone leads (UNODC, Human Trafficking Indicators; issue 12).
    #[test]
    fn form_specific_questions_wait_for_the_open_part() {
        for r in catalogue() {
            assert_eq!(
                r.form_specific,
                r.group != G::ForcedLabour,
                "{:?}",
                r.indicator
            );
        }
        for g in [
            G::SexualExploitation,
            G::ForcedBegging,
            G::ForcedCrime,
            G::DomesticServitude,
            G::ForcedMarriage,
            G::Children,
        ] {
            assert!(
                catalogue()
                    .iter()
                    .any(|i| i.group == g && i.screening && i.asked),
                "{g:?} has a screening question"
            );
        }
    }

    #[test]
    fn questions_asked_before_the_split_are_kept_but_not_asked() {
        for i in [I::PhysicalAndSexualViolence, I::IntimidationAndThreats] {
            assert!(!row(i).asked, "{i:?}");
        }
        assert!(row(I::PhysicalViolence).asked);
    }

    /// Issue 12: a "yes" to violence or to a threat is evidence of one method of control.
    #[test]
    fn each_asked_question_suggests_at_most_one_code_of_each_list() {
        for r in catalogue().into_iter().filter(|r| r.asked) {
            assert!(r.exploitation_types.len() <= 1, "{:?}", r.indicator);
            assert!(r.methods_of_control.len() <= 1, "{:?}", r.indicator);
        }
        for (i, m) in [
            (I::PhysicalViolence, M::PhysicalAbuse),
            (I::SexualViolence, M::SexualAbuse),
            (I::ThreatsOfViolence, M::PhysicalThreats),
            (I::ThreatsAgainstFamily, M::ThreatensChildrenFamily),
            (I::ThreatsWithAuthorities, M::ThreatsLawEnforcement),
        ] {
            assert_eq!(suggest(&[yes(i)]).methods_of_control[0].code, m, "{i:?}");
        }
    }

    /// ILO, Walk Free and IOM 2022: a marriage without free and full consent, one the person
    /// cannot leave, or of a child, is a forced marriage, and so is one used to exploit them; rikoslaki 25:3 (HE 65/2024 vp) names
    /// forced marriage as a purpose of trafficking.
    #[test]
    fn forced_marriage_answers_suggest_forced_marriage() {
        for i in [
            I::MarriageWithoutConsent,
            I::MarriedAsChild,
            I::CannotLeaveMarriage,
            I::ExploitedInMarriage,
        ] {
            let s = suggest(&[yes(i)]);
            assert_eq!(s.exploitation_types.len(), 1, "{i:?}");
            assert_eq!(s.exploitation_types[0].code, E::ForcedMarriage, "{i:?}");
            assert_eq!(row(i).group, G::ForcedMarriage);
        }
    }

    /// A bride price is common in marriages entered freely: a sign to look further, no code; nor
    /// do wages withheld, abusive conditions or long hours alone make work forced labour.
    #[test]
    fn signs_that_are_not_evidence_of_a_form_suggest_no_form() {
        assert_eq!(
            suggest(&[yes(I::MarriageForPayment)]),
            Suggestions::default()
        );
        let labour = suggest(&[
            yes(I::WithholdingOfWages),
            yes(I::AbusiveWorkingAndLivingConditions),
            yes(I::ExcessiveOvertime),
        ]);
        assert!(labour.exploitation_types.is_empty());
        assert_eq!(labour.methods_of_control.len(), 3);
    }

    /// UNODC's children's indicators tell the caseworker to look further; only work unfit for a
    /// child's age is itself evidence of a code.
    #[test]
    fn a_childs_situation_suggests_only_child_labour() {
        let s = suggest(&[
            yes(I::ChildWithoutCarer),
            yes(I::ChildKeptFromSchool),
            yes(I::ChildTravelledWithStrangers),
        ]);
        assert_eq!(s, Suggestions::default());
        let s = suggest(&[yes(I::ChildWorkUnsuitable)]);
        assert_eq!(s.exploitation_types[0].code, E::ChildLabour);
    }

    #[test]
    fn yes_answers_suggest_codes_with_their_reasons() {
        let s = suggest(&[
            yes(I::DebtBondage),
            yes(I::WithholdingOfWages),
            yes(I::RetentionOfIdentityDocuments),
            yes(I::ExcessiveOvertime),
            yes(I::SexualServicesUnderControl),
            yes(I::EarningsFromSexTaken),
        ]);
        assert_eq!(
            s.exploitation_types,
            [Suggested {
                code: E::SexualExploitation,
                because: vec![I::SexualServicesUnderControl, I::EarningsFromSexTaken]
            }]
        );
        let controls: Vec<M> = s.methods_of_control.iter().map(|c| c.code).collect();
        assert_eq!(
            controls,
            [
                M::DebtBondage,
                M::TakesEarnings,
                M::ExcessiveWorkingHours,
                M::WithholdsDocuments
            ]
        );
        assert_eq!(
            s.methods_of_control[1].because,
            [I::WithholdingOfWages, I::EarningsFromSexTaken]
        );
    }

    #[test]
    fn only_a_yes_suggests_anything() {
        let answers: Vec<IndicatorAnswer> = [
            Answer::Unclear,
            Answer::No,
            Answer::Declined,
            Answer::NotDiscussed,
        ]
        .into_iter()
        .flat_map(|a| {
            Indicator::EVERY.iter().map(move |&i| IndicatorAnswer {
                answer: a,
                ..yes(i)
            })
        })
        .collect();
        assert_eq!(suggest(&answers), Suggestions::default());
    }

    /// Issue 12: set 1 asked "Could you go out on your own…?" under "Restriction of movement", so
    /// a "yes" there may mean the opposite: it suggests nothing, though the same answer to the
    /// current wording does, and an unchanged question of set 1 still counts.
    #[test]
    fn a_yes_to_an_earlier_reversed_wording_suggests_nothing() {
        let answers = [yes(I::RestrictionOfMovement), yes(I::DebtBondage)];
        let old = suggest_in(1, &answers);
        let controls: Vec<M> = old.methods_of_control.iter().map(|c| c.code).collect();
        assert_eq!(controls, [M::DebtBondage]);
        assert_eq!(old.earlier_wording, [I::RestrictionOfMovement]);
        let mut not_asked = yes(I::Deception);
        not_asked.answer = Answer::NotDiscussed;
        assert!(suggest_in(1, &[not_asked]).earlier_wording.is_empty());
        assert_eq!(suggest(&answers).methods_of_control.len(), 2);
        assert!(earlier_wording(1, I::WithholdingOfWages));
        assert!(!earlier_wording(1, I::DebtBondage));
        assert!(!earlier_wording(QUESTION_SET, I::WithholdingOfWages));
        assert!(reworded(I::Deception) && !reworded(I::PhysicalViolence));
    }

    /// A child's police notification (lastensuojelulaki 25 § 3 mom.) waits on a sign of violence
    /// or a sexual offence: the screening asks both of everyone.
    #[test]
    fn the_screening_asks_what_a_childs_police_notification_needs() {
        for i in [I::PhysicalViolence, I::SexualViolence] {
            assert!(row(i).screening && !row(i).form_specific, "{i:?}");
        }
    }
}
