//! Markdown to HTML, with raw HTML in the source shown as text, never executed.

use pulldown_cmark::{html, Event, Options, Parser};

pub fn to_html(source: &str) -> String {
    let parser = Parser::new_ext(source, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn raw_html_is_escaped() {
        let html = super::to_html("Hi <script>alert(1)</script> **you**");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("<strong>you</strong>"));
    }
}
