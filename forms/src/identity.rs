//! Italian identity numbers: the codice fiscale of people (16 characters) and
//! bodies (11 digits), and the partita IVA (11 digits), with their check characters.

/// Upper case without spaces, as the numbers are compared and stored.
pub fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A codice fiscale: a person's 16 characters (omocodia included) or a body's 11 digits.
pub fn tax_code_ok(code: &str) -> bool {
    let code = normalise(code);
    match code.len() {
        16 => person_code_ok(&code),
        11 => vat_ok(&code),
        _ => false,
    }
}

/// The partita IVA: 11 digits, the last a Luhn-style check digit.
pub fn vat_ok(code: &str) -> bool {
    let code = normalise(code);
    let code = code.strip_prefix("IT").unwrap_or(&code);
    if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = code.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits[..10]
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    (10 - sum % 10) % 10 == digits[10]
}

/// Values of characters in odd positions (1st, 3rd, …) for the check letter.
const ODD: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

fn person_code_ok(code: &str) -> bool {
    let b = code.as_bytes();
    // Letters where letters go; digits, or their omocodia letters, where digits go.
    const OMOCODIA: &[u8] = b"LMNPQRSTUV";
    let letter_at = [0, 1, 2, 3, 4, 5, 8, 11, 15];
    for (i, &c) in b.iter().enumerate() {
        let ok = if letter_at.contains(&i) {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_digit() || OMOCODIA.contains(&c)
        };
        if !ok {
            return false;
        }
    }
    let value = |c: u8, odd: bool| -> u32 {
        let index = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c - b'A')
        };
        if odd {
            ODD[index as usize]
        } else {
            index
        }
    };
    let sum: u32 = b[..15]
        .iter()
        .enumerate()
        .map(|(i, &c)| value(c, i % 2 == 0))
        .sum();
    b[15] == b'A' + (sum % 26) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_tax_codes() {
        assert!(tax_code_ok("RSSMRA85T10A562S"));
        assert!(tax_code_ok("rssmra85t10a562s "));
        assert!(!tax_code_ok("RSSMRA85T10A562T"), "wrong check letter");
        assert!(!tax_code_ok("RSSMRA85T10A56"), "too short");
        assert!(
            !tax_code_ok("1SSMRA85T10A562S"),
            "digit where a letter goes"
        );
        // Omocodia: digits of the place code written as letters (6 → R, 2 → N); exactly one
        // check letter makes such a code valid.
        let valid: Vec<char> = ('A'..='Z')
            .filter(|c| tax_code_ok(&format!("RSSMRA85T10A5RN{c}")))
            .collect();
        assert_eq!(valid.len(), 1);
    }

    #[test]
    fn vat_numbers_and_body_tax_codes() {
        assert!(vat_ok("12345678903"));
        assert!(vat_ok("IT12345678903"));
        assert!(!vat_ok("12345678901"));
        assert!(!vat_ok("1234567890"));
        // Regione Lombardia's codice fiscale, a body's 11 digits.
        assert!(tax_code_ok("80050050154"));
    }
}
