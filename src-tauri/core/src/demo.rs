//! Synthetic cases for staff training and benchmarks. Every case is flagged `demo` and carries a
//! note saying so; the people are invented from common names of each country.

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::cases::{self, CaseInput};
use crate::error::Result;
use crate::ids::CaseId;
use crate::model::codes::{
    CaseStatus, ExploitationType, Gender, MethodOfControl, TraffickingEventType,
};
use crate::model::{
    Answer, Birth, CaseDetails, Indicator, IndicatorAnswer, IndicatorGroup, Interview,
    InterviewStage, InterviewStatus, LanguageSkill, NameKind, Note, Person, PersonName,
    Proficiency, Reminder, ResidenceKind, ResidenceStatus, Source, SupportAction, SupportKind,
    TraffickingEvent,
};
use crate::vault::Vault;

/// The demo vault's passphrase. Public on purpose: the demo vault holds invented people only.
pub const DEMO_PASSPHRASE: &str = "demo vault for training";

/// The note every demo case carries, so no one mistakes it for a real person.
pub const DEMO_NOTE: &str = "DEMO: synthetic training data, not a real person.";

/// Where an invented person comes from. Names are given and family names of one culture, in
/// its own order and in the Latin script its people use in Finnish documents.
struct Origin {
    country: &'static str,
    language: &'static str,
    women: &'static [&'static str],
    men: &'static [&'static str],
    /// A man's family name and, where the language marks it, a woman's.
    family: &'static [(&'static str, &'static str)],
    /// The family name comes first (Vietnamese, Chinese).
    family_first: bool,
    cities: &'static [&'static str],
}

const fn same(name: &'static str) -> (&'static str, &'static str) {
    (name, name)
}

const ORIGINS: &[Origin] = &[
    Origin {
        country: "FI",
        language: "fi",
        women: &["Aino", "Helmi", "Sanna", "Päivi", "Jenni"],
        men: &["Juha", "Mikko", "Jussi", "Väinö"],
        family: &[
            same("Mäkinen"),
            same("Virtanen"),
            same("Korhonen"),
            same("Hämäläinen"),
            same("Nieminen"),
        ],
        family_first: false,
        cities: &["Helsinki", "Tampere", "Oulu"],
    },
    Origin {
        country: "SE",
        language: "sv",
        women: &["Ingrid", "Åsa", "Linnéa", "Maja"],
        men: &["Björn", "Göran", "Lars"],
        family: &[
            same("Åström"),
            same("Lindqvist"),
            same("Söderberg"),
            same("Nyström"),
        ],
        family_first: false,
        cities: &["Stockholm", "Göteborg"],
    },
    Origin {
        country: "RO",
        language: "ro",
        women: &["Ioana", "Mihaela", "Andreea", "Ștefania"],
        men: &["Andrei", "Mihai", "Ion", "Cătălin"],
        family: &[
            same("Popescu"),
            same("Ionescu"),
            same("Dumitrescu"),
            same("Stan"),
            same("Stănescu"),
        ],
        family_first: false,
        cities: &["București", "Iași", "Constanța"],
    },
    Origin {
        country: "NG",
        language: "en",
        women: &["Blessing", "Chioma", "Ngozi", "Joy", "Precious"],
        men: &["Chidi", "Emeka", "Osaro"],
        family: &[
            same("Okafor"),
            same("Osagie"),
            same("Eze"),
            same("Obi"),
            same("Igbinedion"),
        ],
        family_first: false,
        cities: &["Benin City", "Lagos"],
    },
    Origin {
        country: "TH",
        language: "th",
        women: &["Malee", "Siriporn", "Nok", "Ploy"],
        men: &["Somchai", "Anan", "Kittisak"],
        family: &[
            same("Srisuk"),
            same("Chaiyaporn"),
            same("Wongsawat"),
            same("Boonmee"),
        ],
        family_first: false,
        cities: &["Udon Thani", "Bangkok"],
    },
    Origin {
        country: "VN",
        language: "vi",
        women: &["Thị Lan", "Thị Hoa", "Thu Trang"],
        men: &["Văn Minh", "Quốc Huy", "Văn Nam"],
        family: &[same("Nguyễn"), same("Trần"), same("Lê"), same("Phạm")],
        family_first: true,
        cities: &["Hà Tĩnh", "Nghệ An"],
    },
    Origin {
        country: "UA",
        language: "uk",
        women: &["Olena", "Iryna", "Kateryna", "Oksana"],
        men: &["Andrii", "Serhii", "Dmytro"],
        family: &[
            same("Shevchenko"),
            same("Kovalenko"),
            same("Bondarenko"),
            same("Tkachenko"),
        ],
        family_first: false,
        cities: &["Kharkiv", "Odesa"],
    },
    Origin {
        country: "UZ",
        language: "uz",
        women: &["Dilnoza", "Gulnora"],
        men: &["Bekzod", "Rustam", "Jasur"],
        family: &[
            ("Karimov", "Karimova"),
            ("Yusupov", "Yusupova"),
            ("Rakhimov", "Rakhimova"),
        ],
        family_first: false,
        cities: &["Samarkand", "Fergana"],
    },
    Origin {
        country: "CN",
        language: "zh",
        women: &["Fang", "Na", "Xiuying"],
        men: &["Wei", "Yang", "Jun"],
        family: &[same("Li"), same("Wang"), same("Zhang"), same("Liu")],
        family_first: true,
        cities: &["Fuzhou", "Wenzhou"],
    },
];

