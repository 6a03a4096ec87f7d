//! Rendering a whole page to an HTML string on the server.

use crate::i18n::Lang;
use crate::layout::Shell;
use crate::view_data::UserBadge;
use hydration_context::SsrSharedContext;
use leptos::config::LeptosOptions;
use leptos::nonce::Nonce;
use leptos::prelude::*;
use std::sync::Arc;

/// Everything the layout needs about the request.
#[derive(Clone, Debug)]
pub struct PageCtx {
    pub lang: Lang,
    pub user: Option<UserBadge>,
    /// Token every state-changing form must send back (double-submit cookie).
    pub csrf: String,
    /// Path of the current page, so the language switch can come back to it.
    pub path: String,
    /// Per-response nonce that the Content-Security-Policy allows for scripts.
    pub nonce: String,
    pub leptos: LeptosOptions,
    /// The same page in the other language, where it has its own address
    /// (path and query): the language switch goes there.
    pub alternate: Option<String>,
    /// What search engines and link previews read, on public pages.
    pub seo: Option<Seo>,
}

/// A public page's description for search engines and link previews.
#[derive(Clone, Debug, Default)]
pub struct Seo {
    /// The page's one address (absolute).
    pub canonical: String,
    /// (language code, absolute address) of each language's version.
    pub alternates: Vec<(String, String)>,
    pub description: String,
    /// An absolute address of a picture for link previews.
    pub image: Option<String>,
    /// schema.org data (JSON-LD), already serialised.
    pub json_ld: Option<String>,
}

impl PageCtx {
    pub fn t(&self, key: &str) -> String {
        crate::i18n::t(self.lang, key)
    }
}

/// Renders `body` inside the portal's layout as a complete HTML document.
/// The page ships no JavaScript or WebAssembly at all.
pub fn render(ctx: &PageCtx, title: &str, body: AnyView) -> String {
    render_document(ctx, title, body, false)
}

/// Like [`render`], for a page whose body contains islands: adds the hydration script.
pub fn render_with_islands(ctx: &PageCtx, title: &str, body: AnyView) -> String {
    render_document(ctx, title, body, true)
}

fn render_document(ctx: &PageCtx, title: &str, body: AnyView, islands: bool) -> String {
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
    let html = owner.with(|| {
        provide_context(Nonce::from_value(ctx.nonce.clone()));
        view! { <Shell ctx=ctx.clone() title=title.to_string() body=body islands=islands /> }
            .to_html()
    });
    format!("<!DOCTYPE html>{html}")
}

/// The text of the inline script that wakes the islands, as
/// `HydrationScripts` writes it: the same on every page and every request
/// (only its nonce attribute differs), so the server can allow it by its
/// hash. Pages kept for every anonymous visitor carry the nonce of the
/// request they were made for; the hash lets their script run.
pub fn islands_script(options: &LeptosOptions) -> String {
    use leptos::hydration::HydrationScripts;
    let owner = Owner::new_root(Some(Arc::new(SsrSharedContext::new())));
    let html = owner.with(|| {
        provide_context(Nonce::from_value("n".to_string()));
        view! { <HydrationScripts options=options.clone() islands=true /> }.to_html()
    });
    let start = html
        .find("<script")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let end = html.rfind("</script>");
    match (start, end) {
        (Some(a), Some(b)) if a <= b => html[a..b].to_string(),
        _ => String::new(),
    }
}
