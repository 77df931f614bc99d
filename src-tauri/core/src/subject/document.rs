//! subject.html: what is held about the person, for them to read, in their language: the same
//! sections, labels and date format as the referral form, then the records only the organisation
//! keeps, who received the data, and what was withheld and why (never what it was).

use chrono::NaiveDate;

use super::review::{ItemCategory, Withheld};
use crate::cases::CaseView;
use crate::disclosures::Disclosure;
use crate::error::Result;
use crate::model::{FieldGroup, InterviewStatus};
use crate::referral::FormSection;
use crate::referral::Mode;
use crate::referral::data::{self, Chosen, ConsentPart, Referrer};
use crate::referral::form::{
    about_the_person, children_and_counsel, escape, local_date, page, section_html,
};
use crate::referrers::ContactCard;
use crate::words::{FormLanguage, Words};

struct Headings {
    title: &'static str,
    intro: &'static str,
    rights: &'static str,
    withheld_intro: &'static str,
    left_out: &'static str,
    left_out_row: &'static str,
    holder: &'static str,
    organisation: &'static str,
    phone: &'static str,
    email: &'static str,
    caseworker: &'static str,
    case_number: &'static str,
    exported: &'static str,
    support: &'static str,
    tasks: &'static str,
    due: &'static str,
    done: &'static str,
    notes: &'static str,
    notifications: &'static str,
    recipients: &'static str,
    no_one: &'static str,
    withheld: &'static str,
    because: &'static str,
}

fn headings(language: FormLanguage) -> Headings {
    match language {
        FormLanguage::Fi => Headings {
            title: "Sinusta tallennetut tiedot",
            intro: "Tämä on kopio tiedoista, jotka sinusta on tallennettu, ja luettelo niistä, joille tietojasi on luovutettu (EU:n tietosuoja-asetus, 15 artikla). Koneluettava versio on tiedostossa subject.json.",
            withheld_intro: "Osa tiedoista on jätetty pois muiden ihmisten oikeuksien, jonkun turvallisuuden tai rikoksen selvittämisen vuoksi (tietosuoja-asetuksen 15 artiklan 4 kohta, tietosuojalain 34 §). Ne on lueteltu lopussa syineen. Voit pyytää, että pois jätetyt tiedot annetaan tietosuojavaltuutetulle, joka voi arvioida, onko niiden pois jättäminen lainmukaista (tietosuojalain 34 §).",
            rights: "Käsittelemme tietojasi, jotta voimme tukea sinua ja suostumuksellasi ohjata sinut auttamisjärjestelmään tai muualle avun piiriin. Sinulla on oikeus pyytää virheellisten tietojen korjaamista ja tietojen poistamista sekä tehdä valitus tietosuojavaltuutetulle (tietosuoja.fi).",
            left_out: "Osa tiedoista on jätetty pois, koska niiden antaminen voisi vaarantaa jonkun turvallisuuden tai oikeudet (tietosuoja-asetuksen 15 artiklan 4 kohta, tietosuojalain 34 §). Voit pyytää, että pois jätetyt tiedot annetaan tietosuojavaltuutetulle, joka voi arvioida, onko niiden pois jättäminen lainmukaista.",
            left_out_row: "Jätetty pois (ks. Pois jätetyt tiedot)",
            holder: "Kuka tietojasi käsittelee",
            organisation: "Organisaatio",
            phone: "Puhelin",
            email: "Sähköposti",
            caseworker: "Työntekijä",
            case_number: "Asianumero",
            exported: "Kopio tehty",
            support: "Annettu tuki",
            tasks: "Tehtävät ja määräajat",
            due: "määräaika",
            done: "tehty",
            notes: "Muistiinpanot",
            notifications: "Lakisääteiset ilmoitukset",
            recipients: "Kenelle tietojasi on luovutettu",
            no_one: "Ei kenellekään.",
            withheld: "Pois jätetyt tiedot",
            because: "syy",
        },
        FormLanguage::Sv => Headings {
            title: "Uppgifter som sparats om dig",
            intro: "Detta är en kopia av uppgifterna som sparats om dig och en förteckning över dem som dina uppgifter har lämnats ut till (EU:s dataskyddsförordning, artikel 15). En maskinläsbar version finns i filen subject.json.",
            withheld_intro: "En del uppgifter har utelämnats med hänsyn till andras rättigheter, någons säkerhet eller utredningen av ett brott (artikel 15.4 i dataskyddsförordningen, 34 § i dataskyddslagen). De räknas upp i slutet med skälet. Du kan begära att de utelämnade uppgifterna lämnas till dataombudsmannen, som kan bedöma om utelämnandet är lagligt (34 § i dataskyddslagen).",
            rights: "Vi behandlar dina uppgifter för att kunna stödja dig och, med ditt samtycke, hänvisa dig till hjälpsystemet eller annan hjälp. Du har rätt att begära att felaktiga uppgifter rättas och att uppgifterna raderas samt att lämna klagomål till dataombudsmannen (tietosuoja.fi/sv).",
            left_out: "En del uppgifter har utelämnats, eftersom det kunde äventyra någons säkerhet eller rättigheter att lämna ut dem (artikel 15.4 i dataskyddsförordningen, 34 § i dataskyddslagen). Du kan begära att de utelämnade uppgifterna lämnas till dataombudsmannen, som kan bedöma om utelämnandet är lagligt.",
            left_out_row: "Utelämnat (se Utelämnade uppgifter)",
            holder: "Vem som behandlar dina uppgifter",
            organisation: "Organisation",
            phone: "Telefon",
            email: "E-post",
            caseworker: "Handläggare",
            case_number: "Ärendenummer",
            exported: "Kopian gjord",
            support: "Stöd som getts",
            tasks: "Uppgifter och tidsfrister",
            due: "senast",
            done: "gjort",
            notes: "Anteckningar",
            notifications: "Lagstadgade anmälningar",
            recipients: "Till vem dina uppgifter har lämnats ut",
            no_one: "Till ingen.",
            withheld: "Utelämnade uppgifter",
            because: "skäl",
        },
        FormLanguage::En => Headings {
            title: "The information held about you",
            intro: "This is a copy of the information held about you, and a list of everyone your information was disclosed to (EU General Data Protection Regulation, Article 15). A machine-readable copy is in the file subject.json.",
            withheld_intro: "Some information has been left out to protect other people's rights, someone's safety or the investigation of a crime (GDPR Article 15(4); Finnish Data Protection Act, section 34). It is listed at the end with the reason. You can ask for what was left out to be given to the Data Protection Ombudsman, who can assess whether leaving it out was lawful (Data Protection Act, section 34).",
            rights: "We process your information to support you and, with your consent, to refer you to the Assistance System or other help. You have the right to ask for wrong information to be corrected and for your information to be erased, and to complain to the Data Protection Ombudsman (tietosuoja.fi/en).",
            left_out: "Some information has been left out, because giving it could endanger someone's safety or rights (GDPR Article 15(4); Finnish Data Protection Act, section 34). You can ask for what was left out to be given to the Data Protection Ombudsman, who can assess whether leaving it out was lawful.",
            left_out_row: "Left out (see Information left out)",
            holder: "Who holds your information",
            organisation: "Organisation",
            phone: "Phone",
            email: "E-mail",
            caseworker: "Caseworker",
            case_number: "Case number",
            exported: "Copy made",
            support: "Support given",
            tasks: "Tasks and deadlines",
            due: "due",
            done: "done",
            notes: "Notes",
            notifications: "Notifications required by law",
            recipients: "To whom your information was disclosed",
            no_one: "To no one.",
            withheld: "Information left out",
            because: "reason",
        },
    }
}