const FINNISH_PLACES: &[&str] = &[
    "Helsinki",
    "Vantaa",
    "Espoo",
    "Turku",
    "Pori",
    "Kuopio",
    "Rovaniemi",
];

struct Pattern {
    exploitation: ExploitationType,
    other: Option<&'static str>,
    control: &'static [MethodOfControl],
    indicators: &'static [Indicator],
    explore: &'static [IndicatorGroup],
    account: &'static str,
}

const PATTERNS: &[Pattern] = &[
    Pattern {
        exploitation: ExploitationType::ForcedLabour,
        other: None,
        control: &[
            MethodOfControl::DebtBondage,
            MethodOfControl::WithholdsDocuments,
            MethodOfControl::ExcessiveWorkingHours,
        ],
        indicators: &[
            Indicator::DebtBondage,
            Indicator::RetentionOfIdentityDocuments,
            Indicator::ExcessiveOvertime,
            Indicator::WithholdingOfWages,
        ],
        explore: &[],
        account: "I was promised work in berry picking with a good salary. The recruitment fee became a debt that grew every week. They kept my passport.",
    },
    Pattern {
        exploitation: ExploitationType::SexualExploitation,
        other: None,
        control: &[
            MethodOfControl::PsychologicalAbuse,
            MethodOfControl::TakesEarnings,
            MethodOfControl::ThreatensChildrenFamily,
        ],
        indicators: &[
            Indicator::SexualServicesUnderControl,
            Indicator::EarningsFromSexTaken,
            Indicator::ThreatsAgainstFamily,
        ],
        explore: &[IndicatorGroup::SexualExploitation],
        account: "A friend told me about a job in a restaurant. When I arrived I had to sell sex. They took all the money and said they know where my family lives.",
    },
    Pattern {
        exploitation: ExploitationType::ForcedBegging,
        other: None,
        control: &[
            MethodOfControl::TakesEarnings,
            MethodOfControl::RestrictsMovement,
        ],
        indicators: &[
            Indicator::BeggingUnderControl,
            Indicator::BeggingEarningsTaken,
            Indicator::RestrictionOfMovement,
        ],
        explore: &[IndicatorGroup::ForcedBegging],
        account: "We were brought by car and had to sit outside the shop every day. In the evening a man collected the money.",
    },
    Pattern {
        exploitation: ExploitationType::Other,
        other: Some("forced criminality"),
        control: &[
            MethodOfControl::PhysicalThreats,
            MethodOfControl::PsychoactiveSubstance,
        ],
        indicators: &[
            Indicator::CrimesUnderCoercion,
            Indicator::CrimeEarningsTaken,
            Indicator::PhysicalViolence,
        ],
        explore: &[IndicatorGroup::ForcedCrime],
        account: "They made me carry packages and steal from shops. If I refused they hit me.",
    },
    Pattern {
        exploitation: ExploitationType::Servitude,
        other: None,
        control: &[
            MethodOfControl::WithholdsNecessities,
            MethodOfControl::RestrictsMovement,
            MethodOfControl::WithholdsDocuments,
        ],
        indicators: &[
            Indicator::DomesticWorkWithoutFreedom,
            Indicator::DomesticWorkWithoutPay,
            Indicator::Isolation,
        ],
        explore: &[IndicatorGroup::DomesticServitude],
        account: "I cleaned and looked after the children from morning to night. I could not leave the house and was never paid.",
    },
    Pattern {
        exploitation: ExploitationType::ForcedMarriage,
        other: None,
        control: &[
            MethodOfControl::ThreatensChildrenFamily,
            MethodOfControl::SexualAbuse,
        ],
        indicators: &[
            Indicator::MarriageWithoutConsent,
            Indicator::CannotLeaveMarriage,
            Indicator::ThreatsWithAuthorities,
            Indicator::Isolation,
        ],
        explore: &[IndicatorGroup::ForcedMarriage],
        account: "My family arranged the marriage. My husband does not let me meet anyone and says I will be sent back if I talk.",
    },
];

