//! The label of every enum value a person reads, as [Finnish, Swedish, English]. The `match` in
//! each `words` is exhaustive, so a value added to an enum does not build until it has words in
//! all three languages.

use serde::Serialize;

use super::FormLanguage;
use crate::model::codes::{
    CaseStatus, ExploitationType, ForcedLabourIndustry, Gender, MethodOfControl,
    MethodOfRecruitment, RelationshipToTrafficker, SexExploitationType, StatusDecisionMaker,
    TraffickingEventType, TraffickingStatus,
};
use crate::model::{
    Answer, ContactMethod, CouldBeMinor, FieldGroup, GivenBy, Indicator, InterviewStage,
    LegalBasis, NameKind, NoGuardianReason, NotificationKind, OpenQuestion, PoliceGround,
    Proficiency, Purpose, RepresentativeRole, ResidenceKind, Source, SupportKind, UrgentBecause,
};
use crate::notifications::DueBecause;
use crate::stats::{AgeBand, Dimension, StatsValue};
use crate::subject::{Choice, ItemCategory};

/// A value with words for it in each of Silta's languages.
pub trait Words: Copy + Serialize + 'static {
    /// The key's first part in the app's message catalogs ("exploitation" in
    /// "exploitation.ForcedLabour").
    const PREFIX: &'static str;
    /// Every value, for the app's catalogs and the tests.
    const EVERY: &'static [Self];
    /// [Finnish, Swedish, English].
    fn words(self) -> [&'static str; 3];

    fn label(self, lang: FormLanguage) -> &'static str {
        lang.pick(self.words())
    }

    /// "prefix.value", the value as it is stored.
    fn key(self) -> String {
        let value = match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::new(),
        };
        format!("{}.{value}", Self::PREFIX)
    }
}

macro_rules! words {
    ($ty:ident, $prefix:literal { $($variant:ident => [$fi:literal, $sv:literal, $en:literal]),+ $(,)? }) => {
        impl Words for $ty {
            const PREFIX: &'static str = $prefix;
            const EVERY: &'static [Self] = &[$($ty::$variant),+];
            fn words(self) -> [&'static str; 3] {
                match self { $($ty::$variant => [$fi, $sv, $en]),+ }
            }
        }
    };
}

words!(Gender, "gender" {
    Feminine => ["Nainen", "Kvinna", "Woman"],
    Masculine => ["Mies", "Man", "Man"],
    TransgenderFeminine => ["Transnainen", "Transkvinna", "Trans woman"],
    TransgenderMasculine => ["Transmies", "Transman", "Trans man"],
    NonConforming => ["Muunsukupuolinen", "Icke-binär", "Non-binary"],
    NonSpecifiedUnknown => ["Ei tiedossa", "Okänt", "Not known"],
});

words!(NameKind, "nameKind" {
    Legal => ["virallinen nimi", "officiellt namn", "legal name"],
    Preferred => ["nimi, jota hän käyttää", "namn som personen använder", "name they use"],
    Alias => ["muu nimi", "annat namn", "other name"],
    UsedDuringExploitation => ["hyväksikäytön aikana käytetty nimi", "namn som användes under utnyttjandet", "name used during exploitation"],
});

words!(Proficiency, "proficiency" {
    MotherTongue => ["äidinkieli", "modersmål", "mother tongue"],
    Fluent => ["sujuva", "flytande", "fluent"],
    Good => ["hyvä", "god", "good"],
    Basic => ["perustaso", "grundläggande", "basic"],
});

words!(ContactMethod, "contactMethod" {
    Phone => ["Puhelinnumero", "Telefonnummer", "Phone number"],
    Email => ["Sähköpostiosoite", "E-postadress", "E-mail address"],
    ThroughCaseworker => ["Työntekijän kautta", "Via handläggaren", "Through the caseworker"],
    InPerson => ["Tapaamalla", "Personligen", "In person"],
    Other => ["Muu", "Annat", "Other"],
});

words!(ResidenceKind, "residence" {
    FinnishCitizen => ["Suomen kansalainen", "Finsk medborgare", "Finnish citizen"],
    EuRegistered => ["EU-kansalaisen oleskeluoikeus rekisteröity", "EU-medborgarens uppehållsrätt registrerad", "EU citizen, right of residence registered"],
    ResidencePermit => ["Oleskelulupa", "Uppehållstillstånd", "Residence permit"],
    ResidencePermitApplied => ["Oleskelulupaa haettu", "Uppehållstillstånd sökt", "Residence permit applied for"],
    AsylumSeeker => ["Turvapaikanhakija", "Asylsökande", "Asylum seeker"],
    TemporaryProtection => ["Tilapäinen suojelu", "Tillfälligt skydd", "Temporary protection"],
    NoPermit => ["Ei oleskeluoikeutta", "Ingen uppehållsrätt", "No right of residence"],
    Unknown => ["Ei tiedossa", "Okänt", "Not known"],
});

