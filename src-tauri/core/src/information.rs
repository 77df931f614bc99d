//! The information a person is given before they consent: what the Assistance System is and
//! offers, what a police report means, how the organisation keeps and erases their data, and
//! their rights. GDPR art. 4(11) and 7 make a consent valid only when informed, art. 12(1) asks
//! for clear and plain language, and the Assistance System asks referrers to tell the person
//! what it offers before they consent (ihmiskauppa.fi, "Asiakkaaksi auttamisjärjestelmään").
//!
//! The texts are Fluent files, one per language: Finnish, Swedish and English ship inside the
//! app; an organisation adds a language (or its own wording of a shipped one) by putting
//! `<code>.ftl` in the `information` folder beside the vault file, without a rebuild. Every
//! consent stores the version, language and SHA-256 of the file it was shown from, so what a
//! person read can be proved later even after the file changes.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::{InformationShown, LanguageCode, Purpose};

/// The name of the folder, beside the vault file, where an organisation puts its own texts.
pub const FOLDER: &str = "information";

/// A text file larger than this is not an information text (and would not be read aloud).
const MAX_FILE: u64 = 256 * 1024;
/// More files than this in the folder are not read: a folder full of junk must not stall the app.
const MAX_FILES: usize = 100;
/// A message longer than this, formatted, is not a paragraph anyone reads aloud; it also caps
/// what a hostile file can make Silta build by repeating one placeable.
const MAX_MESSAGE: usize = 32 * 1024;
/// Deeper `{` nesting is refused before parsing: the Fluent parser recurses once per level with
/// no limit of its own, so a few thousand would overflow the stack and abort the app
/// (projectfluent/fluent#284).
const MAX_NESTING: usize = 4;

const SHIPPED: [(&str, &str); 3] = [
    ("fi", include_str!("../information/fi.ftl")),
    ("sv", include_str!("../information/sv.ftl")),
    ("en", include_str!("../information/en.ftl")),
];

/// What the person may be told about, one section each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    AssistanceSystem,
    PoliceReport,
    DataKeeping,
    Rights,
}

impl Topic {
    const ALL: [Topic; 4] = [
        Topic::AssistanceSystem,
        Topic::PoliceReport,
        Topic::DataKeeping,
        Topic::Rights,
    ];

    fn message(self) -> &'static str {
        match self {
            Topic::AssistanceSystem => "assistance-system",
            Topic::PoliceReport => "police-report",
            Topic::DataKeeping => "data-keeping",
            Topic::Rights => "rights",
        }
    }

    /// What a consent of `purpose` must be preceded by: the recipient's part, then how the data
    /// is kept and the person's rights, which every consent touches.
    pub fn for_purpose(purpose: Purpose) -> Vec<Topic> {
        let first = match purpose {
            Purpose::Referral => Some(Topic::AssistanceSystem),
            Purpose::PoliceReport => Some(Topic::PoliceReport),
            Purpose::Support | Purpose::Storage | Purpose::Other => None,
        };
        first
            .into_iter()
            .chain([Topic::DataKeeping, Topic::Rights])
            .collect()
    }
}

/// Every message a text must have; a file missing one is refused, so no person is shown half.
fn required_messages() -> Vec<String> {
    let mut names: Vec<String> = ["version", "our-organisation", "title", "intro"]
        .map(String::from)
        .to_vec();
    for t in Topic::ALL {
        names.push(t.message().to_string());
        names.push(format!("{}-title", t.message()));
    }
    names
}

/// Where a text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TextSource {
    Shipped,
    /// The organisation's own file in the information folder.
    Organisation,
}

/// One language's text, checked.
#[derive(Clone, Debug)]
struct Text {
    source: TextSource,
    version: String,
    digest: String,
    ftl: String,
}

/// A text on offer, as the consent form lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Available {
    pub language: LanguageCode,
    pub version: String,
    pub source: TextSource,
}

/// What the consent form offers: the texts, the folder to add more to, and the files there that
/// could not be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InformationTexts {
    pub folder: String,
    pub available: Vec<Available>,
    pub problems: Vec<Problem>,
}

/// A file in the folder that could not be used, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    pub file: String,
    pub problem: String,
}