/// Opens a case marked `demo`, with the note saying so: every invented person, random or from a
/// training scenario, is opened this way.
pub(crate) fn open_case(
    vault: &Vault,
    person: Person,
    mut details: CaseDetails,
    today: NaiveDate,
) -> Result<CaseId> {
    details.demo = true;
    let view = cases::open_case(
        vault,
        CaseInput {
            person,
            details: Some(details),
        },
        today,
    )?;
    vault.insert(
        Some(view.case.id),
        &Note {
            text: DEMO_NOTE.to_string(),
        },
    )?;
    Ok(view.case.id)
}

/// Fills `vault` with `count` synthetic demo cases. The same `seed` gives the same people.
pub fn fill(vault: &Vault, count: usize, seed: u64, today: NaiveDate) -> Result<Vec<CaseId>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut ids = Vec::with_capacity(count);
    // Batches keep each transaction (and the WAL) small while avoiding a sync per record.
    for batch in (0..count).collect::<Vec<_>>().chunks(500) {
        vault.write(|v| {
            for &i in batch {
                ids.push(one_case(v, &mut rng, i, today)?);
            }
            Ok(())
        })?;
    }
    Ok(ids)
}

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    *items.choose(rng).unwrap_or(&items[0])
}

/// A few people in every hundred are rare (a non-binary person, organ removal, a citizen of a
/// country few come from), so that a trainer can show how the statistics keep them from being
/// picked out. Chosen by the case's place, not drawn, so the random draws stay as they were.
fn rare(index: usize, person: &mut Person, details: &mut CaseDetails) {
    if index % 53 == 7 {
        person.gender = Some(Gender::NonConforming);
    }
    if index % 67 == 11 {
        details
            .exploitation_types
            .push(ExploitationType::OrganRemoval);
    }
    if index % 71 == 13 {
        person.citizenships = "MN".parse().into_iter().collect();
    }
}

