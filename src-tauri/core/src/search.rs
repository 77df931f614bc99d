//! Search as you type over case overviews, held only in memory (built at unlock, dropped on lock,
//! never written to disk). Matching ignores case and diacritics and transliterates other scripts
//! (Mäkinen = makinen, Åström = astrom, Олена = olena); every word typed must be the start of a word
//! of the case; exact words rank above prefixes, names above other fields, newer cases first.

use std::collections::HashMap;

use crate::cases::CaseOverview;
use crate::ids::CaseId;

/// Which part of a case a word came from; earlier fields rank higher.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Name,
    OtherName,
    CaseNumber,
    Citizenship,
    Caseworker,
    Status,
}

impl Field {
    fn weight(self) -> u32 {
        match self {
            Field::Name => 60,
            Field::OtherName => 50,
            Field::CaseNumber => 40,
            Field::Citizenship | Field::Caseworker | Field::Status => 10,
        }
    }
}

/// The search index. Each distinct word is held once, sorted, so a prefix is a binary search plus
/// a short scan; the cases a word occurs in follow in one flat list. (A word per occurrence, as a
/// first version held them, took most of a 100,000-case index's memory: case numbers, countries
/// and caseworkers repeat.)
pub struct SearchIndex {
    cases: Vec<CaseOverview>,
    /// Distinct normalised words, sorted, each with where its postings start.
    words: Vec<(Box<str>, u32)>,
    /// (index into `cases`, field) per occurrence, grouped by word in the order of `words`.
    postings: Vec<(u32, Field)>,
}

/// Lower-case ASCII, diacritics removed, other scripts transliterated; split into words.
pub fn normalise(text: &str) -> Vec<String> {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The index holds the names of every person in the vault in plaintext: when the vault locks
/// (the session drops it) they are overwritten, not left in freed memory.
impl Drop for SearchIndex {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl SearchIndex {
    fn wipe(&mut self) {
        use zeroize::Zeroize;
        for case in &mut self.cases {
            case.name.zeroize();
            case.other_names.zeroize();
            case.citizenships.zeroize();
            case.caseworker.zeroize();
        }
        for (word, _) in &mut self.words {
            word.as_mut().zeroize();
        }
    }
}

impl SearchIndex {
    pub fn build(cases: Vec<CaseOverview>) -> SearchIndex {
        let mut by_word: HashMap<String, Vec<(u32, Field)>> = HashMap::new();
        for (i, c) in cases.iter().enumerate() {
            let i = i as u32;
            let mut add = |text: &str, field: Field| {
                for w in normalise(text) {
                    by_word.entry(w).or_default().push((i, field));
                }
            };
            add(&c.name, Field::Name);
            for n in &c.other_names {
                add(n, Field::OtherName);
            }
            add(&c.number.to_string(), Field::CaseNumber);
            // "20260042" and "0042" find 2026-0042 as well as "2026-0042" does.
            add(
                &format!(
                    "{}{}{:04}",
                    c.number.year,
                    c.number.series.map(String::from).unwrap_or_default(),
                    c.number.serial
                ),
                Field::CaseNumber,
            );
            for code in &c.citizenships {
                add(code, Field::Citizenship);
                if let Ok(country) = code.parse::<crate::model::CountryCode>() {
                    add(country.english_name(), Field::Citizenship);
                }
            }
            add(&c.caseworker, Field::Caseworker);
            add(c.status.code(), Field::Status);
        }
        let mut sorted: Vec<(String, Vec<(u32, Field)>)> = by_word.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut words = Vec::with_capacity(sorted.len());
        let mut postings = Vec::with_capacity(sorted.iter().map(|(_, p)| p.len()).sum());
        for (word, mut occurrences) in sorted {
            occurrences.sort_unstable();
            occurrences.dedup();
            words.push((word.into_boxed_str(), postings.len() as u32));
            postings.extend(occurrences);
        }
        SearchIndex {
            cases,
            words,
            postings,
        }
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    /// Cases matching every word of `query`, best first; all cases (newest first) for an empty
    /// query.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&CaseOverview> {
        let terms = normalise(query);
        if terms.is_empty() {
            let mut all: Vec<&CaseOverview> = self.cases.iter().collect();
            all.sort_by_key(|c| std::cmp::Reverse(c.number));
            all.truncate(limit);
            return all;
        }
        // score[i] = None until case i matches the first term; each later term must match too.
        let mut scores: Option<Vec<(u32, u32)>> = None;
        for term in &terms {
            let mut hits: Vec<(u32, u32)> = Vec::new();
            for (word, occurrences) in self.prefix_range(term) {
                let exact = if word == term.as_str() { 20 } else { 0 };
                hits.extend(
                    occurrences
                        .iter()
                        .map(|&(case, field)| (case, field.weight() + exact)),
                );
            }
            hits.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            hits.dedup_by_key(|h| h.0);
            scores = Some(match scores {
                None => hits,
                Some(prev) => intersect(&prev, &hits),
            });
        }
        let mut found: Vec<(u32, u32)> = scores.unwrap_or_default();
        found.sort_unstable_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| {
                self.cases[b.0 as usize]
                    .number
                    .cmp(&self.cases[a.0 as usize].number)
            })
        });
        found
            .into_iter()
            .take(limit)
            .map(|(i, _)| &self.cases[i as usize])
            .collect()
    }

    pub fn get(&self, id: CaseId) -> Option<&CaseOverview> {
        self.cases.iter().find(|c| c.id == id)
    }

    /// Each word starting with `prefix`, with its postings.
    fn prefix_range<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a [(u32, Field)])> + 'a {
        let start = self.words.partition_point(|(w, _)| &**w < prefix);
        let len = self.words[start..].partition_point(|(w, _)| w.starts_with(prefix));
        (start..start + len).map(move |k| {
            let from = self.words[k].1 as usize;
            let to = self
                .words
                .get(k + 1)
                .map_or(self.postings.len(), |next| next.1 as usize);
            (&*self.words[k].0, &self.postings[from..to])
        })
    }
}