/// The text as the person reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rendered {
    /// What the consent records when the person has read this.
    pub shown: InformationShown,
    pub title: String,
    pub intro: Vec<String>,
    pub sections: Vec<RenderedSection>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RenderedSection {
    pub topic: Topic,
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The texts on offer: the shipped ones, overridden or added to by the organisation's folder.
#[derive(Clone, Debug, Default)]
pub struct Library {
    texts: BTreeMap<LanguageCode, Text>,
    problems: Vec<Problem>,
}

impl Library {
    /// The shipped texts and those in `folder` (the folder need not exist). A file that cannot
    /// be used is left out and reported in `problems`, so one bad translation does not stop a
    /// consent in another language.
    pub fn load(folder: Option<&Path>) -> Library {
        let mut library = Library::default();
        for (code, ftl) in SHIPPED {
            let Ok(language) = code.parse::<LanguageCode>() else {
                continue;
            };
            if let Ok(text) = Text::check(TextSource::Shipped, ftl.to_string()) {
                library.texts.insert(language, text);
            }
        }
        if let Some(folder) = folder {
            library.add_folder(folder);
        }
        library
    }

    /// The folder beside a vault file.
    pub fn folder_beside(vault_file: &Path) -> PathBuf {
        vault_file
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(FOLDER)
    }

    fn add_folder(&mut self, folder: &Path) {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        if files.len() > MAX_FILES {
            self.problems.push(Problem {
                file: folder.display().to_string(),
                problem: format!(
                    "more than {MAX_FILES} files: only the first {MAX_FILES} were read"
                ),
            });
            files.truncate(MAX_FILES);
        }
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match read_file(&path) {
                Ok((language, text)) => {
                    self.texts.insert(language, text);
                }
                Err(e) => self.problems.push(Problem {
                    file: name,
                    problem: e.to_string(),
                }),
            }
        }
    }

    pub fn available(&self) -> Vec<Available> {
        self.texts
            .iter()
            .map(|(language, t)| Available {
                language: language.clone(),
                version: t.version.clone(),
                source: t.source,
            })
            .collect()
    }

    pub fn texts(&self, folder: &Path) -> InformationTexts {
        InformationTexts {
            folder: folder.display().to_string(),
            available: self.available(),
            problems: self.problems.clone(),
        }
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The text in `language` for a consent of `purpose`, naming `organisation` (or, unnamed,
    /// "our organisation" in that language).
    pub fn render(
        &self,
        language: &LanguageCode,
        purpose: Purpose,
        organisation: Option<&str>,
    ) -> Result<Rendered> {
        let text = self.texts.get(language).ok_or_else(|| {
            Error::invalid(format!(
                "there is no information text in {}: show one in a language the person reads, or have an interpreter interpret one and record the interpreter",
                language.as_str()
            ))
        })?;
        let bundle = text.bundle(language.as_str())?;
        let org = match organisation {
            Some(name) if !name.trim().is_empty() => name.to_string(),
            _ => format_message(&bundle, "our-organisation", None)?,
        };
        let mut args = FluentArgs::new();
        args.set("organisation", org);
        let sections = Topic::for_purpose(purpose)
            .into_iter()
            .map(|topic| {
                Ok(RenderedSection {
                    topic,
                    title: format_message(
                        &bundle,
                        &format!("{}-title", topic.message()),
                        Some(&args),
                    )?,
                    paragraphs: paragraphs(&format_message(&bundle, topic.message(), Some(&args))?),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Rendered {
            shown: InformationShown {
                version: text.version.clone(),
                language: language.clone(),
                digest: Some(text.digest.clone()),
                read_out_in: None,
                shown_for: Some(purpose),
            },
            title: format_message(&bundle, "title", Some(&args))?,
            intro: paragraphs(&format_message(&bundle, "intro", Some(&args))?),
            sections,
        })
    }

    /// Whether `shown` names a text on offer now, word for word: a consent must not claim a
    /// text, version or wording the person was not shown.
    pub fn confirm(&self, shown: &InformationShown) -> Result<()> {
        let text = self.texts.get(&shown.language);
        let same = text.is_some_and(|t| {
            t.version == shown.version && shown.digest.as_deref() == Some(t.digest.as_str())
        });
        if same {
            Ok(())
        } else {
            Err(Error::invalid(format!(
                "the information text {} version {} is not the one on offer now: show the person the current text before recording the consent",
                shown.language.as_str(),
                shown.version
            )))
        }
    }
}

/// Checks an organisation's file before it goes in the folder: what a translator runs.
pub fn check_file(path: &Path) -> Result<Available> {
    let (language, text) = read_file(path)?;
    Ok(Available {
        language,
        version: text.version,
        source: text.source,
    })
}

/// Reads and checks one organisation file, named `<language>.ftl`.
fn read_file(path: &Path) -> Result<(LanguageCode, Text)> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let language: LanguageCode = stem.parse().map_err(|_| {
        Error::invalid(format!(
            "the file must be named by the language's ISO 639 code, like ro.ftl or uk.ftl, not {stem}.ftl"
        ))
    })?;
    // Not followed: a link to a device or a huge file elsewhere must not stall the app.
    let meta = std::fs::symlink_metadata(path).map_err(Error::io("read", path))?;
    if !meta.is_file() {
        return Err(Error::invalid(
            "the file is a link or not a regular file: copy the text itself into the folder",
        ));
    }
    let too_large = || {
        Error::invalid(format!(
            "the file is larger than {MAX_FILE} bytes, the most an information text may be"
        ))
    };
    if meta.len() > MAX_FILE {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    open_regular(path)
        .and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
        .map_err(Error::io("read", path))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large());
    }
    let ftl = String::from_utf8(bytes)
        .map_err(|_| Error::invalid("the file is not UTF-8 text: save it as UTF-8"))?;
    Ok((language, Text::check(TextSource::Organisation, ftl)?))
}

/// Opens `path` only if it is a regular file by then: not through a link swapped in after the
/// check, and without waiting on a FIFO put in its place.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if file.metadata()?.is_file() {
        Ok(file)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ))
    }
}

