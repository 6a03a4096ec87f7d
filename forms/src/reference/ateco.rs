//! The ATECO 2025 classification (ISTAT, CC BY 4.0): sections, divisions, groups,
//! classes, categories and subcategories with their Italian titles.

use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

const CSV: &str = include_str!("../../data/ateco-2025.csv");

#[derive(Debug, Clone, Deserialize)]
pub struct AtecoCode {
    pub code: String,
    pub level: String,
    pub parent: String,
    pub title_it: String,
}

pub struct Ateco {
    by_code: HashMap<String, AtecoCode>,
}

impl Ateco {
    pub fn get() -> &'static Ateco {
        static LIST: OnceLock<Ateco> = OnceLock::new();
        LIST.get_or_init(|| {
            let rows: Vec<AtecoCode> = csv::Reader::from_reader(CSV.as_bytes())
                .deserialize()
                .collect::<Result<_, _>>()
                .expect("the embedded ATECO list is checked by the unit tests");
            Ateco {
                by_code: rows.into_iter().map(|r| (r.code.clone(), r)).collect(),
            }
        })
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// Looks a code up as people write it: "c", "26", "62.1", "62.10", "62.10.00".
    pub fn find(&self, code: &str) -> Option<&AtecoCode> {
        let code = code.trim().to_uppercase();
        self.by_code.get(&code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_every_level_are_found() {
        let ateco = Ateco::get();
        assert!(ateco.len() > 3000);
        assert_eq!(ateco.find("c").unwrap().level, "section");
        assert_eq!(ateco.find("26").unwrap().level, "division");
        assert_eq!(ateco.find("01.11").unwrap().level, "class");
        assert!(ateco.find("99.99.99").is_none());
    }
}
