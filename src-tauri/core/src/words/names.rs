//! Country and language names from the Unicode CLDR (generated into `cldr.rs` by
//! scripts/cldr-names), so that "UA" reads "Ukraina" and "uk" reads "ukraina" in a Finnish form,
//! never a code that a reader may take for another country.

use serde::Serialize;

use super::FormLanguage;
use super::cldr::{COUNTRIES, LANGUAGES};
use crate::model::{CountryCode, LanguageCode};

type Row = (&'static str, &'static str, &'static str, &'static str);

fn find(table: &'static [Row], code: &str) -> Option<&'static Row> {
    table
        .binary_search_by(|row| row.0.cmp(code))
        .ok()
        .map(|i| &table[i])
}

fn pick(row: &'static Row, lang: FormLanguage) -> &'static str {
    lang.pick([row.1, row.2, row.3])
}

/// The country's name in `lang`. Every ISO 3166 code a `CountryCode` accepts has one (tested); the
/// English short name of the standard stands in should a later standard add a country first.
pub fn country(code: &CountryCode, lang: FormLanguage) -> &'static str {
    find(&COUNTRIES, code.as_str()).map_or_else(|| code.english_name(), |row| pick(row, lang))
}

/// Languages spoken by people Silta's users meet that the CLDR names only with a region or
/// another code (Dari is its "fa-AF", Kurmanji its "ku") or not at all, by their ISO 639-3
/// codes, sorted: a Dari speaker recorded as "fa" would be given a Persian interpreter.
static SUPPLEMENT: [Row; 5] = [
    (
        "apc",
        "levantinarabia",
        "levantinsk arabiska",
        "Levantine Arabic",
    ),
    (
        "fse",
        "suomalainen viittomakieli",
        "finskt teckenspråk",
        "Finnish Sign Language",
    ),
    (
        "fss",
        "suomenruotsalainen viittomakieli",
        "finlandssvenskt teckenspråk",
        "Finland-Swedish Sign Language",
    ),
    (
        "kmr",
        "kurmandži (pohjoiskurdi)",
        "kurmanji (nordkurdiska)",
        "Kurmanji (Northern Kurdish)",
    ),
    ("prs", "dari", "dari", "Dari"),
];

/// The language's name in `lang`, when the CLDR or the supplement names it.
pub fn language(code: &LanguageCode, lang: FormLanguage) -> Option<&'static str> {
    find(&LANGUAGES, code.as_str())
        .or_else(|| find(&SUPPLEMENT, code.as_str()))
        .map(|row| pick(row, lang))
}

/// A code and its name in one language, for the app's pickers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Named {
    pub code: String,
    pub name: &'static str,
}

/// Every country and language a person record accepts, named in one language, so the app offers
/// names to choose from instead of asking for codes. Unsorted: the app sorts by its language's
/// collation.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Names {
    pub countries: Vec<Named>,
    pub languages: Vec<Named>,
}

pub fn names(lang: FormLanguage) -> Names {
    let named = |row: &'static Row| Named {
        code: row.0.to_owned(),
        name: pick(row, lang),
    };
    Names {
        countries: COUNTRIES
            .iter()
            .filter(|row| row.0.parse::<CountryCode>().is_ok())
            .map(named)
            .collect(),
        languages: LANGUAGES
            .iter()
            .chain(&SUPPLEMENT)
            .filter(|row| row.0.parse::<LanguageCode>().is_ok())
            .map(named)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FormLanguage::{En, Fi, Sv};

    fn c(code: &str) -> CountryCode {
        code.parse().unwrap()
    }
    fn l(code: &str) -> LanguageCode {
        code.parse().unwrap()
    }

    #[test]
    fn every_iso_3166_country_has_a_name_in_each_language() {
        for code in rust_iso3166::ALL_ALPHA2 {
            let row = find(&COUNTRIES, code);
            assert!(row.is_some(), "{code} has no CLDR name");
            for lang in FormLanguage::ALL {
                assert!(!pick(row.unwrap(), lang).is_empty());
            }
        }
    }

    #[test]
    fn countries_read_as_their_names_in_the_form_language() {
        assert_eq!(country(&c("FI"), Fi), "Suomi");
        assert_eq!(country(&c("FI"), Sv), "Finland");
        assert_eq!(country(&c("UA"), Fi), "Ukraina");
        assert_eq!(country(&c("GB"), En), "United Kingdom");
        assert_eq!(country(&c("RO"), Sv), "Rumänien");
    }

    #[test]
    fn a_language_code_is_never_read_as_a_country() {
        // "uk" is Ukrainian, not the United Kingdom.
        assert_eq!(language(&l("uk"), Fi), Some("ukraina"));
        assert_eq!(language(&l("uk"), Sv), Some("ukrainska"));
        assert_eq!(language(&l("uk"), En), Some("Ukrainian"));
        assert_eq!(language(&l("ro"), Fi), Some("romania"));
    }

    #[test]
    fn languages_the_cldr_lacks_as_codes_are_named_and_others_are_not() {
        assert_eq!(language(&l("ckb"), En), Some("Central Kurdish"));
        assert_eq!(language(&l("prs"), Fi), Some("dari"));
        assert_eq!(language(&l("fse"), Sv), Some("finskt teckenspråk"));
        assert_eq!(language(&l("qqq"), En), None);
        for (code, ..) in SUPPLEMENT {
            assert!(
                find(&LANGUAGES, code).is_none(),
                "{code} is in the CLDR table now"
            );
        }
    }

    #[test]
    fn the_pickers_offer_every_country_and_only_codes_a_record_accepts() {
        let names = names(Sv);
        assert_eq!(names.countries.len(), rust_iso3166::ALL_ALPHA2.len());
        assert!(
            names
                .countries
                .iter()
                .any(|n| n.code == "FI" && n.name == "Finland")
        );
        // CLDR's own regions (AC, Ascension) are not ISO 3166 codes.
        assert!(names.countries.iter().all(|n| n.code != "AC"));
        assert!(
            names
                .languages
                .iter()
                .any(|n| n.code == "uk" && n.name == "ukrainska")
        );
        assert!(names.languages.iter().any(|n| n.code == "prs"));
        assert!(
            names
                .languages
                .iter()
                .all(|n| n.code.parse::<LanguageCode>().is_ok())
        );
    }

    #[test]
    fn the_tables_are_sorted_for_binary_search() {
        for table in [&COUNTRIES[..], &LANGUAGES[..], &SUPPLEMENT[..]] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }
}