words!(CouldBeMinor, "couldBeMinor" {
    Yes => ["Kyllä", "Ja", "Yes"],
    No => ["Ei", "Nej", "No"],
    DontKnow => ["Ei tiedossa (kohdellaan alaikäisenä)", "Okänt (behandlas som under 18)", "Don't know (treated as possibly under 18)"],
});

words!(NotificationKind, "notificationKind" {
    ChildWelfare => ["Lastensuojeluilmoitus", "Barnskyddsanmälan", "Child welfare notification"],
    Police => ["Ilmoitus poliisille", "Anmälan till polisen", "Notification to the police"],
});

words!(PoliceGround, "policeGround" {
    SexualOffence => ["Epäilty lapseen kohdistunut seksuaalirikos (rikoslain 20 luku)", "Misstänkt sexualbrott mot barnet (20 kap. i strafflagen)", "Suspected sexual offence against the child (Criminal Code, chapter 20)"],
    LifeOrHealth => ["Epäilty lapsen henkeen tai terveyteen kohdistunut rikos, josta säädetty enimmäisrangaistus on vähintään kaksi vuotta vankeutta", "Misstänkt brott mot barnets liv eller hälsa med ett maximistraff på minst två års fängelse", "Suspected offence against the child's life or health with a maximum penalty of at least two years' imprisonment"],
});

words!(LegalBasis, "legalBasis" {
    ChildWelfareAct25 => ["Lastensuojelulaki (417/2007) 25 § 1 mom.", "Barnskyddslagen (417/2007) 25 § 1 mom.", "Child Welfare Act (417/2007), section 25(1)"],
    ChildWelfareAct25Police => ["Lastensuojelulaki (417/2007) 25 § 3 mom.", "Barnskyddslagen (417/2007) 25 § 3 mom.", "Child Welfare Act (417/2007), section 25(3)"],
});

words!(DueBecause, "notificationDue" {
    ChildMayBeTrafficked => ["Lapsi on voinut joutua ihmiskaupan uhriksi, joten lastensuojelun tarve on selvitettävä.", "Barnet kan ha utsatts för människohandel: behovet av barnskydd ska utredas.", "The child may have been trafficked: their need for child welfare must be assessed."],
    SexualAbuseOrViolence => ["Asiakkuuden kirjauksissa on merkkejä lapseen kohdistuneesta seksuaalisesta hyväksikäytöstä tai väkivallasta.", "Det som antecknats i ärendet tyder på sexuellt utnyttjande av eller våld mot barnet.", "The case records signs of sexual exploitation of or violence against the child."],
});

words!(NoGuardianReason, "noGuardian" {
    NoGuardianInFinland => ["Lapsella ei ole huoltajaa Suomessa", "Barnet har ingen vårdnadshavare i Finland", "The child has no guardian in Finland"],
    GuardianSuspected => ["Huoltajaa epäillään osallisuudesta, eikä lapselle ole vielä määrätty edunvalvojaa (LsL 22 §)", "Vårdnadshavaren misstänks vara inblandad, och ingen intressebevakare har ännu förordnats för barnet (22 § barnskyddslagen)", "The guardian is suspected of involvement, and no guardian ad litem is appointed for the child yet (Child Welfare Act, section 22)"],
});

words!(UrgentBecause, "urgentBecause" {
    InDanger => ["Henkilö on välittömässä vaarassa.", "Personen är i omedelbar fara.", "The person is in immediate danger."],
    Child => ["Henkilö on alle 18-vuotias.", "Personen är under 18 år.", "The person is under 18."],
    PossiblyChild => ["Henkilö voi olla alaikäinen.", "Personen kan vara under 18 år.", "The person may be under 18."],
    MarkedByCaseworker => ["Työntekijä on merkinnyt asiakkuuden kiireelliseksi.", "Handläggaren har markerat ärendet som brådskande.", "A caseworker marked the case urgent."],
});

words!(InterviewStage, "stage" {
    Screening => ["Lyhyt alkuhaastattelu", "Kort screening", "Short screening"],
    Extended => ["Laajempi haastattelu", "Utförlig intervju", "Extended interview"],
});

// Each answer names what it records, so a caseworker clicking what the person said cannot record
// the opposite; every question's "yes" means the sign is there (ui/src/lib/questions.test.ts).
words!(Answer, "answer" {
    Yes => ["Kyllä – merkki tuli esiin", "Ja – tecknet framkom", "Yes – the sign came up"],
    No => ["Ei – merkkiä ei tullut esiin", "Nej – tecknet framkom inte", "No – the sign did not come up"],
    Unclear => ["Epäselvä vastaus", "Oklart svar", "Unclear answer"],
    Declined => ["Ei halunnut vastata", "Ville inte svara", "Did not want to answer"],
    NotDiscussed => ["Ei kysytty", "Inte frågat", "Not asked"],
});

