//! The human-readable forms of a package's data: the printable `referral.html`, laid out like the
//! official Finnish referral (person, referrer, account, attachments, consent), and the plain-text
//! preview a caseworker reads before sending. Both come from one list of sections, in fi, sv or en,
//! and every value in them is words in that language (`crate::words`), never a code: the codes are
//! in referral.json, for software.

use chrono::NaiveDate;
use serde::Serialize;

use super::Mode;
use super::data::{AgeGroup, FormLanguage, ReferralData, Statement};
use crate::model::{Birth, Consent, ContactMethod, LanguageCode, NoGuardianReason, SafeContact};
use crate::referrers::ContactCard;
use crate::words::{self, Words};

struct Labels {
    referral: &'static str,
    consultation: &'static str,
    report: &'static str,
    urgent: &'static str,
    phone_note: &'static str,
    contact: &'static str,
    may_call: &'static str,
    may_write: &'static str,
    do_not_call: &'static str,
    do_not_write: &'static str,
    no_caps: &'static str,
    unknown_caps: &'static str,
    contact_warning: &'static str,
    method: &'static str,
    contact_note: &'static str,
    not_recorded: &'static str,
    person: &'static str,
    referrer: &'static str,
    reporter: &'static str,
    account: &'static str,
    missing_reason: &'static str,
    missing_warning: &'static str,
    observations: &'static str,
    attachments: &'static str,
    consent: &'static str,
    consent_one: &'static str,
    no_representative: &'static str,
    representative_requested: &'static str,
    child_views: &'static str,
    guardian_suspected: &'static str,
    indicators: &'static str,
    /// After an answer given to an earlier wording whose "yes" could mean the opposite.
    earlier_wording: &'static str,
    exploitation: &'static str,
    control: &'static str,
    needs: &'static str,
    police: &'static str,
    health: &'static str,
    exploiters: &'static str,
    names: &'static str,
    birth: &'static str,
    born_about: &'static str,
    age_group: &'static str,
    gender: &'static str,
    citizenship: &'static str,
    residence: &'static str,
    municipality: &'static str,
    migri: &'static str,
    counsel: &'static str,
    languages: &'static str,
    language: &'static str,
    dialect: &'static str,
    unknown_language: &'static str,
    interpreter_needed: &'static str,
    children: &'static str,
    organisation: &'static str,
    caseworker: &'static str,
    org_phone: &'static str,
    org_email: &'static str,
    worker_phone: &'static str,
    worker_email: &'static str,
    no_phone: &'static str,
    date: &'static str,
    case_number: &'static str,
    interpreter: &'static str,
    read_out_in: &'static str,
    concern: &'static str,
    legal_basis: &'static str,
    notified_on: &'static str,
    made_by: &'static str,
    suspicion: &'static str,
    without_consent: &'static str,
    given_by: &'static str,
    representative: &'static str,
    information: &'static str,
    expires: &'static str,
    groups: &'static str,
    yes: &'static str,
    no: &'static str,
    none: &'static str,
    /// Where nothing ticked is not "none": needs or children not recorded.
    nothing_recorded: &'static str,
    messages_only: &'static str,
    calls_only: &'static str,
    not_this_way: &'static str,
    bytes: &'static str,
    package: &'static str,
    phone: &'static str,
    plate: &'static str,
    address: &'static str,
    website: &'static str,
    version: &'static str,
    police_case_number: &'static str,
    police_reported: &'static str,
    police_unit: &'static str,
    age: [&'static str; 3],
    /// Danger, accommodation, health care, money.
    need: [&'static str; 4],
}

const FI: Labels = Labels {
    referral: "Esitys/hakemus ihmiskaupan uhrien auttamisjärjestelmään",
    consultation: "Nimetön konsultaatio ihmiskaupan uhrien auttamisjärjestelmälle",
    report: "Tietoja poliisille",
    urgent: "KIIREELLINEN",
    phone_note: "Soita myös vastaanottajalle, kiireellisessä asiassa ennen lähettämistä.",
    contact: "Yhteydenpito henkilöön",
    may_call: "Saako henkilölle soittaa",
    may_write: "Saako henkilölle kirjoittaa (tekstiviesti, sähköposti, kirje)",
    do_not_call: "älä soita",
    do_not_write: "älä kirjoita",
    no_caps: "EI",
    unknown_caps: "EI TIEDOSSA",
    contact_warning: "Ota yhteyttä henkilöön vain tavalla, joka on merkitty turvalliseksi. Muu yhteydenotto voi vaarantaa hänet. Ota tarvittaessa yhteyttä lähettäjään (kohta 2).",
    method: "Yhteystapa",
    contact_note: "Huomioitavaa",
    not_recorded: "Yhteystietoja ei ole kirjattu. Ota yhteyttä lähettäjään (kohta 2).",
    person: "1. Henkilö",
    referrer: "2. Esittäjä",
    reporter: "2. Ilmoittaja",
    account: "3. Henkilön oma kertomus",
    missing_reason: "Miksi kertomus tai tarpeet puuttuvat",
    missing_warning: "Auttamisjärjestelmä tarvitsee henkilön oman kertomuksen ja välittömät tarpeet. Esitystä ei voi lähettää ilman niitä tai syytä niiden puuttumiseen.",
    observations: "Työntekijän omat havainnot",
    attachments: "4. Liitteet",
    consent: "5. Suostumus",
    consent_one: "Suostumus",
    no_representative: "Huoltaja tai edustaja ei allekirjoita",
    representative_requested: "Lapselle on haettu edustajaa tai edunvalvojaa. Lapsi antoi itse suostumuksensa, ja hänen mielipiteensä ja toivomuksensa on kirjattu.",
    child_views: "Lapsen mielipide ja toivomukset",
    guardian_suspected: "Älä ota yhteyttä huoltajaan ennen kuin siitä on sovittu lastensuojelun kanssa: huoltajaa epäillään osallisuudesta.",
    indicators: "Indikaattorit ja luokitukset (HTCDS)",
    earlier_wording: "kysytty aiemmalla sanamuodolla, jonka ”kyllä” saattoi tarkoittaa päinvastaista: tarkista kertomuksesta",
    exploitation: "Hyväksikäytön muoto",
    control: "Kontrollin keinot",
    needs: "Välittömät tarpeet",
    police: "Rikosilmoituksen tilanne",
    health: "Terveys",
    exploiters: "Hyväksikäyttäjät ja tapahtumat",
    names: "Nimet",
    birth: "Syntymäaika",
    born_about: "syntynyt arviolta vuonna",
    age_group: "Ikäryhmä",
    gender: "Sukupuoli",
    citizenship: "Kansalaisuus",
    residence: "Oleskeluasema",
    municipality: "Kotikunta",
    migri: "Migrin asiakasnumero",
    counsel: "Oikeusavustaja",
    languages: "Kielet",
    language: "Kieli",
    dialect: "murre",
    unknown_language: "tuntematon kielikoodi",
    interpreter_needed: "Tulkin tarve",
    children: "Lapset Suomessa",
    organisation: "Organisaatio",
    caseworker: "Työntekijä",
    org_phone: "Organisaation puhelin",
    org_email: "Organisaation sähköposti",
    worker_phone: "Työntekijän puhelin",
    worker_email: "Työntekijän sähköposti",
    no_phone: "Lähettäjän puhelinnumeroa ei ole kirjattu.",
    date: "Päivämäärä",
    case_number: "Asiakkuuden numero",
    interpreter: "Tulkki",
    read_out_in: "tulkattu kielelle:",
    concern: "3. Ilmoituksen syy",
    legal_basis: "4. Oikeusperuste",
    notified_on: "Ilmoituspäivä",
    made_by: "Ilmoituksen tehnyt työntekijä",
    suspicion: "Peruste",
    without_consent: "Ilmoitus tehdään salassapitosäännösten estämättä, eikä siihen tarvita lapsen tai huoltajan suostumusta. Lapsesta ilmoitukseen on otettu vain henkilötiedot, turvallisen yhteydenpidon tiedot ja ilmoituksen syy.",
    given_by: "Suostumuksen antaja",
    representative: "Huoltaja tai edustaja",
    information: "Henkilölle annettu tietoteksti",
    expires: "Voimassa asti",
    groups: "Tietoryhmät",
    yes: "Kyllä",
    no: "Ei",
    none: "Ei ole",
    nothing_recorded: "Ei kirjattu",
    messages_only: "vain viestit, ei puheluita",
    calls_only: "vain puhelut, ei viestejä",
    not_this_way: "ei yhteydenottoa tätä kautta",
    bytes: "tavua",
    package: "Paketti",
    phone: "Puhelin",
    plate: "Rekisterinumero",
    address: "Osoite",
    website: "Verkkosivu",
    version: "versio",
    police_case_number: "Poliisin asianumero",
    police_reported: "Rikosilmoitus tehty",
    police_unit: "Poliisiyksikkö",
    age: [
        "Aikuinen",
        "Lapsi",
        "Ikä epävarma, voi olla lapsi (lapsia koskevia sääntöjä noudatetaan)",
    ],
    need: [
        "VÄLITÖN VAARA",
        "majoitus",
        "terveydenhuolto",
        "toimeentulo",
    ],
};

const SV: Labels = Labels {
    referral: "Framställning/ansökan om upptagning i hjälpsystemet för offer för människohandel",
    consultation: "Anonym konsultation med hjälpsystemet för offer för människohandel",
    report: "Uppgifter till polisen",
    urgent: "BRÅDSKANDE",
    phone_note: "Ring också mottagaren, i brådskande fall innan du skickar.",
    contact: "Kontakt med personen",
    may_call: "Får man ringa personen",
    may_write: "Får man skriva till personen (sms, e-post, brev)",
    do_not_call: "ring inte",
    do_not_write: "skriv inte",
    no_caps: "NEJ",
    unknown_caps: "OKÄNT",
    contact_warning: "Kontakta personen bara på ett sätt som är markerat som säkert. Annan kontakt kan utsätta personen för fara. Kontakta vid behov avsändaren (punkt 2).",
    method: "Kontaktsätt",
    contact_note: "Att observera",
    not_recorded: "Inga kontaktuppgifter har antecknats. Kontakta avsändaren (punkt 2).",
    person: "1. Personen",
    referrer: "2. Den som gjort framställningen",
    reporter: "2. Anmälare",
    account: "3. Personens egen berättelse",
    missing_reason: "Varför berättelsen eller behoven saknas",
    missing_warning: "Hjälpsystemet behöver personens egen berättelse och de akuta behoven. Utan dem eller en förklaring kan framställningen inte skickas.",
    observations: "Handläggarens egna iakttagelser",
    attachments: "4. Bilagor",
    consent: "5. Samtycke",
    consent_one: "Samtycke",
    no_representative: "Ingen vårdnadshavare eller företrädare undertecknar",
    representative_requested: "En företrädare eller intressebevakare har sökts för barnet. Barnet gav själv sitt samtycke, och barnets åsikter och önskemål är antecknade.",
    child_views: "Barnets åsikter och önskemål",
    guardian_suspected: "Kontakta inte vårdnadshavaren innan det har avtalats med barnskyddet: vårdnadshavaren misstänks vara inblandad.",
    indicators: "Indikatorer och klassificeringar (HTCDS)",
    earlier_wording: "ställd med en tidigare formulering där ”ja” kunde betyda motsatsen: kontrollera mot berättelsen",
    exploitation: "Form av utnyttjande",
    control: "Kontrollmetoder",
    needs: "Akuta behov",
    police: "Polisanmälan",
    health: "Hälsa",
    exploiters: "Förövare och händelser",
    names: "Namn",
    birth: "Födelsedatum",
    born_about: "född uppskattningsvis år",
    age_group: "Åldersgrupp",
    gender: "Kön",
    citizenship: "Medborgarskap",
    residence: "Uppehållsstatus",
    municipality: "Hemkommun",
    migri: "Migris kundnummer",
    counsel: "Rättsbiträde",
    languages: "Språk",
    language: "Språk",
    dialect: "dialekt",
    unknown_language: "okänd språkkod",
    interpreter_needed: "Behov av tolk",
    children: "Barn i Finland",
    organisation: "Organisation",
    caseworker: "Handläggare",
    org_phone: "Organisationens telefon",
    org_email: "Organisationens e-post",
    worker_phone: "Handläggarens telefon",
    worker_email: "Handläggarens e-post",
    no_phone: "Avsändarens telefonnummer saknas.",
    date: "Datum",
    case_number: "Ärendenummer",
    interpreter: "Tolk",
    read_out_in: "tolkad till",
    concern: "3. Anledning till anmälan",
    legal_basis: "4. Rättslig grund",
    notified_on: "Anmälningsdatum",
    made_by: "Anmälan gjordes av (handläggare)",
    suspicion: "Grund",
    without_consent: "Anmälan görs utan hinder av sekretessbestämmelserna och kräver inte barnets eller vårdnadshavarens samtycke. Om barnet innehåller anmälan bara personuppgifter, uppgifter om trygg kontakt och anledningen till anmälan.",
    given_by: "Samtycket gavs av",
    representative: "Vårdnadshavare eller företrädare",
    information: "Informationstext som personen fick",
    expires: "Gäller till",
    groups: "Uppgiftsgrupper",
    yes: "Ja",
    no: "Nej",
    none: "Inga",
    nothing_recorded: "Inte antecknat",
    messages_only: "endast meddelanden, inga samtal",
    calls_only: "endast samtal, inga meddelanden",
    not_this_way: "ingen kontakt på det här sättet",
    bytes: "byte",
    package: "Paket",
    phone: "Telefon",
    plate: "Registreringsnummer",
    address: "Adress",
    website: "Webbplats",
    version: "version",
    police_case_number: "Polisens ärendenummer",
    police_reported: "Polisanmälan gjord",
    police_unit: "Polisenhet",
    age: [
        "Vuxen",
        "Barn",
        "Osäker ålder, kan vara ett barn (reglerna för barn gäller)",
    ],
    need: ["AKUT FARA", "boende", "hälso- och sjukvård", "uppehälle"],
};

const EN: Labels = Labels {
    referral: "Referral/Application to the Assistance System for Victims of Human Trafficking",
    consultation: "Anonymous consultation with the Assistance System for Victims of Human Trafficking",
    report: "Information to the police",
    urgent: "URGENT",
    phone_note: "Phone the recipient as well; when it is urgent, before you send.",
    contact: "Contacting the person",
    may_call: "May the person be called",
    may_write: "May the person be written to (text, e-mail, letter)",
    do_not_call: "do not call",
    do_not_write: "do not write",
    no_caps: "NO",
    unknown_caps: "NOT KNOWN",
    contact_warning: "Contact the person only in a way marked safe. Any other contact can put them in danger. If in doubt, contact the sender (section 2).",
    method: "Way to contact",
    contact_note: "Note",
    not_recorded: "No contact details recorded. Contact the sender (section 2).",
    person: "1. Person",
    referrer: "2. Referrer",
    reporter: "2. Reporter",
    account: "3. The person's own account",
    missing_reason: "Why the account or the needs are missing",
    missing_warning: "The Assistance System needs the person's own account and their immediate needs. Include them or write down why they are missing: without that the referral is not sent.",
    observations: "The caseworker's own observations",
    attachments: "4. Attachments",
    consent: "5. Consent",
    consent_one: "Consent",
    no_representative: "No guardian or representative signs",
    representative_requested: "A representative or guardian ad litem has been requested for the child. The child consented themself, and their views and wishes are recorded.",
    child_views: "The child's views and wishes",
    guardian_suspected: "Do not contact the guardian before agreeing on it with child welfare: the guardian is suspected of involvement.",
    indicators: "Indicators and codes (HTCDS)",
    earlier_wording: "asked with an earlier wording whose \"yes\" could mean the opposite: check against the account",
    exploitation: "Type of exploitation",
    control: "Methods of control",
    needs: "Immediate needs",
    police: "Police report",
    health: "Health",
    exploiters: "Exploiters and events",
    names: "Names",
    birth: "Date of birth",
    born_about: "born about",
    age_group: "Age group",
    gender: "Gender",
    citizenship: "Citizenship",
    residence: "Residence status",
    municipality: "Municipality of residence",
    migri: "Migri client number",
    counsel: "Counsel",
    languages: "Languages",
    language: "Language",
    dialect: "dialect",
    unknown_language: "unknown language code",
    interpreter_needed: "Interpreter needed",
    children: "Children in Finland",
    organisation: "Organisation",
    caseworker: "Caseworker",
    org_phone: "Organisation's phone",
    org_email: "Organisation's e-mail",
    worker_phone: "Caseworker's phone",
    worker_email: "Caseworker's e-mail",
    no_phone: "No phone number for the sender is recorded.",
    date: "Date",
    case_number: "Case number",
    interpreter: "Interpreter",
    read_out_in: "interpreted into",
    concern: "3. Reason for the notification",
    legal_basis: "4. Legal basis",
    notified_on: "Date notified",
    made_by: "Made by (staff member)",
    suspicion: "Ground",
    without_consent: "The notification is made notwithstanding confidentiality provisions and needs no consent from the child or the guardian. About the child it holds only their identity, how to contact them safely and the reason for the notification.",
    given_by: "Consent given by",
    representative: "Guardian or representative",
    information: "Information text given to the person",
    expires: "Valid until",
    groups: "Field groups",
    yes: "Yes",
    no: "No",
    none: "None",
    nothing_recorded: "Not recorded",
    messages_only: "messages only, no calls",
    calls_only: "calls only, no messages",
    not_this_way: "no contact this way",
    bytes: "bytes",
    package: "Package",
    phone: "Phone",
    plate: "Registration number",
    address: "Address",
    website: "Website",
    version: "version",
    police_case_number: "Police case number",
    police_reported: "Police report made",
    police_unit: "Police unit",
    age: [
        "Adult",
        "Child",
        "Age uncertain, possibly a child (the child rules apply)",
    ],
    need: [
        "IMMEDIATE DANGER",
        "accommodation",
        "health care",
        "money to live on",
    ],
};

fn labels(language: FormLanguage) -> &'static Labels {
    match language {
        FormLanguage::Fi => &FI,
        FormLanguage::Sv => &SV,
        FormLanguage::En => &EN,
    }
}

/// The form as sections, for the app to lay out like the printed one (the preview before sending
/// and a package opened at the desk); `text` and `html` are the same sections as text and HTML.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FormView {
    pub title: String,
    /// The line saying the person is a child or of uncertain age, when they are.
    pub urgent: Option<String>,
    /// Said to the one sending: phone the recipient as well.
    pub phone_note: String,
    pub sections: Vec<FormSection>,
}

