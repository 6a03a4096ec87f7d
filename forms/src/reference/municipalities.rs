//! The 1,502 municipalities of Lombardy (ISTAT "Elenco dei comuni italiani", CC BY 4.0).

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const CSV: &str = include_str!("../../data/lombardy-municipalities.csv");

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Municipality {
    pub istat_code: String,
    pub name: String,
    pub province_code: String,
    pub province_name: String,
    pub cadastral_code: String,
}

impl Municipality {
    /// How the template's drop-down list shows it: "Bergamo (BG)".
    pub fn list_label(&self) -> String {
        format!("{} ({})", self.name, self.province_code)
    }
}

pub struct Municipalities {
    all: Vec<Municipality>,
    by_code: HashMap<String, usize>,
    by_key: HashMap<String, usize>,
}

impl Municipalities {
    pub fn get() -> &'static Municipalities {
        static LIST: OnceLock<Municipalities> = OnceLock::new();
        LIST.get_or_init(|| Municipalities::parse(CSV))
    }

    fn parse(csv_text: &str) -> Municipalities {
        let mut all: Vec<Municipality> = csv::Reader::from_reader(csv_text.as_bytes())
            .deserialize()
            .collect::<Result<_, _>>()
            .expect("the embedded municipalities list is checked by the unit tests");
        all.sort_by_key(|a| key(&a.name));
        let by_code = all
            .iter()
            .enumerate()
            .map(|(i, m)| (m.istat_code.clone(), i))
            .collect();
        let mut by_key = HashMap::new();
        for (i, m) in all.iter().enumerate() {
            by_key.insert(key(&m.name), i);
            by_key.insert(key(&m.list_label()), i);
        }
        Municipalities {
            all,
            by_code,
            by_key,
        }
    }

    /// "Bergamo" for "BG".
    pub fn province_name(&self, code: &str) -> Option<&str> {
        self.all
            .iter()
            .find(|m| m.province_code == code)
            .map(|m| m.province_name.as_str())
    }

    /// "Bergamo (BG)" for "BG"; the bare code if it is not a province of Lombardy.
    pub fn province_label(&self, code: &str) -> String {
        match self.province_name(code) {
            Some(name) => format!("{name} ({code})"),
            None => code.to_string(),
        }
    }

    /// Every municipality, sorted by name.
    pub fn all(&self) -> &[Municipality] {
        &self.all
    }

    pub fn by_istat_code(&self, code: &str) -> Option<&Municipality> {
        self.by_code.get(code).map(|&i| &self.all[i])
    }

    /// Finds a municipality from what a person typed or picked: the list label
    /// "Bergamo (BG)", the bare name in any case and spacing, or the ISTAT code.
    pub fn find(&self, text: &str) -> Option<&Municipality> {
        let text = text.trim();
        if let Some(m) = self.by_istat_code(text) {
            return Some(m);
        }
        // Excel turns "016024" typed into a number cell into 16024.
        if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(m) = self.by_istat_code(&format!("0{text}")) {
                return Some(m);
            }
        }
        self.by_key.get(&key(text)).map(|&i| &self.all[i])
    }
}

/// Case-, accent- and spacing-insensitive key, so "SAN DONATO MILANESE", "san donato  milanese"
/// and "Sàn Donato Milanese" match.
fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            out.push(fold_accent(c));
        }
    }
    out
}

/// `c` without its accent (lower-case vowels of Italian and its neighbours).
pub fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ç' => 'c',
        'ñ' => 'n',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        '’' | '`' => '\'',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_has_every_municipality_of_lombardy() {
        let list = Municipalities::get();
        assert_eq!(list.all().len(), 1502);
        let provinces: std::collections::BTreeSet<_> = list
            .all()
            .iter()
            .map(|m| m.province_code.as_str())
            .collect();
        assert_eq!(provinces.len(), 12);
    }

    #[test]
    fn a_municipality_is_found_however_it_is_written() {
        let list = Municipalities::get();
        let bergamo = list.find("Bergamo (BG)").unwrap();
        assert_eq!(bergamo.province_code, "BG");
        assert_eq!(list.find("  bergamo ").unwrap(), bergamo);
        assert_eq!(list.find(&bergamo.istat_code).unwrap(), bergamo);
        assert_eq!(
            list.find(bergamo.istat_code.trim_start_matches('0'))
                .unwrap(),
            bergamo
        );
        assert!(list.find("Roma").is_none());
    }
}