// The open questions are read out as they stand, so they are the words of the question itself.
words!(OpenQuestion, "open" {
    Situation => [
        "Kertoisitko omin sanoin, millaista elämäsi ja arkesi Suomessa on ollut?",
        "Kan du med egna ord berätta vad du har sysslat med i Finland och hur du har haft det här?",
        "Could you tell me in your own words what you have been doing in Finland, and what your life here has been like?"
    ],
    Journey => [
        "Kertoisitko, miten tulit Suomeen ja miten matka ja työ järjestyivät?",
        "Kan du berätta hur du kom till Finland och hur resan och arbetet ordnades?",
        "Could you tell me how you came to Finland, and how the journey and the work were arranged?"
    ],
    Now => [
        "Onko sinulla nyt turvallinen paikka olla? Onko jotain, mikä huolestuttaa sinua, tai jotain, mitä tarvitset heti?",
        "Har du en trygg plats att vara på nu? Är det något som oroar dig eller som du behöver genast?",
        "Do you have a safe place to stay now? Is anything worrying you, or is there something you need right away?"
    ],
});

words!(Source, "source" {
    SelfReported => ["Henkilön kertoma", "Egen uppgift", "Self-reported"],
    Observed => ["Havaittu", "Iakttaget", "Observed"],
});

words!(Indicator, "indicator" {
    AbuseOfVulnerability => ["Haavoittuvan aseman hyväksikäyttö", "Utnyttjande av utsatt läge", "Abuse of vulnerability"],
    Deception => ["Erehdyttäminen", "Vilseledning", "Deception"],
    RestrictionOfMovement => ["Liikkumisen rajoittaminen", "Begränsad rörelsefrihet", "Restriction of movement"],
    Isolation => ["Eristäminen", "Isolering", "Isolation"],
    DidNotKnowWhereabouts => ["Ei tiennyt, missä oli", "Visste inte var personen befann sig", "Did not know where they were"],
    PhysicalViolence => ["Fyysinen väkivalta", "Fysiskt våld", "Physical violence"],
    SexualViolence => ["Seksuaalinen väkivalta", "Sexuellt våld", "Sexual violence"],
    ThreatsOfViolence => ["Väkivallalla uhkailu", "Hot om våld", "Threats of violence"],
    ThreatsAgainstFamily => ["Perheen tai läheisten uhkailu", "Hot mot familj eller närstående", "Threats against family or others close"],
    ThreatsWithAuthorities => ["Uhkailu poliisilla, viranomaisilla tai maasta poistamisella", "Hot om polis, myndigheter eller utvisning", "Threats with the police, authorities or removal"],
    PhysicalAndSexualViolence => ["Fyysinen tai seksuaalinen väkivalta", "Fysiskt eller sexuellt våld", "Physical or sexual violence"],
    IntimidationAndThreats => ["Pelottelu ja uhkailu", "Hot och skrämsel", "Intimidation and threats"],
    RetentionOfIdentityDocuments => ["Henkilöasiakirjojen pidättäminen", "Kvarhållna identitetshandlingar", "Identity documents kept by others"],
    WithholdingOfWages => ["Palkan maksamatta jättäminen", "Innehållen lön", "Wages withheld"],
    DebtBondage => ["Velkaorjuus", "Skuldslaveri", "Debt bondage"],
    AbusiveWorkingAndLivingConditions => ["Kohtuuttomat työ- ja asumisolot", "Orimliga arbets- och levnadsvillkor", "Abusive working and living conditions"],
    ExcessiveOvertime => ["Kohtuuton ylityö", "Orimlig övertid", "Excessive overtime"],
    SexualServicesUnderControl => ["Seksin myyminen toisen määräysvallassa", "Sexförsäljning under någon annans kontroll", "Selling sex under someone else's control"],
    EarningsFromSexTaken => ["Seksinmyyntitulojen ottaminen", "Fråntagna inkomster från sexförsäljning", "Earnings from sex taken from them"],
    AdvertisedByOthers => ["Muiden hoitama ilmoittelu ja asiakashankinta", "Annonser om sexförsäljning gjorda av andra", "Advertised by others"],
    BeggingUnderControl => ["Kerjääminen toisen määräysvallassa", "Tiggeri under någon annans kontroll", "Begging under someone's control"],
    BeggingEarningsTaken => ["Kerjuutulojen ottaminen", "Fråntagna pengar från tiggeri", "Money from begging taken from them"],
    CrimesUnderCoercion => ["Rikoksiin pakottaminen", "Tvingad att begå brott", "Made to commit crimes"],
    CrimeEarningsTaken => ["Rikoshyödyn ottaminen", "Fråntagen brottsvinning", "Gains from crime taken from them"],
    DomesticWorkWithoutFreedom => ["Kotitaloustyö ilman vapautta", "Hushållsarbete utan frihet", "Domestic work without freedom"],
    DomesticWorkWithoutPay => ["Palkaton kotitaloustyö", "Hushållsarbete utan lön", "Domestic work without pay"],
    MarriageWithoutConsent => ["Avioliitto ilman vapaata suostumusta", "Äktenskap utan fritt samtycke", "Marriage without free consent"],
    MarriedAsChild => ["Avioliitto alle 18-vuotiaana", "Gift före 18 års ålder", "Married under 18"],
    MarriageForPayment => ["Maksu tai muu hyöty avioliitosta", "Betalning eller vinning för äktenskapet", "Payment or gain for the marriage"],
    CannotLeaveMarriage => ["Avioliitosta lähtemisen estäminen", "Hinder mot att lämna äktenskapet", "Cannot leave the marriage"],
    ExploitedInMarriage => ["Hyväksikäyttö avioliitossa", "Utnyttjande i äktenskapet", "Exploited within the marriage"],
    ChildWithoutCarer => ["Lapsi ilman vanhempia tai huoltajaa", "Barn utan föräldrar eller vårdnadshavare", "Child without parents or guardian"],
    ChildKeptFromSchool => ["Lapsi ei pääse kouluun", "Barnet får inte gå i skola", "Child kept from school"],
    ChildWorkUnsuitable => ["Lapselle sopimaton työ", "Arbete som inte passar ett barn", "Work unfit for a child"],
    ChildTravelledWithStrangers => ["Lapsi matkusti ilman vanhempaa tai huoltajaa", "Barnet reste utan förälder eller vårdnadshavare", "Child travelled without parent or guardian"],
});

