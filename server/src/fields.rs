//! What a person typed into a form and what is wrong with it, as domain code
//! sees it: field names and message keys, no view types. The web layer turns
//! it into the page's form state (`From<Checked> for FormState`).

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Checked {
    /// Every value as typed, so a refused form comes back unchanged.
    pub values: BTreeMap<String, String>,
    /// (field, message key): the first problem of each field, in the order found.
    pub errors: Vec<(String, &'static str)>,
}

impl Checked {
    pub fn new(values: BTreeMap<String, String>) -> Checked {
        Checked {
            values,
            errors: Vec::new(),
        }
    }

    /// A form's content with nothing wrong: what a saved record shows.
    pub fn with_values<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Checked {
        Checked::new(
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// What was typed, without surrounding spaces: what the checks look at.
    pub fn trimmed(&self, name: &str) -> String {
        self.value(name).trim().to_string()
    }

    /// Records a problem; only the first of a field is kept, the one to fix first.
    pub fn add_error(&mut self, name: &str, key: &'static str) {
        if !self.errors.iter().any(|(field, _)| field == name) {
            self.errors.push((name.to_string(), key));
        }
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}
