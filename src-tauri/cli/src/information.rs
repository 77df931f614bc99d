//! `silta information`: the texts a person is shown before consenting, and checking a
//! translation before it goes in the information folder beside the vault.

use silta_core::Result;
use silta_core::information::{self, Library, TextSource};

use crate::args::{Global, InformationCommand};
use crate::commands::vault_path;
use crate::output;
use crate::referrals::purpose;

/// The shipped texts and the organisation's, from the folder beside the vault file.
pub fn library(g: &Global) -> Result<Library> {
    Ok(Library::load(Some(&Library::folder_beside(&vault_path(
        g,
    )?))))
}

pub fn run(g: &Global, command: InformationCommand) -> Result<()> {
    match command {
        InformationCommand::List => {
            let library = library(g)?;
            let folder = Library::folder_beside(&vault_path(g)?);
            if g.json_output() {
                return output::done(
                    g,
                    "",
                    &serde_json::json!({
                        "folder": folder,
                        "available": library.available(),
                        "problems": library.problems(),
                    }),
                );
            }
            for a in library.available() {
                let from = match a.source {
                    TextSource::Shipped => "shipped with Silta",
                    TextSource::Organisation => "the organisation's own",
                };
                println!(
                    "{}\tversion {}\t{from}",
                    output::language_name(&a.language),
                    a.version
                );
            }
            println!("Add a language: put its .ftl file in {}", folder.display());
            for p in library.problems() {
                eprintln!("silta: {} was not used: {}", p.file, p.problem);
            }
            Ok(())
        }
        InformationCommand::Show {
            language,
            purpose: p,
        } => {
            let rendered = library(g)?.render(&language.parse()?, purpose(&p)?, None)?;
            if g.json_output() {
                return output::done(g, "", &rendered);
            }
            println!("{}\n", rendered.title);
            for para in &rendered.intro {
                println!("{para}\n");
            }
            for s in &rendered.sections {
                println!("{}\n", s.title);
                for para in &s.paragraphs {
                    println!("{para}\n");
                }
            }
            println!(
                "(version {}, {})",
                rendered.shown.version,
                rendered.shown.language.as_str()
            );
            Ok(())
        }
        InformationCommand::Check { file } => {
            let a = information::check_file(&file)?;
            output::done(
                g,
                &format!(
                    "{} is a complete information text in {}, version {}",
                    file.display(),
                    a.language.as_str(),
                    a.version
                ),
                &a,
            )
        }
    }
}