words!(ExploitationType, "exploitation" {
    ForcedLabour => ["Pakkotyö", "Tvångsarbete", "Forced labour"],
    SexualExploitation => ["Seksuaalinen hyväksikäyttö", "Sexuellt utnyttjande", "Sexual exploitation"],
    ChildLabour => ["Lapsityö", "Barnarbete", "Child labour"],
    ForcedMarriage => ["Pakkoavioliitto", "Tvångsäktenskap", "Forced marriage"],
    Servitude => ["Orjuudenkaltainen tila", "Slaveriliknande förhållanden", "Servitude"],
    ForcedMilitaryByNonStateActors => ["Pakotettu aseellinen toiminta (muut kuin valtiolliset toimijat)", "Tvingad militär tjänst (icke-statliga aktörer)", "Forced military service (non-state actors)"],
    OrganRemoval => ["Elinten poistaminen", "Avlägsnande av organ", "Organ removal"],
    ForcedBegging => ["Kerjäämään pakottaminen", "Tvångstiggeri", "Forced begging"],
    ForcedAdoption => ["Pakotettu tai laiton adoptio", "Tvingad eller olaglig adoption", "Forced or illegal adoption"],
    Surrogacy => ["Sijaissynnytykseen pakottaminen", "Utnyttjande för surrogatmoderskap", "Exploitation for surrogacy"],
    Other => ["Muu (esimerkiksi rikolliseen toimintaan pakottaminen)", "Annat (till exempel tvingande till brottslighet)", "Other (for example forced criminality)"],
});

// The HTCDS fields a caseworker records for statistics (vic_TraffickingStatus and the ones after
// it in model::codes); the app's labels, none printed on a referral form.
words!(TraffickingStatus, "traffickingStatus" {
    PossibleVictimOfTrafficking => ["Mahdollinen ihmiskaupan uhri", "Möjligt offer för människohandel", "Possible victim of human trafficking"],
    ActualVictimOfTrafficking => ["Tunnistettu ihmiskaupan uhri", "Identifierat offer för människohandel", "Identified victim of human trafficking"],
    NotAVictimOfTrafficking => ["Ei tunnistettu ihmiskaupan uhriksi (kielteinen päätös)", "Inte identifierad som offer för människohandel (negativt beslut)", "Not identified as a victim of human trafficking (a negative decision)"],
});

words!(StatusDecisionMaker, "decidedBy" {
    Police => ["Poliisi", "Polisen", "Police"],
    NGO => ["Järjestö", "Frivilligorganisation", "NGO"],
    CourtOrProsecution => ["Tuomioistuin tai syyttäjä", "Domstol eller åklagare", "Court or prosecutor"],
    NonPoliceGovernmentalOrganization => ["Auttamisjärjestelmä tai muu viranomainen", "Hjälpsystemet eller en annan myndighet", "The Assistance System or another authority"],
    Other => ["Muu", "Annan", "Other"],
});

words!(MethodOfRecruitment, "recruitment" {
    AtAPlaceOfBusiness => ["Yrityksen toimitiloissa", "I ett företags lokaler", "At a place of business"],
    AtAnEducationalInstitution => ["Oppilaitoksessa", "Vid en läroanstalt", "At a school or college"],
    AtWork => ["Työpaikalla", "På arbetsplatsen", "At work"],
    ThroughOnlineSocialNetworks => ["Sosiaalisessa mediassa", "Via sociala medier", "Through social media"],
    ThroughAnOnlineAdvertisement => ["Verkkoilmoituksella", "Via en annons på nätet", "Through an online advertisement"],
    ThroughATelevisionAdvert => ["Televisiomainoksella", "Via reklam i tv", "Through a television advertisement"],
    ThroughANewspaperAdvert => ["Lehti-ilmoituksella", "Via en tidningsannons", "Through a newspaper advertisement"],
    ThroughFamilyOrFamilyEvents => ["Perheen tai suvun kautta", "Via familjen eller släkten", "Through family"],
    ThroughFriendsOrSocialEvents => ["Ystävien tai tuttavien kautta", "Via vänner eller bekanta", "Through friends or acquaintances"],
    Other => ["Muulla tavalla", "På annat sätt", "Another way"],
});