/// One titled part of the form: label-value rows, paragraphs of free text, then parts of its own.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FormSection {
    pub title: String,
    pub rows: Vec<FormRow>,
    pub texts: Vec<String>,
    pub parts: Vec<FormSection>,
    /// Shown before everything else in the section, in red on paper.
    pub warning: Option<String>,
}

/// A label and its value, both words in the form's language.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FormRow {
    pub label: String,
    pub value: String,
}

impl FormSection {
    pub(crate) fn new(title: impl Into<String>) -> FormSection {
        FormSection {
            title: title.into(),
            rows: Vec::new(),
            texts: Vec::new(),
            parts: Vec::new(),
            warning: None,
        }
    }
    /// Adds a row unless its value is empty: a form shows what is recorded, not blank lines.
    pub(crate) fn row(mut self, label: &'static str, value: impl Into<String>) -> FormSection {
        let value = value.into();
        if !value.trim().is_empty() {
            self.rows.push(FormRow {
                label: label.to_string(),
                value,
            });
        }
        self
    }
    pub(crate) fn text(mut self, text: impl Into<String>) -> FormSection {
        let text = text.into();
        if !text.trim().is_empty() {
            self.texts.push(text);
        }
        self
    }
    fn is_empty(&self) -> bool {
        self.rows.is_empty()
            && self.texts.is_empty()
            && self.warning.is_none()
            && self.parts.iter().all(FormSection::is_empty)
    }
}

