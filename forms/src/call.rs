//! The call definition: `call/opportunity-lombardy.toml` read into typed structs.
//!
//! The TOML file is embedded at build time and checked by `Call::load` (unknown
//! sections, options or fields named by another field are errors), so a typo
//! in the data fails the unit tests instead of a user's upload.

use serde::Deserialize;
use std::collections::HashMap;

const CALL_TOML: &str = include_str!("../call/opportunity-lombardy.toml");

/// A text in both languages of the portal.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Localized {
    pub it: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::It => &self.it,
            Lang::En => &self.en,
        }
    }
}

/// The two languages every text of the call exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    It,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "it" => Some(Lang::It),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The two kinds of candidacy (§4.2): (a) settlement opportunity, (b) investment proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Kind {
    #[serde(rename = "a")]
    Settlement,
    #[serde(rename = "b")]
    Investment,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Settlement => "a",
            Kind::Investment => "b",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        match code {
            "a" => Some(Kind::Settlement),
            "b" => Some(Kind::Investment),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Text,
    LongText,
    Integer,
    Decimal,
    Date,
    Enum,
    MultiEnum,
    Municipality,
    Coordinate,
    Cadastral,
    AtecoList,
    Postcode,
    Email,
    Phone,
    Url,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Lat,
    Lon,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EnumOption {
    pub id: String,
    pub it: String,
    pub en: String,
}

impl EnumOption {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::It => &self.it,
            Lang::En => &self.en,
        }
    }
}

/// "This field is mandatory when `field` holds one of `any_of`."
#[derive(Debug, Clone, Deserialize)]
pub struct Condition {
    pub field: String,
    pub any_of: Vec<String>,
}

/// One field as written in the TOML file, before `per_option` fields are expanded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: String,
    section: String,
    #[serde(rename = "type")]
    kind: FieldType,
    #[serde(default)]
    kinds: Vec<Kind>,
    #[serde(default)]
    required: bool,
    required_when: Option<Condition>,
    options: Option<String>,
    per_option: Option<String>,
    axis: Option<Axis>,
    unit: Option<String>,
    min: Option<f64>,
    min_exclusive: Option<f64>,
    max: Option<f64>,
    max_len: Option<usize>,
    not_above: Option<String>,
    #[serde(default)]
    renamed_from: Vec<String>,
    #[serde(default)]
    public: bool,
    label: Localized,
    help: Localized,
}

/// One row of the template: what it holds, how it is checked, how it is explained.
#[derive(Debug, Clone)]
pub struct Field {
    pub id: String,
    pub section: String,
    pub kind: FieldType,
    pub kinds: Vec<Kind>,
    pub required: bool,
    pub required_when: Option<Condition>,
    pub options: Option<String>,
    pub axis: Option<Axis>,
    pub unit: Option<String>,
    pub min: Option<f64>,
    pub min_exclusive: Option<f64>,
    pub max: Option<f64>,
    pub max_len: Option<usize>,
    pub not_above: Option<String>,
    pub renamed_from: Vec<String>,
    /// For fields expanded from `per_option`: the group id they came from.
    pub group: Option<String>,
    /// Shown in the public catalogue once published (`public = true`). Off
    /// unless said, so a new field (or the owner's details) never goes
    /// online by accident.
    pub public: bool,
    pub label: Localized,
    pub help: Localized,
}

impl Field {
    pub fn applies_to(&self, kind: Kind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Mandatory regardless of the other answers.
    pub fn always_required(&self) -> bool {
        self.required
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Section {
    pub id: String,
    pub it: String,
    pub en: String,
    #[serde(default)]
    pub kinds: Vec<Kind>,
}

impl Section {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::It => &self.it,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// At least one of the fields expanded from `field` has a value.
    AtLeastOne {
        #[serde(default)]
        kinds: Vec<Kind>,
        field: String,
        message: String,
    },
    /// The coordinates fall inside Lombardy, in the municipality's province.
    InsideLombardy {
        latitude: String,
        longitude: String,
        municipality: String,
    },
}

#[derive(Debug, Clone, Deserialize)]
pub struct CallInfo {
    pub id: String,
    pub version: u32,
    pub oldest_readable: u32,
    pub title: Localized,
}

#[derive(Debug, Deserialize)]
struct RawCall {
    call: CallInfo,
    kinds: HashMap<String, Localized>,
    units: HashMap<String, Localized>,
    sections: Vec<Section>,
    enums: HashMap<String, Vec<EnumOption>>,
    fields: Vec<RawField>,
    #[serde(default)]
    rules: Vec<Rule>,
}

/// The whole call, ready to drive the template writer and the validator.
#[derive(Debug, Clone)]
pub struct Call {
    pub info: CallInfo,
    pub kinds: HashMap<String, Localized>,
    pub units: HashMap<String, Localized>,
    pub sections: Vec<Section>,
    pub enums: HashMap<String, Vec<EnumOption>>,
    pub fields: Vec<Field>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the call definition is not valid TOML: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("the call definition is inconsistent: {0}")]
    Inconsistent(String),
}

impl Call {
    /// The call embedded in this build.
    pub fn embedded() -> &'static Call {
        static CALL: std::sync::OnceLock<Call> = std::sync::OnceLock::new();
        CALL.get_or_init(|| {
            Call::parse(CALL_TOML)
                .expect("the embedded call definition is checked by the unit tests")
        })
    }

    /// Reads and checks a call definition (tests use it to build other versions).
    pub fn parse(text: &str) -> Result<Call, CallError> {
        let raw: RawCall = toml::from_str(text)?;
        let mut fields = Vec::new();
        for field in raw.fields {
            fields.extend(expand(field, &raw.enums)?);
        }
        let call = Call {
            info: raw.call,
            kinds: raw.kinds,
            units: raw.units,
            sections: raw.sections,
            enums: raw.enums,
            fields,
            rules: raw.rules,
        };
        call.check()?;
        Ok(call)
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The fields of one kind, in template order.
    pub fn fields_for(&self, kind: Kind) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| f.applies_to(kind))
    }