fn one_case(vault: &Vault, rng: &mut StdRng, index: usize, today: NaiveDate) -> Result<CaseId> {
    let origin = &ORIGINS[rng.gen_range(0..ORIGINS.len())];
    let pattern = &PATTERNS[rng.gen_range(0..PATTERNS.len())];
    let woman = rng.gen_bool(0.7);
    let given = pick(rng, if woman { origin.women } else { origin.men });
    let (his, hers) = pick(rng, origin.family);
    let family = if woman { hers } else { his };
    let opened = today - Days::new(rng.gen_range(0..4 * 365));
    let age_uncertain = rng.gen_bool(0.1);
    let age: u64 = if rng.gen_bool(0.12) {
        rng.gen_range(14..18)
    } else {
        rng.gen_range(18..55)
    };
    let birth = if age_uncertain {
        Some(Birth::EstimatedYear(
            chrono::Datelike::year(&today) - age as i32,
        ))
    } else {
        today
            .checked_sub_days(Days::new(age * 365 + rng.gen_range(0..365)))
            .map(Birth::Date)
    };
    let mut names = vec![PersonName {
        name: if origin.family_first {
            format!("{family} {given}")
        } else {
            format!("{given} {family}")
        },
        kind: NameKind::Legal,
    }];
    if rng.gen_bool(0.4) {
        names.push(PersonName {
            name: pick(rng, &["Angel", "Lucky", "Baby", "Nina", "Sunny"]).to_string(),
            kind: NameKind::UsedDuringExploitation,
        });
    }
    let person = Person {
        names,
        birth,
        age_uncertain,
        gender: Some(if woman {
            Gender::Feminine
        } else {
            Gender::Masculine
        }),
        citizenships: origin.country.parse().into_iter().collect(),
        languages: origin
            .language
            .parse()
            .into_iter()
            .map(|language| LanguageSkill {
                language,
                proficiency: Proficiency::MotherTongue,
                dialect: String::new(),
            })
            .collect(),
        interpreter_needed: origin.language != "fi" && origin.language != "sv",
        // Chosen from the name rather than drawn, so the random draws (and so every other demo
        // value) stay as they were.
        residence_status: Some(ResidenceStatus {
            // EU citizens register their right of residence (ulkomaalaislaki 159 §) and do not
            // seek asylum; most Ukrainians in Finland have temporary protection (109 §).
            kind: match origin.country {
                "FI" => ResidenceKind::FinnishCitizen,
                "SE" | "RO" => ResidenceKind::EuRegistered,
                "UA" => ResidenceKind::TemporaryProtection,
                _ => [
                    ResidenceKind::AsylumSeeker,
                    ResidenceKind::ResidencePermit,
                    ResidenceKind::NoPermit,
                ][family.len() % 3],
            },
            details: String::new(),
        }),
        ..Person::default()
    };
    let closed = rng.gen_bool(0.25);
    let mut details = CaseDetails::new(
        pick(
            rng,
            &[
                "Kaisa Virtanen",
                "Anna Lindholm",
                "Mervi Koski",
                "Johanna Berg",
            ],
        ),
        opened,
    );
    details.status = if closed {
        CaseStatus::ClosedReferred
    } else {
        pick(rng, &[CaseStatus::Active, CaseStatus::FollowUp])
    };
    details.closed = closed.then(|| (opened + Days::new(rng.gen_range(30..200))).min(today));
    details.exploitation_types = vec![pattern.exploitation];
    details.exploitation_other = pattern.other.map(str::to_string);
    details.forced_criminality = pattern.other.is_some();
    details.methods_of_control = pattern.control.to_vec();
    details.events = vec![
        TraffickingEvent {
            kind: TraffickingEventType::Recruitment,
            city: Some(pick(rng, origin.cities).to_string()),
            country: origin.country.parse().ok(),
            date: opened.checked_sub_days(Days::new(rng.gen_range(60..700))),
            description: String::new(),
        },
        TraffickingEvent {
            kind: TraffickingEventType::Exploitation,
            city: Some(pick(rng, FINNISH_PLACES).to_string()),
            country: "FI".parse().ok(),
            date: opened.checked_sub_days(Days::new(rng.gen_range(10..60))),
            description: String::new(),
        },
    ];
    let mut person = person;
    rare(index, &mut person, &mut details);
    let period = crate::followups::period_kind(&person);
    let case = open_case(vault, person, details, today)?;
    vault.insert(
        Some(case),
        &Interview {
            answers: pattern
                .indicators
                .iter()
                .map(|&indicator| IndicatorAnswer {
                    indicator,
                    answer: pick(rng, &[Answer::Yes, Answer::Yes, Answer::Unclear]),
                    source: pick(rng, &[Source::SelfReported, Source::Observed]),
                    context: String::new(),
                })
                .collect(),
            narrative: pattern.account.to_string(),
            observations: "Seemed tired and anxious; looked at the door often.".to_string(),
            status: InterviewStatus::Final,
            opening_given: true,
            explore: pattern.explore.to_vec(),
            ..Interview::new(
                InterviewStage::Screening,
                origin.language.parse()?,
                (origin.language != "fi").then(|| "Demo interpreter".to_string()),
            )
        },
    )?;
    // The period its decision gave, of the kind the residence status allows
    // (followups::period_kind): a Finnish citizen is never given a reflection period.
    if let Some(kind) = period {
        let start = opened + Days::new(14);
        let (end, title) = match kind {
            Reminder::ReflectionPeriodEnds => (
                start + Days::new(90),
                "Reflection period ends: plan what follows",
            ),
            _ => (
                start + Days::new(30),
                "Recovery period ends: plan what follows",
            ),
        };
        vault.insert(
            Some(case),
            &crate::followups::period_reminder(kind, start, end, title)?,
        )?;
    }
    vault.insert(
        Some(case),
        &SupportAction {
            kind: pick(
                rng,
                &[
                    SupportKind::Accommodation,
                    SupportKind::HealthCare,
                    SupportKind::LegalAid,
                    SupportKind::Interpretation,
                ],
            ),
            plan_type: None,
            date: opened,
            provider: None,
            description: String::new(),
        },
    )?;
    Ok(case)
}