/// A date as the form's readers write it: 30.11.2026 in Finnish and Swedish (as in Finland),
/// 30 November 2026 in English.
fn date(d: NaiveDate, lang: FormLanguage) -> String {
    match lang {
        FormLanguage::Fi | FormLanguage::Sv => d.format("%-d.%-m.%Y").to_string(),
        FormLanguage::En => d.format("%-d %B %Y").to_string(),
    }
}

/// A coded value and the free text recorded beside it: "Turvapaikanhakija, haettu 10/2026".
fn joined(first: &str, then: &str) -> String {
    if then.trim().is_empty() {
        first.to_string()
    } else {
        format!("{first}, {then}")
    }
}

fn list<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    items.iter().map(show).collect::<Vec<_>>().join(", ")
}

fn language_name(code: &LanguageCode, lang: FormLanguage, l: &Labels) -> String {
    words::language(code, lang).map_or_else(
        || format!("{} ({})", l.unknown_language, code.as_str()),
        str::to_string,
    )
}

fn statements(
    d: &ReferralData,
    l: &Labels,
    title: &'static str,
    items: &[Statement],
) -> FormSection {
    let mut s = FormSection::new(title);
    for item in items {
        let mut head = vec![item.stage.label(d.language).to_string()];
        if let Some(lang) = &item.language {
            head.push(format!(
                "{}: {}",
                l.language,
                language_name(lang, d.language, l)
            ));
        }
        if let Some(i) = &item.interpreter {
            head.push(format!("{}: {i}", l.interpreter));
        }
        let mut body = vec![head.join(", ")];
        for a in &item.open_answers {
            body.push(format!("{}\n{}", a.question.label(d.language), a.text));
        }
        if !item.text.trim().is_empty() {
            body.push(item.text.clone());
        }
        s = s.text(body.join("\n"));
    }
    s
}

