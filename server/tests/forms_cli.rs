//! `portal-server forms template|check`: what staff run by hand (and the browser
//! tests, for a complete example file).

use std::process::Command;

fn portal(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_portal-server"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn a_template_is_written_and_an_empty_one_is_reported_field_by_field() {
    let dir = std::env::temp_dir().join(format!("forms-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("b.xlsx");
    let path = path.to_str().unwrap();
    let (code, _) = portal(&[
        "forms", "template", "--kind", "b", "--lang", "en", "--out", path,
    ]);
    assert_eq!(code, 0);

    let (code, text) = portal(&["forms", "check", path, "--lang", "en"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("template version 1, Investment proposal, sheet «Data»"),
        "{text}"
    );
    assert!(
        text.contains("ERROR C5 Title (Italian): mandatory: enter a value."),
        "{text}"
    );
    assert!(text.contains("The file cannot be accepted."), "{text}");

    let (code, text) = portal(&["forms", "check", path, "--kind", "a"]);
    assert_eq!(code, 1);
    assert!(text.contains("Il modello è per «Proposta di investimento», ma la candidatura è «Opportunità insediativa»"), "{text}");

    std::fs::write(dir.join("fake.xlsx"), b"%PDF-1.7").unwrap();
    let (code, text) = portal(&["forms", "check", dir.join("fake.xlsx").to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(text.contains("non è un foglio di calcolo"), "{text}");

    // The example is complete and valid.
    let (code, _) = portal(&[
        "forms",
        "template",
        "--kind",
        "a",
        "--example",
        "--out",
        path,
    ]);
    assert_eq!(code, 0);
    let (code, text) = portal(&["forms", "check", path]);
    assert_eq!(code, 0, "{text}");

    let (code, text) = portal(&["forms", "template", "--kind", "z", "--out", path]);
    assert_eq!(code, 2);
    assert!(text.contains("unknown kind"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
