//! Full-text search over the catalogue, the same in both languages: each
//! site's titles, descriptions, project title, municipality and province
//! are folded (lower case, accents off) into words; a query's words must
//! all be found, each as the start of a word ("logist" finds "logistica"
//! and "logistics"). Short function words of either language are skipped.
//! An inverted index (word → sites), so a query costs its words' postings,
//! not a scan of every description.

/// The most words of a query that count; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 8;
/// Words shorter than this match whole, longer ones as prefixes.
const PREFIX_FROM: usize = 3;

const STOP_WORDS: &[&str] = &[
    "a", "ad", "al", "alla", "allo", "ai", "agli", "alle", "an", "and", "at", "by", "con", "da",
    "dal", "dalla", "dei", "degli", "del", "della", "delle", "di", "e", "ed", "for", "fra", "gli",
    "i", "il", "in", "l", "la", "le", "lo", "nel", "nella", "o", "of", "on", "or", "per", "su",
    "sul", "sulla", "the", "to", "tra", "un", "una", "uno", "with",
];

/// `text` in lower case without accents, anything but letters and digits a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let plain = forms::reference::municipalities::fold_accent(c);
        out.push(if plain.is_alphanumeric() { plain } else { ' ' });
    }
    out
}

/// The words of `text` that count for search, folded.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split_whitespace()
        .filter(|w| !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// The words a query looks for: at most [`MAX_QUERY_WORDS`], each once.
pub fn query_words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(query) {
        if !out.contains(&w) && out.len() < MAX_QUERY_WORDS {
            out.push(w);
        }
    }
    out
}

/// Word → the sites (positions in the catalogue) whose text holds it.
#[derive(Debug, Default)]
pub struct WordIndex {
    /// Sorted by word, so a prefix is a contiguous run.
    words: Vec<(String, Vec<u32>)>,
}

impl WordIndex {
    /// The index of `texts`, one per site, in the catalogue's order.
    pub fn build<'a>(texts: impl Iterator<Item = &'a str>) -> WordIndex {
        let mut map: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for (at, text) in texts.enumerate() {
            for w in words(text) {
                let postings = map.entry(w).or_default();
                if postings.last() != Some(&(at as u32)) {
                    postings.push(at as u32);
                }
            }
        }
        WordIndex {
            words: map.into_iter().collect(),
        }
    }

    /// Which of `count` sites hold every word of `query` (all of them for
    /// a query without words).
    pub fn matching(&self, query: &[String], count: usize) -> Vec<bool> {
        let mut hits = vec![true; count];
        for word in query {
            let mut found = vec![false; count];
            for postings in self.postings(word) {
                for &at in postings {
                    found[at as usize] = true;
                }
            }
            for (hit, f) in hits.iter_mut().zip(found) {
                *hit &= f;
            }
        }
        hits
    }

    /// The postings of `word` whole, or of every word it starts when long enough.
    fn postings<'a>(&'a self, word: &'a str) -> impl Iterator<Item = &'a Vec<u32>> + 'a {
        let from = self.words.partition_point(|(w, _)| w.as_str() < word);
        let prefix = word.chars().count() >= PREFIX_FROM;
        self.words[from..]
            .iter()
            .take_while(move |(w, _)| {
                if prefix {
                    w.starts_with(word)
                } else {
                    w == word
                }
            })
            .map(|(_, p)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_case_accents_and_punctuation() {
        assert_eq!(fold("Città, PERCHÉ-così!"), "citta  perche cosi ");
    }

    #[test]
    fn every_query_word_must_start_a_word_of_the_site() {
        let texts = [
            "Capannone logistico a Dalmine, vicino all'autostrada",
            "Logistics warehouse near the motorway in Dalmine",
            "Area per uffici a Milano",
        ];
        let index = WordIndex::build(texts.iter().copied());
        let hits = |q: &str| index.matching(&query_words(q), texts.len());
        assert_eq!(hits("logist"), [true, true, false]);
        assert_eq!(hits("dalmine warehouse"), [false, true, false]);
        assert_eq!(hits("UFFICI"), [false, false, true]);
        assert_eq!(hits("città"), [false, false, false]);
        // Function words do not count; a query of only those finds everything.
        assert_eq!(hits("the of in"), [true, true, true]);
        // Short words match whole: "a" is skipped, "mi" does not find Milano.
        assert_eq!(hits("mi"), [false, false, false]);
    }

    #[test]
    fn a_long_query_is_cut_to_its_first_words() {
        let q: String = (0..100).map(|i| format!("word{i} ")).collect();
        assert_eq!(query_words(&q).len(), MAX_QUERY_WORDS);
    }
}