fn consent_part(d: &ReferralData, l: &Labels, n: usize, c: &Consent) -> FormSection {
    let lang = d.language;
    let mut s = FormSection::new(format!("{} {n}: {}", l.consent_one, c.purpose.label(lang)))
        .row(l.date, date(c.date, lang))
        .row(l.given_by, c.given_by.label(lang))
        .row(
            l.groups,
            // Semicolons: some groups' names hold commas of their own.
            c.field_groups
                .iter()
                .map(|g| g.label(lang))
                .collect::<Vec<_>>()
                .join("; "),
        );
    if let Some(r) = &c.representative {
        s = s.row(
            l.representative,
            format!("{}, {}", r.name, r.role.label(lang)),
        );
    }
    // A guardian told of the referral may be the one the child is in danger from.
    if c.guardian_suspected
        || c.no_representative
            .is_some_and(|n| n.reason == NoGuardianReason::GuardianSuspected)
    {
        s.warning = Some(l.guardian_suspected.to_string());
    }
    // Recorded only with a representative being requested (`consents::FINLAND`).
    if let Some(none) = &c.no_representative {
        s = s.row(
            l.no_representative,
            format!(
                "{}. {}",
                none.reason.label(lang),
                l.representative_requested
            ),
        );
    }
    if let Some(v) = &c.child_views {
        s = s.row(l.child_views, v.clone());
    }
    if let Some(i) = &c.information {
        let mut shown = format!(
            "{} {} ({}: {})",
            l.version,
            i.version,
            l.language.to_lowercase(),
            language_name(&i.language, lang, l)
        );
        if let Some(out) = &i.read_out_in {
            shown.push_str(&format!(
                "; {} {}",
                l.read_out_in,
                language_name(out, lang, l)
            ));
        }
        s = s.row(l.information, shown);
    }
    if let Some(i) = &c.interpreter {
        s = s.row(l.interpreter, i.clone());
    }
    if let Some(e) = c.expires {
        s = s.row(l.expires, date(e, lang));
    }
    s
}