words!(RelationshipToTrafficker, "relationship" {
    Familial => ["Perheenjäsen tai sukulainen", "Familjemedlem eller släkting", "Family member or relative"],
    Acquainted => ["Tuttava (myös ystävä tai kumppani)", "Bekant (även vän eller partner)", "Acquaintance (a friend or partner too)"],
    Unaquainted => ["Ennestään tuntematon", "Okänd person", "Stranger"],
});

words!(SexExploitationType, "sexExploitation" {
    Prostitution => ["Prostituutio", "Prostitution", "Prostitution"],
    Pornography => ["Pornografia", "Pornografi", "Pornography"],
    RemoteInteractiveServices => ["Etäpalvelut (esimerkiksi verkkokamera)", "Distanstjänster (till exempel webbkamera)", "Remote services (a webcam, for example)"],
    PrivateSexualServices => ["Yksityiset seksuaalipalvelut", "Privata sexuella tjänster", "Private sexual services"],
});

// Sections of ISIC rev. 4 in the names of Statistics Finland's Standard Industrial Classification
// TOL 2008 (its Finnish and Swedish versions), which follows NACE rev. 2 and ISIC rev. 4.
words!(ForcedLabourIndustry, "industry" {
    A_AgricultureForestryAndFishing => ["Maatalous, metsätalous ja kalatalous", "Jordbruk, skogsbruk och fiske", "Agriculture, forestry and fishing"],
    B_MiningAndQuarrying => ["Kaivostoiminta ja louhinta", "Utvinning av mineral", "Mining and quarrying"],
    C_Manufacturing => ["Teollisuus", "Tillverkning", "Manufacturing"],
    D_ElectricityGasSteamAndAirConditioningSupply => ["Sähkö-, kaasu- ja lämpöhuolto, jäähdytysliiketoiminta", "Försörjning av el, gas, värme och kyla", "Electricity, gas, steam and air conditioning supply"],
    E_WaterSupplySewerageWasteManagement => ["Vesihuolto, viemäri- ja jätevesihuolto, jätehuolto ja muu ympäristön puhtaanapito", "Vattenförsörjning; avloppsrening, avfallshantering och sanering", "Water supply; sewerage, waste management and remediation"],
    F_Construction => ["Rakentaminen", "Byggverksamhet", "Construction"],
    G_WholesaleAndRetailTradeRepairOfMotorVehicles => ["Tukku- ja vähittäiskauppa; moottoriajoneuvojen ja moottoripyörien korjaus", "Handel; reparation av motorfordon och motorcyklar", "Wholesale and retail trade; repair of motor vehicles and motorcycles"],
    H_TransportationAndStorage => ["Kuljetus ja varastointi", "Transport och magasinering", "Transportation and storage"],
    I_AccommodationAndFoodServiceActivities => ["Majoitus- ja ravitsemistoiminta", "Hotell- och restaurangverksamhet", "Accommodation and food service activities"],
    J_InformationAndCommunication => ["Informaatio ja viestintä", "Informations- och kommunikationsverksamhet", "Information and communication"],
    K_FinancialAndInsuranceActivities => ["Rahoitus- ja vakuutustoiminta", "Finans- och försäkringsverksamhet", "Financial and insurance activities"],
    L_RealEstateActivities => ["Kiinteistöalan toiminta", "Fastighetsverksamhet", "Real estate activities"],
    M_ProfessionalScientificAndTechnicalActivities => ["Ammatillinen, tieteellinen ja tekninen toiminta", "Verksamhet inom juridik, ekonomi, vetenskap och teknik", "Professional, scientific and technical activities"],
    N_AdministrativeAndSupportServiceActivities => ["Hallinto- ja tukipalvelutoiminta", "Uthyrning, fastighetsservice, resetjänster och andra stödtjänster", "Administrative and support service activities"],
    O_PublicAdministrationAndDefence => ["Julkinen hallinto ja maanpuolustus; pakollinen sosiaalivakuutus", "Offentlig förvaltning och försvar; obligatorisk socialförsäkring", "Public administration and defence; compulsory social security"],
    P_Education => ["Koulutus", "Utbildning", "Education"],
    Q_HumanHealthAndSocialWorkActivities => ["Terveys- ja sosiaalipalvelut", "Vård och omsorg; sociala tjänster", "Human health and social work activities"],
    R_ArtsEntertainmentAndRecreation => ["Taiteet, viihde ja virkistys", "Kultur, nöje och fritid", "Arts, entertainment and recreation"],
    S_OtherServiceActivities => ["Muu palvelutoiminta", "Annan serviceverksamhet", "Other service activities"],
    T_ActivitiesOfHouseholdsAsEmployers => ["Kotitalouksien toiminta työnantajina (esimerkiksi kotityö)", "Hushåll som arbetsgivare (till exempel hushållsarbete)", "Households as employers (domestic work, for example)"],
    U_ActivitiesOfExtraterritorialOrganizations => ["Kansainvälisten organisaatioiden ja toimielinten toiminta", "Verksamhet vid internationella organisationer, utländska ambassader o.d.", "Extraterritorial organisations and bodies"],
});

