//! Markdown to HTML, with raw HTML in the source shown as text, never executed;
//! and to plain text, for the text part of emails.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

pub fn to_html(source: &str) -> String {
    let parser = Parser::new_ext(source, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// The text a reader of a plain-text email should see: emphasis without its
/// asterisks, a link as its text followed by its address in brackets (or the
/// address alone when that is its text), list items with a dash, paragraphs
/// separated by a blank line.
pub fn to_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    // The address of the link being read, and where its text starts in `out`.
    let mut link: Option<(String, usize)> = None;
    for event in Parser::new_ext(source, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), out.len()))
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, start)) = link.take() {
                    if out[start..] != url {
                        out.push_str(&format!(" ({url})"));
                    }
                }
            }
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::End(TagEnd::Item) => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::List(_)) => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    let mut text = out.trim_end().replace("\n\n\n", "\n\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_text_has_no_markup_and_keeps_every_address() {
        let text = super::to_text(
            "Hi **you**, see [the page](https://a.test/x) or\n[https://b.test/y](https://b.test/y).\n\n- one\n- two\n\nBye",
        );
        assert_eq!(
            text,
            "Hi you, see the page (https://a.test/x) or\nhttps://b.test/y.\n\n- one\n- two\n\nBye\n"
        );
    }

    #[test]
    fn raw_html_is_escaped() {
        let html = super::to_html("Hi <script>alert(1)</script> **you**");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
        assert!(html.contains("<strong>you</strong>"));
    }
}