/// "May be called: NO — do not call", first on the form: a call the trafficker overhears can put
/// the person in danger (the official form asks "is it safe to call or write here?" first).
fn safety(l: &Labels, answer: Option<bool>, never: &'static str) -> String {
    match answer {
        Some(true) => l.yes.to_string(),
        Some(false) => format!("{} \u{2014} {never}", l.no_caps),
        None => format!("{} \u{2014} {never}", l.unknown_caps),
    }
}

/// The way to contact with what may not be done with it right beside the number: a reader who
/// skips the rows above must not phone a number the person may only be written to on.
fn with_limits(l: &Labels, c: &SafeContact, lang: FormLanguage) -> String {
    let (call, write) = (c.safe_to_call == Some(true), c.safe_to_write == Some(true));
    let limit = match c.method {
        ContactMethod::Phone if !call && write => Some(l.messages_only),
        ContactMethod::Phone if call && !write => Some(l.calls_only),
        ContactMethod::Phone if !call && !write => Some(l.not_this_way),
        ContactMethod::Email if !write => Some(l.not_this_way),
        _ => None,
    };
    match limit {
        Some(limit) => format!("{} ({limit})", c.method.label(lang)),
        None => c.method.label(lang).to_string(),
    }
}

fn contact_section(d: &ReferralData, l: &Labels, contact: Option<&SafeContact>) -> FormSection {
    let lang = d.language;
    let Some(c) = contact else {
        return FormSection::new(l.contact).text(l.not_recorded);
    };
    let s = FormSection::new(l.contact)
        .row(l.may_call, safety(l, c.safe_to_call, l.do_not_call))
        .row(l.may_write, safety(l, c.safe_to_write, l.do_not_write))
        .row(l.method, joined(&with_limits(l, c, lang), &c.details))
        .row(l.contact_note, c.note.clone());
    FormSection {
        warning: (c.safe_to_call != Some(true) || c.safe_to_write != Some(true))
            .then(|| l.contact_warning.to_string()),
        ..s
    }
}