words!(MethodOfControl, "control" {
    PhysicalThreats => ["Väkivallalla uhkailu", "Hot om våld", "Threats of violence"],
    ThreatsLawEnforcement => ["Uhkailu poliisilla tai viranomaisilla", "Hot om polis eller myndigheter", "Threats with the police or authorities"],
    ThreatensChildrenFamily => ["Lasten tai perheen uhkailu", "Hot mot barn eller familj", "Threats against children or family"],
    DebtBondage => ["Velkaorjuus", "Skuldslaveri", "Debt bondage"],
    FalsePromises => ["Väärät lupaukset", "Falska löften", "False promises"],
    PhysicalAbuse => ["Fyysinen väkivalta", "Fysiskt våld", "Physical abuse"],
    SexualAbuse => ["Seksuaalinen väkivalta", "Sexuellt våld", "Sexual abuse"],
    TakesEarnings => ["Ansioiden vieminen", "Fråntagna inkomster", "Takes earnings"],
    RestrictsFinancialAccess => ["Rahankäytön rajoittaminen", "Begränsad tillgång till pengar", "Restricts access to money"],
    RestrictsMedicalCare => ["Terveydenhoidon estäminen", "Begränsad tillgång till vård", "Restricts medical care"],
    WithholdsNecessities => ["Perustarpeiden epääminen", "Undanhållna förnödenheter", "Withholds necessities"],
    PsychologicalAbuse => ["Henkinen väkivalta", "Psykiskt våld", "Psychological abuse"],
    PsychoactiveSubstance => ["Päihteillä alistaminen", "Droger eller alkohol som kontrollmedel", "Drugs or alcohol used to control"],
    ExcessiveWorkingHours => ["Kohtuuttomat työajat", "Orimliga arbetstider", "Excessive working hours"],
    WithholdsDocuments => ["Henkilöasiakirjojen pidättäminen", "Kvarhållna identitetshandlingar", "Withholds documents"],
    RestrictsMovement => ["Liikkumisen rajoittaminen", "Begränsad rörelsefrihet", "Restricts movement"],
    UsesChildren => ["Lasten käyttäminen painostuskeinona", "Barn som påtryckningsmedel", "Uses children"],
    Other => ["Muu", "Annat", "Other"],
});

words!(TraffickingEventType, "event" {
    Recruitment => ["Värväys", "Rekrytering", "Recruitment"],
    Transit => ["Kuljetus", "Transport", "Transit"],
    Exploitation => ["Hyväksikäyttö", "Utnyttjande", "Exploitation"],
});

words!(CaseStatus, "status" {
    Active => ["Aktiivinen", "Aktivt", "Active"],
    FollowUp => ["Seuranta", "Uppföljning", "Follow-up"],
    Closed => ["Suljettu", "Avslutat", "Closed"],
    ClosedReferred => ["Suljettu, ohjattu eteenpäin", "Avslutat, hänvisat", "Closed, referred"],
});

words!(SupportKind, "supportKind" {
    Accommodation => ["Majoitus", "Boende", "Accommodation"],
    HealthCare => ["Terveydenhuolto", "Hälso- och sjukvård", "Health care"],
    LegalAid => ["Oikeudellinen apu", "Rättshjälp", "Legal aid"],
    Interpretation => ["Tulkkaus", "Tolkning", "Interpretation"],
    PsychologicalSupport => ["Psykologinen tuki", "Psykologiskt stöd", "Psychological support"],
    FinancialHelp => ["Taloudellinen apu", "Ekonomisk hjälp", "Financial help"],
    SafeReturn => ["Turvallinen paluu", "Trygg återresa", "Safe return"],
    Other => ["Muu", "Annat", "Other"],
});

words!(Purpose, "purpose" {
    Support => ["Tuki", "Stöd", "Support"],
    Storage => ["Tietojen säilyttäminen", "Lagring av uppgifterna", "Keeping the records"],
    Referral => ["Esitys auttamisjärjestelmään", "Hänvisning till hjälpsystemet", "Referral to the Assistance System"],
    PoliceReport => ["Tietojen antaminen poliisille", "Uppgifter till polisen", "Information to the police"],
    Other => ["Muu", "Annat", "Other"],
});

words!(GivenBy, "givenBy" {
    Person => ["Henkilö itse", "Personen själv", "The person themself"],
    Representative => ["Huoltaja tai edustaja", "Vårdnadshavare eller företrädare", "Guardian or representative"],
});

words!(RepresentativeRole, "role" {
    Guardian => ["Huoltaja", "Vårdnadshavare", "Guardian"],
    LegalRepresentative => ["Määrätty laillinen edustaja", "Förordnad laglig företrädare", "Appointed legal representative"],
});

