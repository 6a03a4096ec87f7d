//! `portal-server forms …`: the Excel template engine from the command line, so
//! staff and support can make a template or check a file someone sent by email.

use clap::Subcommand;
use forms::{Call, Kind, Lang};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum FormsCommand {
    /// Write an empty template for a candidacy kind.
    Template {
        /// a = settlement opportunity, b = investment proposal
        #[arg(long)]
        kind: String,
        /// it or en
        #[arg(long, default_value = "it")]
        lang: String,
        /// Where to write the .xlsx
        #[arg(long)]
        out: PathBuf,
        /// Fill every field with a valid example (a building in Bergamo), to show
        /// what a complete file looks like.
        #[arg(long)]
        example: bool,
        /// Set a field, as `id=value` written as in a cell (repeatable), on top of
        /// the example or of the empty template: to make a corrected file, or one
        /// prefilled for someone who sent their data by email.
        #[arg(long = "set", value_name = "ID=VALUE")]
        set: Vec<String>,
    },
    /// Check a filled template (.xlsx, .xls or .ods) and print every problem.
    /// Exits with 1 when the file cannot be accepted.
    Check {
        file: PathBuf,
        /// The candidacy kind the file is for (a or b); without it, the kind written in the file.
        #[arg(long)]
        kind: Option<String>,
        /// Language of the report: it or en
        #[arg(long, default_value = "it")]
        lang: String,
    },
}

fn parse_kind(code: &str) -> Result<Kind, String> {
    Kind::from_code(code).ok_or_else(|| {
        format!("unknown kind {code:?}: use a (settlement opportunity) or b (investment proposal)")
    })
}

fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::from_code(code).ok_or_else(|| format!("unknown language {code:?}: use it or en"))
}

/// `id=text`: the field `id` of `kind`, and `text` read as a cell of the
/// template would be (so "2,5" is a decimal, as the proponent would type it).
fn parse_assignment(
    call: &Call,
    kind: Kind,
    assignment: &str,
) -> Result<(String, forms::Value), String> {
    let (id, text) = assignment
        .split_once('=')
        .ok_or_else(|| format!("{assignment:?}: write --set id=value"))?;
    let field = call
        .fields_for(kind)
        .find(|f| f.id == id.trim())
        .ok_or_else(|| format!("no field {id:?} in a template of kind {}", kind.code()))?;
    let cell = forms::Cell::Text(text.to_string());
    let value = forms::value::parse(call, field, &cell)
        .map_err(|m| format!("{id}: {}", m.text(Lang::En)))?;
    Ok((field.id.clone(), value))
}

/// Runs the command; Ok(false) means "done, but the checked file is not acceptable".
pub fn run(command: FormsCommand) -> Result<bool, String> {
    let call = Call::embedded();
    match command {
        FormsCommand::Template {
            kind,
            lang,
            out,
            example,
            set,
        } => {
            let kind = parse_kind(&kind)?;
            let mut values = if example {
                forms::sample::complete(kind)
            } else {
                Default::default()
            };
            for assignment in &set {
                let (id, value) = parse_assignment(call, kind, assignment)?;
                values.insert(id, value);
            }
            let bytes = forms::template::write(call, kind, parse_lang(&lang)?, &values)
                .map_err(|e| e.to_string())?;
            std::fs::write(&out, bytes)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            println!("{}", out.display());
            Ok(true)
        }
        FormsCommand::Check { file, kind, lang } => {
            let lang = parse_lang(&lang)?;
            let kind = kind.as_deref().map(parse_kind).transpose()?;
            let size = std::fs::metadata(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?
                .len();
            // Read no more than the limit (plus one byte, so an oversized file is reported as such).
            let limit = forms::template::guard::MAX_FILE_BYTES as u64 + 1;
            let mut bytes = Vec::with_capacity(size.min(limit) as usize);
            std::io::Read::read_to_end(
                &mut std::io::Read::take(
                    std::fs::File::open(&file).map_err(|e| e.to_string())?,
                    limit,
                ),
                &mut bytes,
            )
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let report = forms::check_file(call, &bytes, kind);
            print!("{}", report.to_text(call, lang));
            Ok(report.is_accepted())
        }
    }
}
