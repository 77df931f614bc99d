//! The human-readable forms of a package's data: the printable `referral.html`, laid out like the
//! official Finnish referral (person, referrer, account, attachments, consent), and the plain-text
//! preview a caseworker reads before sending. Both come from one list of sections, in fi, sv or en.
//! Codes are shown as their HTCDS names, which the receiving desk uses.

use super::Mode;
use super::data::{AgeGroup, FormLanguage, ReferralData, Statement};
use crate::model::{Birth, Consent};

struct Labels {
    referral: &'static str,
    consultation: &'static str,
    report: &'static str,
    urgent: &'static str,
    person: &'static str,
    referrer: &'static str,
    account: &'static str,
    observations: &'static str,
    attachments: &'static str,
    consent: &'static str,
    indicators: &'static str,
    needs: &'static str,
    police: &'static str,
    health: &'static str,
    exploiters: &'static str,
    names: &'static str,
    birth: &'static str,
    born_about: &'static str,
    age_group: &'static str,
    age: [&'static str; 3],
    gender: &'static str,
    citizenship: &'static str,
    contact: &'static str,
    residence: &'static str,
    migri: &'static str,
    counsel: &'static str,
    languages: &'static str,
    interpreter_needed: &'static str,
    children: &'static str,
    organisation: &'static str,
    caseworker: &'static str,
    date: &'static str,
    case_number: &'static str,
    interpreter: &'static str,
    given_by: &'static str,
    representative: &'static str,
    information: &'static str,
    expires: &'static str,
    groups: &'static str,
    yes: &'static str,
    no: &'static str,
    none: &'static str,
    package: &'static str,
    phone_note: &'static str,
    consent_id: &'static str,
    police_reported: &'static str,
    police_unit: &'static str,
    /// Danger, accommodation, health care, money.
    need: [&'static str; 4],
}

const FI: Labels = Labels {
    referral: "Esitys/Hakemus ihmiskaupan uhrien auttamisjärjestelmään",
    consultation: "Nimetön konsultaatio ihmiskaupan uhrien auttamisjärjestelmälle",
    report: "Tietoja poliisille",
    urgent: "KIIREELLINEN: soita vastaanottajalle myös puhelimella",
    person: "1. Henkilö",
    referrer: "2. Esittäjä",
    account: "3. Henkilön oma kertomus",
    observations: "Työntekijän omat havainnot",
    attachments: "4. Liitteet",
    consent: "5. Suostumus",
    indicators: "Indikaattorit ja luokitukset (HTCDS)",
    needs: "Välittömät tarpeet",
    police: "Poliisin tilanne",
    health: "Terveys",
    exploiters: "Hyväksikäyttäjät ja tapahtumat",
    names: "Nimet",
    birth: "Syntymäaika",
    born_about: "arviolta",
    age_group: "Ikäryhmä",
    age: ["aikuinen", "lapsi", "ikä epävarma (käsitellään lapsena)"],
    gender: "Sukupuoli",
    citizenship: "Kansalaisuus",
    contact: "Turvallinen yhteydenpito",
    residence: "Oleskeluasema",
    migri: "Migrin asiakasnumero",
    counsel: "Avustaja",
    languages: "Kielet",
    interpreter_needed: "Tulkin tarve",
    children: "Lapset Suomessa",
    organisation: "Organisaatio",
    caseworker: "Työntekijä",
    date: "Päivämäärä",
    case_number: "Asianumero",
    interpreter: "Tulkki",
    given_by: "Suostumuksen antaja",
    representative: "Huoltaja tai edustaja",
    information: "Näytetty tietoteksti",
    expires: "Voimassa asti",
    groups: "Tietoryhmät",
    yes: "kyllä",
    no: "ei",
    none: "ei ole",
    package: "Paketti",
    phone_note: "Soita vastaanottajalle myös puhelimitse, kiireellisessä asiassa ensin.",
    consent_id: "Suostumuksen tunniste",
    police_reported: "Ilmoitettu poliisille",
    police_unit: "Poliisiyksikkö",
    need: ["vaara", "majoitus", "terveydenhuolto", "rahat"],
};

const SV: Labels = Labels {
    referral: "Förslag/Ansökan till hjälpsystemet för offer för människohandel",
    consultation: "Anonym konsultation med hjälpsystemet för offer för människohandel",
    report: "Uppgifter till polisen",
    urgent: "BRÅDSKANDE: ring också mottagaren",
    person: "1. Personen",
    referrer: "2. Den som gör förslaget",
    account: "3. Personens egen berättelse",
    observations: "Arbetstagarens egna iakttagelser",
    attachments: "4. Bilagor",
    consent: "5. Samtycke",
    indicators: "Indikatorer och klassificeringar (HTCDS)",
    needs: "Omedelbara behov",
    police: "Polisens situation",
    health: "Hälsa",
    exploiters: "Exploatörer och händelser",
    names: "Namn",
    birth: "Födelsedatum",
    born_about: "uppskattat",
    age_group: "Åldersgrupp",
    age: ["vuxen", "barn", "osäker ålder (behandlas som barn)"],
    gender: "Kön",
    citizenship: "Medborgarskap",
    contact: "Säker kontakt",
    residence: "Uppehållsstatus",
    migri: "Migris kundnummer",
    counsel: "Biträde",
    languages: "Språk",
    interpreter_needed: "Behov av tolk",
    children: "Barn i Finland",
    organisation: "Organisation",
    caseworker: "Arbetstagare",
    date: "Datum",
    case_number: "Ärendenummer",
    interpreter: "Tolk",
    given_by: "Samtycket gavs av",
    representative: "Vårdnadshavare eller företrädare",
    information: "Informationstext som visades",
    expires: "Gäller till",
    groups: "Uppgiftsgrupper",
    yes: "ja",
    no: "nej",
    none: "inga",
    package: "Paket",
    phone_note: "Ring också mottagaren, först om det är brådskande.",
    consent_id: "Samtyckets id",
    police_reported: "Anmält till polisen",
    police_unit: "Polisenhet",
    need: ["fara", "inkvartering", "hälso- och sjukvård", "pengar"],
};

const EN: Labels = Labels {
    referral: "Referral/Application to the Assistance System for Victims of Human Trafficking",
    consultation: "Anonymous consultation with the Assistance System for Victims of Human Trafficking",
    report: "Information to the police",
    urgent: "URGENT: phone the recipient as well",
    person: "1. Person",
    referrer: "2. Referrer",
    account: "3. The person's own account",
    observations: "The caseworker's own observations",
    attachments: "4. Attachments",
    consent: "5. Consent",
    indicators: "Indicators and codes (HTCDS)",
    needs: "Immediate needs",
    police: "Police status",
    health: "Health",
    exploiters: "Exploiters and events",
    names: "Names",
    birth: "Date of birth",
    born_about: "estimated",
    age_group: "Age group",
    age: ["adult", "child", "age uncertain (treated as a child)"],
    gender: "Gender",
    citizenship: "Citizenship",
    contact: "Safe contact",
    residence: "Residence status",
    migri: "Migri client number",
    counsel: "Counsel",
    languages: "Languages",
    interpreter_needed: "Interpreter needed",
    children: "Children in Finland",
    organisation: "Organisation",
    caseworker: "Caseworker",
    date: "Date",
    case_number: "Case number",
    interpreter: "Interpreter",
    given_by: "Consent given by",
    representative: "Guardian or representative",
    information: "Information text shown",
    expires: "Valid until",
    groups: "Field groups",
    yes: "yes",
    no: "no",
    none: "none",
    package: "Package",
    phone_note: "Phone the recipient as well, and first when it is urgent.",
    consent_id: "Consent id",
    police_reported: "Reported to the police",
    police_unit: "Police unit",
    need: ["danger", "accommodation", "health care", "money"],
};

fn labels(language: FormLanguage) -> &'static Labels {
    match language {
        FormLanguage::Fi => &FI,
        FormLanguage::Sv => &SV,
        FormLanguage::En => &EN,
    }
}

/// One titled part of the form: label-value rows, then paragraphs of free text.
struct Section {
    title: &'static str,
    rows: Vec<(&'static str, String)>,
    texts: Vec<String>,
}

impl Section {
    fn new(title: &'static str) -> Section {
        Section {
            title,
            rows: Vec::new(),
            texts: Vec::new(),
        }
    }
    fn row(mut self, label: &'static str, value: impl Into<String>) -> Section {
        let value = value.into();
        if !value.trim().is_empty() {
            self.rows.push((label, value));
        }
        self
    }
}

fn code(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn yes_no(l: &Labels, b: bool) -> &'static str {
    if b { l.yes } else { l.no }
}

fn statements(l: &Labels, title: &'static str, items: &[Statement]) -> Section {
    let mut s = Section::new(title);
    for item in items {
        let mut head = code(&item.stage);
        if let Some(lang) = &item.language {
            head.push_str(&format!(", {}", lang.as_str()));
        }
        if let Some(i) = &item.interpreter {
            head.push_str(&format!(", {}: {i}", l.interpreter));
        }
        s.texts.push(format!("[{head}] {}", item.text));
    }
    s
}

fn consent_section(l: &Labels, id: String, c: &Consent) -> Section {
    let mut s = Section::new(l.consent)
        .row(l.consent_id, id)
        .row(l.date, c.date.to_string())
        .row(l.given_by, code(&c.given_by))
        .row(
            l.groups,
            c.field_groups
                .iter()
                .map(super::gate::group_name)
                .collect::<Vec<_>>()
                .join(", "),
        );
    if let Some(r) = &c.representative {
        s = s.row(l.representative, format!("{} ({})", r.name, code(&r.role)));
    }
    if let Some(i) = &c.information {
        s = s.row(
            l.information,
            format!("{} ({})", i.version, i.language.as_str()),
        );
    }
    if let Some(i) = &c.interpreter {
        s = s.row(l.interpreter, i.clone());
    }
    if let Some(e) = c.expires {
        s = s.row(l.expires, e.to_string());
    }
    s
}

fn sections(d: &ReferralData, l: &Labels) -> Vec<Section> {
    let mut out = Vec::new();
    let mut person = Section::new(l.person).row(
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
                i.names
                    .iter()
                    .map(|n| format!("{} ({})", n.name, code(&n.kind)))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .row(
                l.birth,
                match i.birth {
                    Some(Birth::Date(d)) => d.to_string(),
                    Some(Birth::EstimatedYear(y)) => format!("{} {y}", l.born_about),
                    None => String::new(),
                },
            )
            .row(
                l.gender,
                i.gender.map(|g| g.to_string()).unwrap_or_default(),
            )
            .row(
                l.citizenship,
                i.citizenships
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
    }
    if let Some(c) = &d.contact {
        person = person.row(
            l.contact,
            c.as_ref()
                .map(|c| format!("{}: {} {}", code(&c.method), c.details, c.note))
                .unwrap_or_else(|| l.none.to_string()),
        );
    }
    if let Some(s) = &d.status {
        person = person
            .row(
                l.residence,
                s.residence_status
                    .as_ref()
                    .map(|r| format!("{} {}", code(&r.kind), r.details))
                    .unwrap_or_default(),
            )
            .row(l.migri, s.migri_client_number.clone().unwrap_or_default())
            .row(
                l.counsel,
                s.counsel
                    .as_ref()
                    .map(|c| format!("{} {}", c.name, c.contact))
                    .unwrap_or_default(),
            );
    }
    if let Some(langs) = &d.languages {
        person = person
            .row(
                l.languages,
                langs
                    .languages
                    .iter()
                    .map(|s| format!("{} ({})", s.language.as_str(), code(&s.proficiency)))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .row(l.interpreter_needed, yes_no(l, langs.interpreter_needed));
    }
    if let Some(children) = &d.children {
        person = person.row(
            l.children,
            if children.is_empty() {
                l.none.to_string()
            } else {
                children
                    .iter()
                    .map(|c| match c.birth_date {
                        Some(b) => format!("{} ({b})", c.name),
                        None => c.name.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
    }
    out.push(person);
    out.push(
        Section::new(l.referrer)
            .row(l.organisation, d.referrer.organisation.clone())
            .row(
                l.caseworker,
                d.referrer.caseworker.clone().unwrap_or_default(),
            )
            .row(l.date, d.referrer.date.to_string())
            .row(l.case_number, d.case_number.clone().unwrap_or_default()),
    );
    if let Some(a) = &d.account {
        out.push(statements(l, l.account, a));
    }
    if let Some(o) = &d.observations {
        out.push(statements(l, l.observations, o));
    }
    if let Some(i) = &d.indicators {
        let mut s = Section::new(l.indicators)
            .row(
                "vic_TypeOfExploitation",
                i.exploitation_types
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .row(
                "vic_MethodsOfControl",
                i.methods_of_control
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        s.texts = i
            .answers
            .iter()
            .map(|a| {
                format!(
                    "{}: {} ({})",
                    code(&a.indicator),
                    code(&a.answer),
                    code(&a.source)
                )
            })
            .collect();
        out.push(s);
    }
    if let Some(n) = &d.needs {
        let flags: Vec<&str> = [n.danger, n.accommodation, n.health_care, n.money]
            .into_iter()
            .zip(l.need)
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
        let mut s = Section::new(l.needs);
        s.texts.push(if flags.is_empty() {
            l.none.to_string()
        } else {
            flags.join(", ")
        });
        if !n.note.trim().is_empty() {
            s.texts.push(n.note.clone());
        }
        out.push(s);
    }
    if let Some(p) = &d.police_status {
        out.push(
            Section::new(l.police)
                .row(l.police_reported, yes_no(l, p.reported))
                .row(l.police_unit, p.unit.clone().unwrap_or_default())
                .row(l.case_number, p.case_number.clone().unwrap_or_default()),
        );
    }
    if let Some(h) = &d.health {
        let mut s = Section::new(l.health);
        s.texts.push(h.clone());
        out.push(s);
    }
    if let Some(e) = &d.exploiters {
        let mut s = Section::new(l.exploiters);
        for x in &e.exploiters {
            s.texts.push(
                [
                    x.name.clone(),
                    x.phones.join(", "),
                    x.vehicles.join(", "),
                    x.addresses.join(", "),
                    x.websites.join(", "),
                    x.note.clone(),
                ]
                .into_iter()
                .filter(|v| !v.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            );
        }
        for ev in &e.events {
            s.texts.push(
                [
                    code(&ev.kind),
                    ev.date.map(|d| d.to_string()).unwrap_or_default(),
                    ev.city.clone().unwrap_or_default(),
                    ev.country
                        .as_ref()
                        .map(|c| c.to_string())
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
    if d.mode != Mode::Consultation {
        let mut s = Section::new(l.attachments);
        s.texts = if d.attachments.is_empty() {
            vec![l.none.to_string()]
        } else {
            d.attachments
                .iter()
                .map(|a| {
                    format!(
                        "{} ({}, {} B, SHA-256 {})",
                        a.name, a.media_type, a.size, a.sha256
                    )
                })
                .collect()
        };
        out.push(s);
        for c in &d.consents {
            out.push(consent_section(l, c.id.to_string(), &c.consent));
        }
    }
    out
}

fn title(d: &ReferralData, l: &Labels) -> &'static str {
    match d.mode {
        Mode::Referral => l.referral,
        Mode::Consultation => l.consultation,
        Mode::Report => l.report,
    }
}

/// The preview a caseworker reads before sending: exactly the data, as text.
pub fn text(d: &ReferralData) -> String {
    let l = labels(d.language);
    let mut out = format!("{}\n", title(d, l));
    if d.urgent {
        out.push_str(&format!("{}\n", l.urgent));
    }
    for s in sections(d, l) {
        out.push_str(&format!("\n{}\n", s.title));
        for (label, value) in &s.rows {
            out.push_str(&format!("  {label}: {value}\n"));
        }
        for t in &s.texts {
            out.push_str(&format!("  {t}\n"));
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// `referral.html`: self-contained (no script, no remote anything), printable.
pub fn html(d: &ReferralData, package: &str) -> String {
    let l = labels(d.language);
    let lang = code(&d.language);
    let mut body = format!("<h1>{}</h1>\n", escape(title(d, l)));
    if d.urgent {
        body.push_str(&format!("<p class=\"urgent\">{}</p>\n", escape(l.urgent)));
    }
    body.push_str(&format!("<p class=\"note\">{}</p>\n", escape(l.phone_note)));
    for s in sections(d, l) {
        body.push_str(&format!("<section>\n<h2>{}</h2>\n", escape(s.title)));
        if !s.rows.is_empty() {
            body.push_str("<table>\n");
            for (label, value) in &s.rows {
                body.push_str(&format!(
                    "<tr><th>{}</th><td>{}</td></tr>\n",
                    escape(label),
                    escape(value)
                ));
            }
            body.push_str("</table>\n");
        }
        for t in &s.texts {
            body.push_str(&format!("<p>{}</p>\n", escape(t)));
        }
        body.push_str("</section>\n");
    }
    body.push_str(&format!(
        "<footer>{}: {}</footer>\n",
        escape(l.package),
        escape(package)
    ));
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
        title = escape(title(d, l)),
    )
}
