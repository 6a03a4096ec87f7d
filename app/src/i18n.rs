//! Languages and the translation tables (`app/locales/*.toml`).
//!
//! Italian is the default. Every user-visible string lives in the locale files;
//! code refers to it by a dotted key such as `home.title`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    It,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::It, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::It => "it",
            Lang::En => "en",
        }
    }

    /// Accepts "it", "en" and regional forms such as "en-GB"; anything else is `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "it" => Some(Lang::It),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
pub use tables::{t, tf};

#[cfg(feature = "ssr")]
mod tables {
    use super::Lang;
    use std::collections::HashMap;
    use std::sync::LazyLock;

    type Table = HashMap<String, String>;

    static IT: LazyLock<Table> = LazyLock::new(|| load(include_str!("../locales/it.toml")));
    static EN: LazyLock<Table> = LazyLock::new(|| load(include_str!("../locales/en.toml")));

    pub(super) fn load(source: &str) -> Table {
        let value: toml::Table = toml::from_str(source).expect("locale file is valid TOML");
        let mut table = Table::new();
        flatten("", &toml::Value::Table(value), &mut table);
        table
    }

    fn flatten(prefix: &str, value: &toml::Value, out: &mut Table) {
        let join = |key: &str| {
            if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            }
        };
        match value {
            toml::Value::Table(map) => map.iter().for_each(|(k, v)| flatten(&join(k), v, out)),
            toml::Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| flatten(&join(&i.to_string()), v, out)),
            toml::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => {
                out.insert(prefix.to_string(), other.to_string());
            }
        }
    }

    pub(super) fn table(lang: Lang) -> &'static Table {
        match lang {
            Lang::It => &IT,
            Lang::En => &EN,
        }
    }

    /// The translation of `key`. A missing key shows as the key itself so a gap is
    /// visible on the page instead of crashing it; a unit test keeps the tables complete.
    pub fn t(lang: Lang, key: &str) -> String {
        table(lang)
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// `t` with `{name}` placeholders replaced.
    pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
        args.iter().fold(t(lang, key), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn italian_and_english_have_the_same_keys() {
        let it = tables::table(Lang::It);
        let en = tables::table(Lang::En);
        let missing_en: Vec<_> = it.keys().filter(|k| !en.contains_key(*k)).collect();
        let missing_it: Vec<_> = en.keys().filter(|k| !it.contains_key(*k)).collect();
        assert!(missing_en.is_empty(), "missing in en.toml: {missing_en:?}");
        assert!(missing_it.is_empty(), "missing in it.toml: {missing_it:?}");
        assert!(it.len() > 100, "suspiciously small table: {}", it.len());
    }

    #[test]
    fn no_translation_is_empty() {
        for lang in Lang::ALL {
            for (key, value) in tables::table(lang) {
                assert!(
                    !value.trim().is_empty(),
                    "{key} is empty in {}",
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn lookup_and_placeholders() {
        assert_eq!(t(Lang::It, "site.login"), "Accedi");
        assert_eq!(t(Lang::En, "site.login"), "Log in");
        assert_eq!(t(Lang::En, "time.months.5"), "June");
        assert_eq!(t(Lang::En, "no.such.key"), "no.such.key");
    }

    #[test]
    fn language_codes() {
        assert_eq!(Lang::from_code("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("IT"), Some(Lang::It));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