/// The field groups a consent names; an attachment is named by its file, where it is listed.
impl Words for FieldGroup {
    const PREFIX: &'static str = "field";
    const EVERY: &'static [Self] = &[
        FieldGroup::Identity,
        FieldGroup::Contact,
        FieldGroup::Status,
        FieldGroup::Languages,
        FieldGroup::Children,
        FieldGroup::Account,
        FieldGroup::Observations,
        FieldGroup::Indicators,
        FieldGroup::Needs,
        FieldGroup::PoliceStatus,
        FieldGroup::Health,
        FieldGroup::Exploiters,
    ];
    fn words(self) -> [&'static str; 3] {
        match self {
            FieldGroup::Identity => [
                "Henkilöllisyys (nimet, syntymäaika, kansalaisuus)",
                "Identitet (namn, födelsedatum, medborgarskap)",
                "Identity (names, birth date, citizenship)",
            ],
            FieldGroup::Contact => ["Yhteystiedot", "Kontaktuppgifter", "Contact details"],
            FieldGroup::Status => [
                "Oleskeluasema, Migrin asiakasnumero, oikeusavustaja",
                "Uppehållsstatus, Migris kundnummer, rättsbiträde",
                "Residence status, Migri number, counsel",
            ],
            FieldGroup::Languages => [
                "Kielet ja tulkkauksen tarve",
                "Språk och tolkbehov",
                "Languages and interpreter need",
            ],
            FieldGroup::Children => ["Lapset Suomessa", "Barn i Finland", "Children in Finland"],
            FieldGroup::Account => [
                "Henkilön oma kertomus",
                "Personens egen berättelse",
                "The person's own account",
            ],
            FieldGroup::Observations => [
                "Työntekijän havainnot",
                "Handläggarens iakttagelser",
                "The caseworker's observations",
            ],
            FieldGroup::Indicators => [
                "Indikaattorit ja luokitukset",
                "Indikatorer och klassificeringar",
                "Indicators and classifications",
            ],
            FieldGroup::Needs => ["Välittömät tarpeet", "Akuta behov", "Immediate needs"],
            FieldGroup::PoliceStatus => [
                "Rikosilmoituksen tilanne",
                "Polisanmälans status",
                "Police report status",
            ],
            FieldGroup::Health => ["Terveys", "Hälsa", "Health"],
            FieldGroup::Exploiters => ["Hyväksikäyttäjät", "Förövare", "Exploiters"],
            FieldGroup::Attachment(_) => ["Liite", "Bilaga", "Attachment"],
        }
    }
}

words!(Dimension, "statsDimension" {
    Gender => ["Sukupuoli", "Kön", "Gender"],
    AgeBand => ["Ikäryhmä", "Åldersgrupp", "Age group"],
    Citizenship => ["Kansalaisuus", "Medborgarskap", "Citizenship"],
    ExploitationType => ["Hyväksikäytön muoto", "Form av utnyttjande", "Form of exploitation"],
    MethodOfControl => ["Kontrollikeinot", "Kontrollmedel", "Means of control"],
    Referral => ["Ohjaus auttamisjärjestelmään tai ilmoitus poliisille", "Hänvisning till hjälpsystemet eller anmälan till polisen", "Referral to the Assistance System or report to the police"],
});

words!(AgeBand, "ageBand" {
    Upto8 => ["0–8-vuotiaat", "0–8 år", "aged 0–8"],
    From9To17 => ["9–17-vuotiaat", "9–17 år", "aged 9–17"],
    From18To20 => ["18–20-vuotiaat", "18–20 år", "aged 18–20"],
    From21To23 => ["21–23-vuotiaat", "21–23 år", "aged 21–23"],
    From24To26 => ["24–26-vuotiaat", "24–26 år", "aged 24–26"],
    From27To29 => ["27–29-vuotiaat", "27–29 år", "aged 27–29"],
    From30To38 => ["30–38-vuotiaat", "30–38 år", "aged 30–38"],
    From39To47 => ["39–47-vuotiaat", "39–47 år", "aged 39–47"],
    From48 => ["48 vuotta täyttäneet", "48 år och äldre", "aged 48 and over"],
});

words!(StatsValue, "statsValue" {
    NotRecorded => ["Ei kirjattu", "Ej registrerat", "Not recorded"],
    OtherCountries => ["Muut maat yhteensä", "Övriga länder sammanlagt", "Other countries together"],
    TransOrNonBinary => ["Transihmiset ja muunsukupuoliset", "Transpersoner och icke-binära", "Trans or non-binary"],
    NotReferred => ["Ei ohjattu eikä ilmoitettu", "Inte hänvisad eller anmäld", "Not referred or reported"],
    ReferredAccepted => ["Ohjattu: otettu asiakkaaksi", "Hänvisad: antagen som klient", "Referred: admitted"],
    ReferredDeclined => ["Ohjattu: ei otettu asiakkaaksi", "Hänvisad: inte antagen", "Referred: not admitted"],
    ReferredNoAnswer => ["Ohjattu: ei vielä vastausta", "Hänvisad: inget svar ännu", "Referred: no answer yet"],
});