fn person_section(d: &ReferralData, l: &Labels) -> FormSection {
    let lang = d.language;
    let mut person = FormSection::new(l.person).row(
        l.age_group,
        l.age[match d.age_group {
            AgeGroup::Adult => 0,
            AgeGroup::Child => 1,
            AgeGroup::Uncertain => 2,
        }],
    );
    if let Some(i) = &d.identity {
        person = person
            .row(
                l.names,
                list(&i.names, |n| format!("{} ({})", n.name, n.kind.label(lang))),
            )
            .row(
                l.birth,
                match i.birth {
                    Some(Birth::Date(b)) => date(b, lang),
                    Some(Birth::EstimatedYear(y)) => format!("{} {y}", l.born_about),
                    None => String::new(),
                },
            )
            .row(
                l.gender,
                i.gender.map(|g| g.label(lang)).unwrap_or_default(),
            )
            .row(
                l.citizenship,
                list(&i.citizenships, |c| words::country(c, lang).to_string()),
            );
    }
    if let Some(s) = &d.status {
        person = person
            .row(
                l.residence,
                s.residence_status
                    .as_ref()
                    .map(|r| joined(r.kind.label(lang), &r.details))
                    .unwrap_or_default(),
            )
            .row(l.municipality, s.municipality.clone().unwrap_or_default())
            .row(l.migri, s.migri_client_number.clone().unwrap_or_default())
            .row(
                l.counsel,
                s.counsel
                    .as_ref()
                    .map(|c| joined(&c.name, &c.contact))
                    .unwrap_or_default(),
            );
    }
    if let Some(langs) = &d.languages {
        person = person
            .row(
                l.languages,
                list(&langs.languages, |s| {
                    let mut about = s.proficiency.label(lang).to_string();
                    if !s.dialect.trim().is_empty() {
                        about.push_str(&format!(", {}: {}", l.dialect, s.dialect));
                    }
                    format!("{} ({about})", language_name(&s.language, lang, l))
                }),
            )
            .row(l.interpreter_needed, yes_no(l, langs.interpreter_needed));
    }
    if let Some(children) = &d.children {
        person = person.row(
            l.children,
            if children.is_empty() {
                l.nothing_recorded.to_string()
            } else {
                list(children, |c| match c.birth_date {
                    Some(b) => format!("{} ({})", c.name, date(b, lang)),
                    None => c.name.clone(),
                })
            },
        );
    }
    person
}

fn referrer_section(d: &ReferralData, l: &Labels) -> FormSection {
    let r = &d.referrer;
    let none = ContactCard::default();
    let org = r.organisation_contact.as_ref().unwrap_or(&none);
    let worker = r.caseworker_contact.as_ref().unwrap_or(&none);
    let s = FormSection::new(if matches!(d.mode, Mode::Report | Mode::Notification) {
        l.reporter
    } else {
        l.referrer
    })
    .row(l.organisation, r.organisation.clone())
    .row(l.org_phone, org.phone.clone())
    .row(l.org_email, org.email.clone())
    .row(l.caseworker, r.caseworker.clone().unwrap_or_default())
    .row(l.worker_phone, worker.phone.clone())
    .row(l.worker_email, worker.email.clone())
    .row(l.date, date(r.date, d.language))
    .row(l.case_number, d.case_number.clone().unwrap_or_default());
    // The Assistance System phones the referrer about every referral.
    FormSection {
        warning: (org.phone.trim().is_empty() && worker.phone.trim().is_empty())
            .then(|| l.no_phone.to_string()),
        ..s
    }
}