/// What the document is made from, every part already reviewed.
pub(super) struct Parts<'a> {
    pub view: &'a CaseView,
    pub sent: &'a [Disclosure],
    pub withheld: &'a [Withheld],
    /// List each withheld item in the copy, or say only that something was left out.
    pub list_withheld: bool,
    pub organisation: &'a str,
    pub contact: &'a ContactCard,
    pub language: FormLanguage,
    pub today: NaiveDate,
}

/// The page.
pub(super) fn html(p: &Parts<'_>) -> Result<String> {
    let lang = p.language;
    let h = headings(lang);
    let view = p.view;
    let mut body = format!("<h1>{}</h1>\n<p>{}</p>\n", escape(h.title), escape(h.intro));
    body.push_str(&format!("<p>{}</p>\n", escape(h.rights)));
    if !p.withheld.is_empty() {
        let said = if p.list_withheld {
            h.withheld_intro
        } else {
            h.left_out
        };
        body.push_str(&format!("<p>{}</p>\n", escape(said)));
    }
    let case = &view.case.record;
    let holder = FormSection::new(h.holder)
        .row(h.organisation, p.organisation)
        .row(h.phone, p.contact.phone.clone())
        .row(h.email, p.contact.email.clone())
        .row(h.caseworker, case.details.caseworker.clone())
        .row(h.case_number, case.number.to_string())
        .row(h.exported, local_date(p.today, lang));
    section_html(&mut body, &holder, 2);

    // A row emptied by the review would read "not recorded": it says "left out" instead, or
    // goes when the copy does not list what was left out.
    let (children, counsel) = children_and_counsel(lang);
    let out = |category| p.withheld.iter().any(|w| w.category == category);
    let marked = [
        (children, out(ItemCategory::Child)),
        (counsel, out(ItemCategory::Counsel)),
    ];
    for mut s in about_the_person(&form_data(p)?) {
        let person = s.rows.iter().any(|r| r.label == children);
        // Without the list, no children reads the same whether none were recorded or all were
        // left out: no row.
        if person && !p.list_withheld && view.person.record.children_in_finland.is_empty() {
            s.rows.retain(|r| r.label != children);
        }
        for (label, gone) in marked {
            if !gone || !person {
                continue;
            }
            let at = s.rows.iter().position(|r| r.label == label);
            let none_left = view.person.record.children_in_finland.is_empty();
            match at {
                Some(i) if label == children && none_left && !p.list_withheld => {
                    s.rows.remove(i);
                }
                Some(_) if label == children && !p.list_withheld => {}
                Some(i) if label == children && none_left => {
                    s.rows[i].value = h.left_out_row.to_string();
                }
                Some(i) if label == children && p.list_withheld => {
                    s.rows[i].value = format!("{}; {}", s.rows[i].value, h.left_out_row);
                }
                None if p.list_withheld => s.rows.push(crate::referral::FormRow {
                    label: label.to_string(),
                    value: h.left_out_row.to_string(),
                }),
                _ => {}
            }
        }
        section_html(&mut body, &s, 2);
    }

    let mut support = FormSection::new(h.support);
    for s in &view.support_actions {
        let r = &s.record;
        support = support.text(
            [
                local_date(r.date, lang),
                r.kind.label(lang).to_string(),
                r.provider.clone().unwrap_or_default(),
                r.description.clone(),
            ]
            .into_iter()
            .filter(|v| !v.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        );
    }
    let mut tasks = FormSection::new(h.tasks);
    for t in &view.tasks {
        let r = &t.record;
        let when = match r.done {
            Some(done) => format!("{} {}", h.done, local_date(done, lang)),
            None => format!("{} {}", h.due, local_date(r.due, lang)),
        };
        tasks = tasks.text(format!("{} ({when})", r.title));
    }
    let mut notes = FormSection::new(h.notes);
    for n in &view.notes {
        notes = notes.text(format!(
            "{}: {}",
            local_date(n.saved_at.date_naive(), lang),
            n.record.text
        ));
    }
    let mut notifications = FormSection::new(h.notifications);
    for n in &view.notifications {
        let r = &n.record;
        notifications = notifications.text(format!(
            "{} · {} · {}: {}",
            local_date(r.date, lang),
            r.kind.label(lang),
            r.authority,
            r.what_was_told
        ));
    }
    let mut recipients = FormSection::new(h.recipients);
    if p.sent.is_empty() {
        recipients = recipients.text(h.no_one);
    }
    for d in p.sent {
        recipients = recipients.text(format!(
            "{} · {} · {}",
            local_date(d.sent_at.date_naive(), lang),
            d.recipient,
            d.field_groups
                .iter()
                .map(|g| g.label(lang))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut withheld = FormSection::new(h.withheld);
    for w in p.withheld.iter().filter(|_| p.list_withheld) {
        let number = w
            .item
            .rsplit(':')
            .next()
            .filter(|n| n.parse::<u32>().is_ok());
        withheld = withheld.text(format!(
            "{}{} \u{2013} {}: {}",
            w.category.label(lang),
            number.map(|n| format!(" ({n})")).unwrap_or_default(),
            h.because,
            w.reason.label(lang)
        ));
    }
    for s in [support, tasks, notes, notifications, recipients, withheld] {
        if !s.texts.is_empty() {
            section_html(&mut body, &s, 2);
        }
    }
    Ok(page(lang, h.title, &body))
}

/// The person's records as the referral form has them, every group of the reviewed case: the
/// same sections, labels and dates a receiver reads. Drafts are the person's data too, so every
/// interview counts as finished here.
fn form_data(p: &Parts<'_>) -> Result<data::ReferralData> {
    // Every group a person's record has (the list the words are given for), then each document.
    let mut groups = FieldGroup::EVERY.to_vec();
    groups.extend(
        p.view
            .attachments
            .iter()
            .map(|a| FieldGroup::Attachment(a.id)),
    );
    let consents: Vec<ConsentPart> = p.view.consents.iter().map(ConsentPart::from).collect();
    let mut view = p.view.clone();
    for i in &mut view.interviews {
        i.record.status = InterviewStatus::Final;
    }
    data::build(
        &view,
        Chosen {
            mode: Mode::Report,
            groups: &groups,
            consents: &consents,
            notification: None,
        },
        Referrer {
            organisation: p.organisation.to_string(),
            caseworker: None,
            date: p.today,
            organisation_contact: None,
            caseworker_contact: None,
        },
        p.language,
        None,
    )
}