words!(ItemCategory, "subjectItem" {
    Exploiter => ["Tiedot hyväksikäyttäjästä", "Uppgifter om en förövare", "Details of an exploiter"],
    Child => ["Lapsen tiedot", "Uppgifter om ett barn", "Details of a child"],
    Counsel => ["Oikeusavustajan tiedot", "Uppgifter om rättsbiträdet", "Details of counsel"],
    Representative => ["Edustajan tai huoltajan nimi", "Företrädarens eller vårdnadshavarens namn", "Name of a representative or guardian"],
    ReferredBy => ["Asian ohjanneen organisaation tiedot", "Uppgifter om organisationen som hänvisade ärendet", "Details of the organisation that referred the case"],
    Account => ["Haastattelussa kerrottu", "Berättelse vid en intervju", "An account given at an interview"],
    Observations => ["Työntekijän havainnot haastattelussa", "Handläggarens iakttagelser vid en intervju", "The caseworker's observations at an interview"],
    Note => ["Muistiinpano", "Anteckning", "Note"],
    Consent => ["Suostumus", "Samtycke", "A consent"],
    Notification => ["Lakisääteinen ilmoitus", "Lagstadgad anmälan", "A notification required by law"],
    Recipient => ["Tietojen luovutus", "Utlämnande av uppgifter", "Disclosure of your information"],
    Document => ["Asiakirja", "Dokument", "Document"],
});

words!(Choice, "subjectChoice" {
    Release => ["Annetaan", "Lämnas ut", "Released"],
    RightsOfOthers => ["Muiden ihmisten oikeudet (tietosuoja-asetuksen 15 artiklan 4 kohta)", "Andra personers rättigheter (artikel 15.4 i dataskyddsförordningen)", "Other people's rights (GDPR Article 15(4))"],
    Safety => ["Jonkun turvallisuus (tietosuojalain 34 §)", "Någons säkerhet (34 § i dataskyddslagen)", "Someone's safety (Data Protection Act, section 34)"],
    OngoingInvestigation => ["Rikoksen selvittäminen (tietosuojalain 34 §)", "Utredning av brott (34 § i dataskyddslagen)", "The investigation of a crime (Data Protection Act, section 34)"],
});

fn add<W: Words>(out: &mut Vec<(String, [&'static str; 3])>) {
    out.extend(W::EVERY.iter().map(|w| (w.key(), w.words())));
}

/// Every label, keyed as the app's message catalogs key them.
pub fn every_word() -> Vec<(String, [&'static str; 3])> {
    let mut out = Vec::new();
    add::<Gender>(&mut out);
    add::<NameKind>(&mut out);
    add::<Proficiency>(&mut out);
    add::<ContactMethod>(&mut out);
    add::<ResidenceKind>(&mut out);
    add::<CouldBeMinor>(&mut out);
    add::<NoGuardianReason>(&mut out);
    add::<NotificationKind>(&mut out);
    add::<PoliceGround>(&mut out);
    add::<LegalBasis>(&mut out);
    add::<DueBecause>(&mut out);
    add::<UrgentBecause>(&mut out);
    add::<InterviewStage>(&mut out);
    add::<Answer>(&mut out);
    add::<OpenQuestion>(&mut out);
    add::<Source>(&mut out);
    add::<Indicator>(&mut out);
    add::<ExploitationType>(&mut out);
    add::<MethodOfControl>(&mut out);
    add::<TraffickingEventType>(&mut out);
    add::<TraffickingStatus>(&mut out);
    add::<StatusDecisionMaker>(&mut out);
    add::<MethodOfRecruitment>(&mut out);
    add::<RelationshipToTrafficker>(&mut out);
    add::<SexExploitationType>(&mut out);
    add::<ForcedLabourIndustry>(&mut out);
    add::<CaseStatus>(&mut out);
    add::<SupportKind>(&mut out);
    add::<Purpose>(&mut out);
    add::<GivenBy>(&mut out);
    add::<RepresentativeRole>(&mut out);
    add::<FieldGroup>(&mut out);
    add::<ItemCategory>(&mut out);
    add::<Choice>(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_label_has_words_in_each_language_and_no_key_twice() {
        let all = every_word();
        let keys: BTreeSet<&String> = all.iter().map(|(k, _)| k).collect();
        assert_eq!(keys.len(), all.len(), "a key appears twice");
        for (key, words) in &all {
            assert!(!key.ends_with('.'), "{key}: a value without a stored name");
            for w in words {
                assert!(!w.trim().is_empty(), "{key} has an empty label");
            }
        }
    }

    #[test]
    fn labels_are_keyed_by_the_value_as_stored() {
        assert_eq!(Answer::NotDiscussed.key(), "answer.not_discussed");
        assert_eq!(
            ExploitationType::ForcedLabour.key(),
            "exploitation.ForcedLabour"
        );
        assert_eq!(FieldGroup::PoliceStatus.key(), "field.police_status");
        assert_eq!(Gender::Feminine.label(FormLanguage::Fi), "Nainen");
        assert_eq!(
            Proficiency::MotherTongue.label(FormLanguage::Sv),
            "modersmål"
        );
    }
}