fn sections(d: &ReferralData, l: &Labels) -> Vec<FormSection> {
    let lang = d.language;
    let mut out = Vec::new();
    if let Some(contact) = &d.contact {
        out.push(contact_section(d, l, contact.as_ref()));
    }
    out.push(person_section(d, l));
    out.push(referrer_section(d, l));
    let mut account = match &d.account {
        Some(a) => statements(d, l, l.account, a),
        None => FormSection::new(l.account),
    };
    match &d.missing_reason {
        Some(why) => account = account.row(l.missing_reason, why.clone()),
        // Only a preview gets here: the package itself is not made without a reason.
        None if !d.missing().is_empty() => account.warning = Some(l.missing_warning.to_string()),
        None => {}
    }
    out.push(account);
    if let Some(o) = &d.observations {
        out.push(statements(d, l, l.observations, o));
    }
    if let Some(i) = &d.indicators {
        let mut s = FormSection::new(l.indicators)
            .row(
                l.exploitation,
                list(&i.exploitation_types, |c| c.label(lang).to_string()),
            )
            .row(
                l.control,
                list(&i.methods_of_control, |c| c.label(lang).to_string()),
            );
        for a in &i.answers {
            let mut line = format!(
                "{}: {} ({})",
                a.indicator.label(lang),
                a.answer.label(lang),
                a.source.label(lang)
            );
            if a.earlier_wording {
                line = format!("{line}; {}", l.earlier_wording);
            }
            s = s.text(line);
        }
        out.push(s);
    }
    if let Some(n) = &d.needs {
        let flags: Vec<&str> = [n.danger, n.accommodation, n.health_care, n.money]
            .into_iter()
            .zip(l.need)
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
        out.push(
            FormSection::new(l.needs)
                .text(if flags.is_empty() {
                    l.nothing_recorded.to_string()
                } else {
                    flags.join(", ")
                })
                .text(n.note.clone()),
        );
    }
    if let Some(p) = &d.police_status {
        out.push(
            FormSection::new(l.police)
                .row(l.police_reported, yes_no(l, p.reported))
                .row(l.police_unit, p.unit.clone().unwrap_or_default())
                .row(
                    l.police_case_number,
                    p.case_number.clone().unwrap_or_default(),
                ),
        );
    }
    if let Some(h) = &d.health {
        out.push(FormSection::new(l.health).text(h.clone()));
    }
    if let Some(e) = &d.exploiters {
        let mut s = FormSection::new(l.exploiters);
        for x in &e.exploiters {
            s = s.text(
                // Each value named: a bare "ABC-123" reads as a code, not a number plate.
                [
                    (None, x.name.clone()),
                    (Some(l.phone), x.phones.join(", ")),
                    (Some(l.plate), x.vehicles.join(", ")),
                    (Some(l.address), x.addresses.join(", ")),
                    (Some(l.website), x.websites.join(", ")),
                    (None, x.note.clone()),
                ]
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(label, v)| match label {
                    Some(label) => format!("{label}: {v}"),
                    None => v,
                })
                .collect::<Vec<_>>()
                .join(" · "),
            );
        }
        for ev in &e.events {
            s = s.text(
                [
                    ev.kind.label(lang).to_string(),
                    ev.date.map(|x| date(x, lang)).unwrap_or_default(),
                    ev.city.clone().unwrap_or_default(),
                    ev.country
                        .as_ref()
                        .map(|c| words::country(c, lang).to_string())
                        .unwrap_or_default(),
                    ev.description.clone(),
                ]
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            );
        }
        out.push(s);
    }
    if let Some(n) = &d.notification {
        let mut concern = FormSection::new(l.concern).row(l.notified_on, date(n.date, lang));
        concern = concern.row(l.made_by, n.made_by.clone());
        if let Some(g) = n.ground {
            concern = concern.row(l.suspicion, g.label(lang));
        }
        out.push(concern.text(n.concern.clone()));
        out.push(
            FormSection::new(l.legal_basis)
                .text(n.legal_basis.label(lang))
                .text(l.without_consent),
        );
    }
    if !matches!(d.mode, Mode::Consultation | Mode::Notification) {
        let mut s = FormSection::new(l.attachments);
        if d.attachments.is_empty() {
            s = s.text(l.none);
        }
        for a in &d.attachments {
            s = s.text(format!(
                "{}{} ({} {}, SHA-256 {})",
                a.name,
                if a.description.trim().is_empty() {
                    String::new()
                } else {
                    format!(" \u{2014} {}", a.description)
                },
                a.size,
                l.bytes,
                a.sha256
            ));
        }
        out.push(s);
        let mut consent = FormSection::new(l.consent);
        for (n, c) in d.consents.iter().enumerate() {
            consent.parts.push(consent_part(d, l, n + 1, &c.consent));
        }
        out.push(consent);
    }
    out.retain(|s| !s.is_empty());
    out
}

fn yes_no(l: &Labels, b: bool) -> &'static str {
    if b { l.yes } else { l.no }
}

fn title(d: &ReferralData, l: &Labels) -> &'static str {
    match (d.mode, &d.notification) {
        (Mode::Notification, Some(n)) => n.kind.label(d.language),
        (Mode::Referral | Mode::Notification, _) => l.referral,
        (Mode::Consultation, _) => l.consultation,
        (Mode::Report, _) => l.report,
    }
}

/// The form's sections in the form's language, with its title and the lines above them.
pub fn view(d: &ReferralData) -> FormView {
    let l = labels(d.language);
    FormView {
        title: title(d, l).to_string(),
        urgent: d.urgent.then(|| l.urgent.to_string()),
        phone_note: l.phone_note.to_string(),
        sections: sections(d, l),
    }
}

/// The preview a caseworker reads before sending: exactly the data, as text.
pub fn text(d: &ReferralData) -> String {
    fn section(out: &mut String, s: &FormSection, indent: &str) {
        out.push_str(&format!("\n{indent}{}\n", s.title));
        if let Some(w) = &s.warning {
            out.push_str(&format!("{indent}  ! {w}\n"));
        }
        for r in &s.rows {
            out.push_str(&format!("{indent}  {}: {}\n", r.label, r.value));
        }
        for t in &s.texts {
            for line in t.lines() {
                out.push_str(&format!("{indent}  {line}\n"));
            }
        }
        for p in &s.parts {
            section(out, p, &format!("{indent}  "));
        }
    }
    let v = view(d);
    let mut out = format!("{}\n", v.title);
    if let Some(u) = &v.urgent {
        out.push_str(&format!("{u}\n"));
    }
    // For the one sending; the printed form is the receiver's.
    out.push_str(&format!("{}\n", v.phone_note));
    for s in &v.sections {
        section(&mut out, s, "");
    }
    out
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// One section as HTML, its parts a heading level down.
pub(crate) fn section_html(body: &mut String, s: &FormSection, level: u8) {
    body.push_str(&format!(
        "<section>\n<h{level}>{}</h{level}>\n",
        escape(&s.title)
    ));
    if let Some(w) = &s.warning {
        body.push_str(&format!("<p class=\"urgent\">{}</p>\n", escape(w)));
    }
    if !s.rows.is_empty() {
        body.push_str("<table>\n");
        for r in &s.rows {
            body.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                escape(&r.label),
                escape(&r.value)
            ));
        }
        body.push_str("</table>\n");
    }
    for t in &s.texts {
        body.push_str(&format!("<p>{}</p>\n", escape(t)));
    }
    for p in &s.parts {
        section_html(body, p, level + 1);
    }
    body.push_str("</section>\n");
}