/// Refuses what the parser or a reader should never meet: deep nesting, and the invisible
/// characters that reorder text (the same rule as `model::check_text`).
fn check_characters(ftl: &str) -> Result<()> {
    let mut depth = 0usize;
    for c in ftl.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Error::invalid(
                        "the text nests { } too deep: write { $organisation } and plain text only",
                    ));
                }
            }
            '}' => depth = depth.saturating_sub(1),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                return Err(Error::invalid(
                    "the text contains invisible direction controls: type it again without them",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Only plain text and `{ $organisation }` (and quoted literals such as `{ "{" }`): no select
/// expressions, terms, functions, references or attributes, so the text a reviewer checks is the
/// text every person is shown, whatever the organisation is called.
fn check_plain(resource: &FluentResource) -> Result<()> {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
    let refuse = |what: &str| {
        Err(Error::invalid(format!(
            "the text uses {what}: an information text is plain text with {{ $organisation }} only"
        )))
    };
    for entry in resource.entries() {
        let message = match entry {
            Entry::Message(m) => m,
            Entry::Term(_) => return refuse("a term (-name)"),
            _ => continue,
        };
        if !message.attributes.is_empty() {
            return refuse("an attribute (.name)");
        }
        let elements = message.value.iter().flat_map(|p| p.elements.iter());
        for element in elements {
            let PatternElement::Placeable { expression } = element else {
                continue;
            };
            match expression {
                Expression::Inline(InlineExpression::VariableReference { id })
                    if id.name == "organisation" => {}
                Expression::Inline(InlineExpression::StringLiteral { .. }) => {}
                Expression::Inline(InlineExpression::VariableReference { .. }) => {
                    return refuse("a variable other than $organisation");
                }
                Expression::Select { .. } => return refuse("a select expression"),
                Expression::Inline(_) => return refuse("a function or a reference"),
            }
        }
    }
    Ok(())
}

impl Text {
    fn check(source: TextSource, ftl: String) -> Result<Text> {
        check_characters(&ftl)?;
        let digest = hex::encode(Sha256::digest(ftl.as_bytes()));
        let text = Text {
            source,
            version: String::new(),
            digest,
            ftl,
        };
        let bundle = text.bundle("en")?;
        let missing: Vec<String> = required_messages()
            .into_iter()
            .filter(|m| bundle.get_message(m).and_then(|m| m.value()).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::invalid(format!(
                "the text lacks {}: copy them from en.ftl and translate them",
                missing.join(", ")
            )));
        }
        // A misspelt placeable would only fail when shown to a person: format everything now.
        let mut args = FluentArgs::new();
        args.set("organisation", "X");
        for id in required_messages() {
            if paragraphs(&format_message(&bundle, &id, Some(&args))?).is_empty() {
                return Err(Error::invalid(format!(
                    "the text's {id} is empty: translate it from en.ftl"
                )));
            }
        }
        let version = format_message(&bundle, "version", None)?;
        let version = version.trim().to_string();
        if version.is_empty() || version.chars().count() > 40 || version.contains('\n') {
            return Err(Error::invalid(
                "the text's version must be one short line, like 2026-1",
            ));
        }
        Ok(Text { version, ..text })
    }

    fn bundle(&self, language: &str) -> Result<FluentBundle<FluentResource>> {
        let resource = FluentResource::try_new(self.ftl.clone()).map_err(|(_, errors)| {
            let first = errors.first().map(|e| {
                // The start of the broken entry: where the parser stopped is often a line later.
                let at = e.slice.as_ref().map_or(e.pos.start, |s| s.start);
                let line = self.ftl[..at.min(self.ftl.len())].matches('\n').count() + 1;
                format!("the message on line {line}: {}", e.kind)
            });
            Error::invalid(format!(
                "the text is not valid Fluent ({}): compare it with en.ftl",
                first.unwrap_or_default()
            ))
        })?;
        check_plain(&resource)?;
        let locale = language
            .parse()
            .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
        let mut bundle = FluentBundle::new(vec![locale]);
        // No bidi isolation marks: the app sets the direction of each paragraph itself.
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .map_err(|_| Error::invalid("the text names the same message twice"))?;
        Ok(bundle)
    }
}

fn format_message(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: Option<&FluentArgs>,
) -> Result<String> {
    let pattern = bundle
        .get_message(id)
        .and_then(|m| m.value())
        .ok_or_else(|| Error::invalid(format!("the information text lacks {id}")))?;
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, args, &mut errors);
    if out.len() > MAX_MESSAGE {
        Err(Error::invalid(format!(
            "the information text's {id} is longer than {MAX_MESSAGE} bytes: split it or shorten it"
        )))
    } else if errors.is_empty() {
        Ok(out.into_owned())
    } else {
        Err(Error::invalid(format!(
            "the information text's {id} refers to something Silta does not supply: keep {{ $organisation }} as in en.ftl"
        )))
    }
}