/// Cases in both sorted lists, their scores added.
fn intersect(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::ids::RecordId;
    use crate::model::CaseNumber;
    use crate::model::codes::CaseStatus;

    fn case(serial: u32, name: &str, others: &[&str], citizenship: &str) -> CaseOverview {
        CaseOverview {
            id: CaseId::new(),
            number: CaseNumber {
                year: 2026,
                serial,
                series: None,
            },
            name: name.into(),
            other_names: others.iter().map(|s| s.to_string()).collect(),
            citizenships: vec![citizenship.into()],
            status: CaseStatus::Active,
            exploitation_types: Vec::new(),
            caseworker: "Kaisa Virtanen".into(),
            opened: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            urgent: false,
            demo: false,
        }
    }

    #[test]
    fn locking_overwrites_the_names_the_index_held() {
        let mut idx = index();
        assert!(!idx.search("aino", 10).is_empty());
        idx.wipe();
        assert!(idx.cases.iter().all(|c| c.name.is_empty()
            && c.other_names.is_empty()
            && c.citizenships.is_empty()
            && c.caseworker.is_empty()));
        assert!(
            idx.words.iter().all(|(w, _)| w.bytes().all(|b| b == 0)),
            "every word overwritten in place"
        );
        assert!(idx.search("aino", 10).is_empty());
    }

    fn index() -> SearchIndex {
        SearchIndex::build(vec![
            case(1, "Aino Mäkinen", &[], "FI"),
            case(2, "Ingrid Åström", &["Inga"], "SE"),
            case(3, "Олена Шевченко", &[], "UA"),
            case(4, "Maria Makarova", &["Mimi"], "RO"),
            case(5, "Chidi Okafor", &["Mäki"], "NG"),
        ])
    }

    fn names(hits: Vec<&CaseOverview>) -> Vec<String> {
        hits.into_iter().map(|c| c.name.clone()).collect()
    }

    #[test]
    fn diacritics_and_case_are_ignored() {
        let idx = index();
        assert_eq!(names(idx.search("makinen", 10)), ["Aino Mäkinen"]);
        assert_eq!(names(idx.search("ASTROM", 10)), ["Ingrid Åström"]);
        assert_eq!(names(idx.search("Mäkinen", 10)), ["Aino Mäkinen"]);
    }

    #[test]
    fn other_scripts_are_found_in_latin_letters() {
        assert_eq!(names(index().search("olena", 10)), ["Олена Шевченко"]);
    }

    #[test]
    fn prefixes_match_and_names_rank_above_aliases() {
        // "mak" starts Mäkinen, Makarova and the alias Mäki: names first, newer case first.
        assert_eq!(
            names(index().search("mak", 10)),
            ["Maria Makarova", "Aino Mäkinen", "Chidi Okafor"]
        );
    }

    #[test]
    fn every_word_must_match() {
        let idx = index();
        assert_eq!(names(idx.search("aino mak", 10)), ["Aino Mäkinen"]);
        assert!(idx.search("aino okafor", 10).is_empty());
    }

    #[test]
    fn case_numbers_and_countries_are_searchable() {
        let idx = index();
        assert_eq!(names(idx.search("2026-0004", 10)), ["Maria Makarova"]);
        assert_eq!(names(idx.search("nigeria", 10)), ["Chidi Okafor"]);
    }

    #[test]
    fn an_empty_query_lists_newest_first() {
        let idx = index();
        assert_eq!(idx.search("  ", 2).len(), 2);
        assert_eq!(idx.search("", 10)[0].name, "Chidi Okafor");
    }
}