/// A printable page in `lang`: no script, nothing fetched (its own CSP), styles inline.
pub(crate) fn page(lang: FormLanguage, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{title}</title>\n<style>\n\
         body {{ font-family: sans-serif; max-width: 48rem; margin: 2rem auto; line-height: 1.4; }}\n\
         section {{ border-top: 1px solid #999; margin-top: 1rem; }}\n\
         th {{ text-align: left; padding-right: 1rem; vertical-align: top; }}\n\
         .urgent {{ font-weight: bold; color: #8a0000; }}\n\
         p {{ white-space: pre-wrap; }}\n\
         @media print {{ body {{ margin: 0; }} }}\n\
         </style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang = lang.code(),
        title = escape(title),
    )
}

/// `referral.html`: self-contained (no script, no remote anything), printable.
pub fn html(d: &ReferralData, package: &str) -> String {
    let l = labels(d.language);
    let v = view(d);
    let mut body = format!("<h1>{}</h1>\n", escape(&v.title));
    if let Some(u) = &v.urgent {
        body.push_str(&format!("<p class=\"urgent\">{}</p>\n", escape(u)));
    }
    for s in &v.sections {
        section_html(&mut body, s, 2);
    }
    body.push_str(&format!(
        "<footer>{}: {}</footer>\n",
        escape(l.package),
        escape(package)
    ));
    page(d.language, &v.title, &body)
}

/// The form's sections about the person, without the one on who sends it: the access export
/// shows them in the person's language.
///
/// What the form says to a receiver goes: the section numbers (which point at the sender's
/// section), and the contact section's advice to contact the sender.
pub(crate) fn about_the_person(d: &ReferralData) -> Vec<FormSection> {
    let l = labels(d.language);
    let sender = referrer_section(d, l).title;
    sections(d, l)
        .into_iter()
        .filter(|s| s.title != sender)
        .map(|mut s| {
            if let Some((number, title)) = s.title.split_once(". ") {
                if number.chars().all(|c| c.is_ascii_digit()) {
                    s.title = title.to_string();
                }
            }
            if s.title == l.contact {
                s.warning = None;
                for t in &mut s.texts {
                    if t == l.not_recorded {
                        *t = l.nothing_recorded.to_string();
                    }
                }
                // "NO — do not call" is said to a receiver; the person reads their own answer.
                for r in &mut s.rows {
                    if r.value.starts_with(l.no_caps) {
                        r.value = l.no.to_string();
                    } else if r.value.starts_with(l.unknown_caps) {
                        r.value = l.nothing_recorded.to_string();
                    }
                }
            }
            s
        })
        .collect()
}

/// The person section's rows for the children and counsel, in `lang`: the access export marks
/// them when what they hold was withheld (an empty row would read "not recorded").
pub(crate) fn children_and_counsel(lang: FormLanguage) -> (&'static str, &'static str) {
    let l = labels(lang);
    (l.children, l.counsel)
}

/// A date as the language writes it: 30.11.2026, 30 November 2026.
pub(crate) fn local_date(d: NaiveDate, lang: FormLanguage) -> String {
    date(d, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(method: ContactMethod, call: Option<bool>, write: Option<bool>) -> SafeContact {
        SafeContact {
            method,
            details: "+358 40 123 4567".into(),
            safe_to_call: call,
            safe_to_write: write,
            note: String::new(),
        }
    }

    #[test]
    fn the_way_to_contact_says_beside_the_number_what_may_not_be_done_with_it() {
        let en = FormLanguage::En;
        let l = labels(en);
        let says = |method, call, write| with_limits(l, &contact(method, call, write), en);
        use ContactMethod::{Email, Phone, ThroughCaseworker};
        assert_eq!(
            says(Phone, Some(false), Some(true)),
            "Phone number (messages only, no calls)"
        );
        assert_eq!(
            says(Phone, Some(true), Some(false)),
            "Phone number (calls only, no messages)"
        );
        assert_eq!(
            says(Phone, Some(false), Some(false)),
            "Phone number (no contact this way)"
        );
        assert_eq!(
            says(Phone, None, None),
            "Phone number (no contact this way)"
        );
        assert_eq!(says(Phone, Some(true), Some(true)), "Phone number");
        assert_eq!(
            says(Email, Some(true), Some(false)),
            "E-mail address (no contact this way)"
        );
        assert_eq!(says(Email, Some(false), Some(true)), "E-mail address");
        assert_eq!(
            says(ThroughCaseworker, Some(false), Some(false)),
            "Through the caseworker"
        );
    }
}
