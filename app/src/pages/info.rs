//! Pages whose text is Markdown kept in `forms/texts/` (privacy, accessibility, credits),
//! simple notices, and error pages.

use crate::page::{render, PageCtx};
use leptos::prelude::*;

/// `html` comes from the portal's own Markdown files, rendered with raw HTML escaped.
pub fn markdown_page(ctx: &PageCtx, title: &str, html: String) -> String {
    let body = view! { <article class="portal-prose" inner_html=html></article> };
    render(ctx, title, body.into_any())
}

/// A page with a heading and one message (e.g. "check your email").
pub fn notice(ctx: &PageCtx, title_key: &str, body_key: &str) -> String {
    let title = ctx.t(title_key);
    let body = view! {
        <h1>{title.clone()}</h1>
        <p id="notice">{ctx.t(body_key)}</p>
        <p><a href="/">{ctx.t("error.back_home")}</a></p>
    };
    render(ctx, &title, body.into_any())
}

/// Error page for an HTTP status; `kind` picks the message (e.g. "404", "csrf").
pub fn error(ctx: &PageCtx, kind: &str) -> String {
    let title = ctx.t(&format!("error.title_{kind}"));
    let login =
        (kind == "401").then(|| view! { <p><a href="/login">{ctx.t("site.login")}</a></p> });
    let body = view! {
        <h1>{title.clone()}</h1>
        <p>{ctx.t(&format!("error.body_{kind}"))}</p>
        {login}
        <p><a href="/">{ctx.t("error.back_home")}</a></p>
    };
    render(ctx, &title, body.into_any())
}