    pub fn options(&self, field: &Field) -> &[EnumOption] {
        field
            .options
            .as_ref()
            .and_then(|o| self.enums.get(o))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The label in `lang` of option `id` of `field`, if it has one.
    pub fn option_label(&self, field: &Field, id: &str, lang: Lang) -> Option<&str> {
        self.options(field)
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.label(lang))
    }

    pub fn unit(&self, field: &Field, lang: Lang) -> &str {
        field
            .unit
            .as_ref()
            .and_then(|u| self.units.get(u))
            .map(|u| u.get(lang))
            .unwrap_or("")
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn kind_label(&self, kind: Kind, lang: Lang) -> &str {
        self.kinds
            .get(kind.code())
            .map(|k| k.get(lang))
            .unwrap_or(kind.code())
    }

    fn check(&self) -> Result<(), CallError> {
        let bad = |what: String| Err(CallError::Inconsistent(what));
        let mut seen = std::collections::HashSet::new();
        for f in &self.fields {
            if !seen.insert(f.id.as_str()) {
                return bad(format!("field id {} is used twice", f.id));
            }
            if self.section(&f.section).is_none() {
                return bad(format!(
                    "field {} names unknown section {}",
                    f.id, f.section
                ));
            }
            let wants_options = matches!(f.kind, FieldType::Enum | FieldType::MultiEnum);
            if wants_options && self.options(f).is_empty() {
                return bad(format!("field {} needs existing options", f.id));
            }
            if f.kind == FieldType::Coordinate && f.axis.is_none() {
                return bad(format!("coordinate field {} needs an axis", f.id));
            }
            if let Some(u) = &f.unit {
                if !self.units.contains_key(u) {
                    return bad(format!("field {} names unknown unit {u}", f.id));
                }
            }
            for other in f
                .not_above
                .iter()
                .chain(f.required_when.as_ref().map(|c| &c.field))
            {
                if self.field(other).is_none() {
                    return bad(format!("field {} refers to unknown field {other}", f.id));
                }
            }
        }
        for kind in ["a", "b"] {
            if !self.kinds.contains_key(kind) {
                return bad(format!("kind {kind} has no label"));
            }
        }
        for rule in &self.rules {
            if let Rule::AtLeastOne { message, .. } = rule {
                if !crate::report::has_message(message) {
                    return bad(format!("rule message {message} is not in messages.toml"));
                }
            }
        }
        if self.info.oldest_readable > self.info.version {
            return bad("oldest_readable is above version".into());
        }
        Ok(())
    }
}

/// A `per_option` field becomes one field per option of its enumeration,
/// e.g. `planned_area` → `planned_area.production`, `planned_area.logistics`, …
fn expand(
    raw: RawField,
    enums: &HashMap<String, Vec<EnumOption>>,
) -> Result<Vec<Field>, CallError> {
    let base = Field {
        id: raw.id.clone(),
        section: raw.section,
        kind: raw.kind,
        kinds: raw.kinds,
        required: raw.required,
        required_when: raw.required_when,
        options: raw.options,
        axis: raw.axis,
        unit: raw.unit,
        min: raw.min,
        min_exclusive: raw.min_exclusive,
        max: raw.max,
        max_len: raw.max_len,
        not_above: raw.not_above,
        renamed_from: raw.renamed_from,
        group: None,
        public: raw.public,
        label: raw.label,
        help: raw.help,
    };
    let Some(group) = raw.per_option else {
        return Ok(vec![base]);
    };
    let options = enums.get(&group).ok_or_else(|| {
        CallError::Inconsistent(format!("field {} expands unknown options {group}", raw.id))
    })?;
    Ok(options
        .iter()
        .map(|o| Field {
            id: format!("{}.{}", raw.id, o.id),
            group: Some(raw.id.clone()),
            label: Localized {
                it: format!("{} – {}", base.label.it, o.it),
                en: format!("{} – {}", base.label.en, o.en),
            },
            ..base.clone()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_call_is_consistent() {
        let call = Call::parse(CALL_TOML).unwrap();
        assert_eq!(call.info.id, "opportunity-lombardy");
        let a = call.fields_for(Kind::Settlement).count();
        let b = call.fields_for(Kind::Investment).count();
        assert!(a >= 45, "settlement fields: {a}");
        assert!(b > a + 12, "investment adds the project fields: {b} vs {a}");
        assert!(call.field("planned_area.data_centre").is_some());
    }

    #[test]
    fn an_inconsistent_call_is_refused() {
        let broken = CALL_TOML.replace("not_above = \"land_area\"", "not_above = \"land_surface\"");
        let err = Call::parse(&broken).unwrap_err().to_string();
        assert!(err.contains("land_surface"), "{err}");
    }
}