/// Blank lines separate paragraphs; line breaks inside one are the file's wrapping, not the
/// text's.
fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> LanguageCode {
        c.parse().unwrap()
    }

    fn folder_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    #[test]
    fn finnish_swedish_and_english_ship_complete_for_every_purpose() {
        let library = Library::load(None);
        let languages: Vec<String> = library
            .available()
            .iter()
            .map(|a| a.language.as_str().to_string())
            .collect();
        assert_eq!(languages, ["en", "fi", "sv"]);
        assert!(library.problems().is_empty());
        for language in ["fi", "sv", "en"] {
            for purpose in [
                Purpose::Referral,
                Purpose::PoliceReport,
                Purpose::Storage,
                Purpose::Support,
                Purpose::Other,
            ] {
                let r = library
                    .render(&code(language), purpose, Some("Pro-tukipiste"))
                    .unwrap();
                assert_eq!(r.shown.language.as_str(), language);
                assert!(!r.title.is_empty() && !r.intro.is_empty());
                for s in &r.sections {
                    assert!(!s.title.is_empty());
                    assert!(s.paragraphs.len() >= 3, "{language} {:?}", s.topic);
                    for p in &s.paragraphs {
                        assert!(!p.contains('{') && !p.contains('\n'), "{p}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_referral_is_preceded_by_what_the_assistance_system_offers() {
        let r = Library::load(None)
            .render(&code("fi"), Purpose::Referral, None)
            .unwrap();
        let topics: Vec<Topic> = r.sections.iter().map(|s| s.topic).collect();
        assert_eq!(
            topics,
            [Topic::AssistanceSystem, Topic::DataKeeping, Topic::Rights]
        );
        let offers = r.sections[0].paragraphs.join(" ");
        for service in [
            "neuvontaa",
            "tulkin",
            "turvallisen asuinpaikan",
            "oikeudellista neuvontaa",
        ] {
            assert!(offers.contains(service), "{service}");
        }
        // Blank lines in the file are the paragraphs the person reads.
        assert_eq!(r.sections[0].paragraphs.len(), 4);
    }

    #[test]
    fn a_police_report_is_preceded_by_what_a_report_means_and_not_the_assistance_system() {
        let r = Library::load(None)
            .render(&code("sv"), Purpose::PoliceReport, None)
            .unwrap();
        let topics: Vec<Topic> = r.sections.iter().map(|s| s.topic).collect();
        assert_eq!(
            topics,
            [Topic::PoliceReport, Topic::DataKeeping, Topic::Rights]
        );
        assert_eq!(r.sections[0].title, "Polisanmälan");
        let keeping = Library::load(None)
            .render(&code("en"), Purpose::Storage, None)
            .unwrap();
        let topics: Vec<Topic> = keeping.sections.iter().map(|s| s.topic).collect();
        assert_eq!(topics, [Topic::DataKeeping, Topic::Rights]);
    }

    #[test]
    fn the_text_names_the_organisation_or_says_our_organisation_in_its_language() {
        let library = Library::load(None);
        let named = library
            .render(&code("fi"), Purpose::Storage, Some("Pro-tukipiste"))
            .unwrap();
        assert!(named.sections[0].paragraphs[0].starts_with("Pro-tukipiste tallentaa"));
        let unnamed = library.render(&code("sv"), Purpose::Storage, None).unwrap();
        assert!(unnamed.sections[0].paragraphs[0].starts_with("Vår organisation sparar"));
    }

    #[test]
    fn an_organisation_adds_a_language_or_its_own_wording_without_a_rebuild() {
        let english = SHIPPED[2].1;
        let romanian = english.replace("title = Before you decide", "title = Înainte să decideți");
        let own_finnish = SHIPPED[0]
            .1
            .replace("version = 2026-1", "version = 2026-1-pro");
        let dir = folder_with(&[("ro.ftl", &romanian), ("fi.ftl", &own_finnish)]);
        let library = Library::load(Some(dir.path()));
        assert!(library.problems().is_empty(), "{:?}", library.problems());
        let ro = library
            .render(&code("ro"), Purpose::Referral, None)
            .unwrap();
        assert_eq!(ro.title, "Înainte să decideți");
        let fi = library
            .available()
            .into_iter()
            .find(|a| a.language.as_str() == "fi")
            .unwrap();
        assert_eq!(fi.version, "2026-1-pro");
        assert_eq!(fi.source, TextSource::Organisation);
    }

    #[test]
    fn a_broken_file_is_reported_with_its_line_and_the_other_languages_still_work() {
        let english = SHIPPED[2].1;
        let broken = english.replace("title = Before you decide", "title = { Before");
        let dir = folder_with(&[("ro.ftl", &broken), ("uk.ftl", english)]);
        let library = Library::load(Some(dir.path()));
        assert_eq!(library.problems().len(), 1);
        let p = &library.problems()[0];
        assert_eq!(p.file, "ro.ftl");
        let line = english
            .lines()
            .position(|l| l == "title = Before you decide")
            .unwrap()
            + 1;
        assert!(p.problem.contains(&format!("line {line}")), "{}", p.problem);
        assert!(
            library
                .render(&code("ro"), Purpose::Referral, None)
                .is_err()
        );
        assert!(library.render(&code("uk"), Purpose::Referral, None).is_ok());
    }

    #[test]
    fn a_file_missing_a_section_a_misspelt_placeable_or_a_version_is_refused() {
        let english = SHIPPED[2].1;
        let cases = [
            (
                english.replace("rights-title = Your rights\n", ""),
                "rights-title",
            ),
            (
                english.replace("{ $organisation }", "{ $organization }"),
                "organisation",
            ),
            (
                english.replace("version = 2026-1", "version = { \"\" }"),
                "version",
            ),
        ];
        for (text, named) in cases {
            let dir = folder_with(&[("ro.ftl", &text)]);
            let err = check_file(&dir.path().join("ro.ftl"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(named), "{err}");
        }
    }

    #[test]
    fn a_file_not_named_by_a_language_code_or_too_large_is_refused() {
        let english = SHIPPED[2].1;
        let dir = folder_with(&[("romanian.ftl", english), ("ro.ftl", &english.repeat(100))]);
        let err = check_file(&dir.path().join("romanian.ftl")).unwrap_err();
        assert!(err.to_string().contains("ISO 639"), "{err}");
        let err = check_file(&dir.path().join("ro.ftl")).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        assert!(check_file(&dir.path().join("missing.ftl")).is_err());
        let ok = folder_with(&[("ro.ftl", english)]);
        let a = check_file(&ok.path().join("ro.ftl")).unwrap();
        assert_eq!((a.language.as_str(), a.version.as_str()), ("ro", "2026-1"));
    }

    /// What a hostile file in the folder could do, each refused with a reason and never a crash:
    /// deep nesting (the parser would overflow the stack), Fluent features that could show the
    /// person other words than a reviewer saw, direction controls, empty or overlong messages.
    #[test]
    fn a_hostile_or_clever_file_is_refused_with_its_reason() {
        let english = SHIPPED[2].1;
        let title = "title = Before you decide";
        let cases = [
            (
                english.replace(title, &format!("title = {}", "{".repeat(5000))),
                "too deep",
            ),
            (
                english.replace(
                    "rights =\n",
                    "rights = { $organisation ->\n    [X] Fine.\n   *[other] Sign here.\n}\n    ",
                ),
                "select expression",
            ),
            (
                english.replace(title, "-brand = Silta\ntitle = { -brand }"),
                "term",
            ),
            (
                english.replace(title, "title = Before\n    .hint = x"),
                "attribute",
            ),
            (
                english.replace(title, "title = { $name }"),
                "variable other than",
            ),
            (english.replace(title, "title = { NUMBER(1) }"), "function"),
            (english.replace(title, "title = { intro }"), "reference"),
            (
                english.replace(title, "title = Before \u{202E}you"),
                "direction controls",
            ),
            (english.replace(title, "title = { \"\" }"), "title is empty"),
            (
                english.replace(
                    title,
                    &format!("title = {}", "Before you decide. ".repeat(2000)),
                ),
                "longer than",
            ),
        ];
        for (text, named) in cases {
            let dir = folder_with(&[("ro.ftl", &text)]);
            let err = check_file(&dir.path().join("ro.ftl"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(named), "{named}: {err}");
        }
        // A quoted literal is plain text, the way Fluent writes a brace.
        let literal = english.replace(title, "title = Before {\"{\"}you decide");
        let dir = folder_with(&[("ro.ftl", &literal)]);
        assert!(check_file(&dir.path().join("ro.ftl")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_the_folder_is_not_waited_on() {
        let dir = folder_with(&[]);
        let fifo = dir.path().join("ro.ftl");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let library = Library::load(Some(dir.path()));
        assert_eq!(library.problems().len(), 1);
        assert!(
            library
                .render(&code("ro"), Purpose::Referral, None)
                .is_err()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_folder_is_not_followed() {
        let dir = folder_with(&[]);
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("ro.ftl")).unwrap();
        let library = Library::load(Some(dir.path()));
        assert_eq!(library.problems().len(), 1);
        assert!(library.problems()[0].problem.contains("link"));
        assert!(
            library
                .render(&code("ro"), Purpose::Referral, None)
                .is_err()
        );
    }

    #[test]
    fn a_consent_can_only_claim_the_text_word_for_word_as_on_offer() {
        let library = Library::load(None);
        let shown = library
            .render(&code("sv"), Purpose::Referral, None)
            .unwrap()
            .shown;
        assert!(library.confirm(&shown).is_ok());
        let other_version = InformationShown {
            version: "2025-1".into(),
            ..shown.clone()
        };
        assert!(library.confirm(&other_version).is_err());
        let other_wording = InformationShown {
            digest: Some("00".repeat(32)),
            ..shown.clone()
        };
        assert!(library.confirm(&other_wording).is_err());
        let no_wording = InformationShown {
            digest: None,
            ..shown.clone()
        };
        assert!(library.confirm(&no_wording).is_err());
        let no_text = InformationShown {
            language: code("ro"),
            ..shown
        };
        assert!(library.confirm(&no_text).is_err());
    }

    #[test]
    fn the_digest_is_the_sha256_of_the_file() {
        let library = Library::load(None);
        let shown = library
            .render(&code("en"), Purpose::Referral, None)
            .unwrap()
            .shown;
        assert_eq!(
            shown.digest.unwrap(),
            hex::encode(Sha256::digest(SHIPPED[2].1.as_bytes()))
        );
    }
}
