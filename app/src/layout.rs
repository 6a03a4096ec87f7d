//! The page frame: head, header with language switch and account links, footer.
//! Follows the bootstrap-italia header/footer structure (AgID guidelines).

use crate::page::PageCtx;
use leptos::hydration::HydrationScripts;
use leptos::prelude::*;

#[component]
pub fn Shell(ctx: PageCtx, title: String, body: AnyView, islands: bool) -> impl IntoView {
    let full_title = format!("{title} · {}", ctx.t("site.name"));
    let lang = ctx.lang.code();
    view! {
        <html lang=lang>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <title>{full_title}</title>
                <link rel="stylesheet" href="/assets/css/bootstrap-italia.min.css" />
                <link rel="stylesheet" href="/assets/css/portal.css" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {ctx.seo.clone().map(|seo| seo_tags(&ctx, &title, seo))}
                {islands.then(|| view! { <HydrationScripts options=ctx.leptos.clone() islands=true /> })}
            </head>
            <body>
                <div class="skiplinks">
                    <a class="visually-hidden-focusable" href="#main">{ctx.t("site.skip_to_content")}</a>
                    <a class="visually-hidden-focusable" href="#footer">{ctx.t("site.skip_to_footer")}</a>
                </div>
                <Header ctx=ctx.clone() />
                <main id="main" class="container my-5">{body}</main>
                <Footer ctx=ctx />
            </body>
        </html>
    }
}

/// The canonical address, each language's version, the description, the
/// OpenGraph preview and the schema.org data of a public page.
fn seo_tags(ctx: &PageCtx, title: &str, seo: crate::page::Seo) -> impl IntoView {
    let alternates = seo
        .alternates
        .iter()
        .map(|(lang, href)| view! { <link rel="alternate" hreflang=lang.clone() href=href.clone() /> })
        .collect::<Vec<_>>();
    // Italian is the default version for any other language.
    let default =
        seo.alternates.iter().find(|(lang, _)| lang == "it").map(
            |(_, href)| view! { <link rel="alternate" hreflang="x-default" href=href.clone() /> },
        );
    let locale = if ctx.lang == crate::i18n::Lang::En {
        "en_GB"
    } else {
        "it_IT"
    };
    // Inside a script element "</" would end it early: escaped, it reads the
    // same. A data block runs nothing, so it needs no nonce (and the page
    // stays the same for every visitor, which lets the catalogue cache it).
    let json_ld = seo.json_ld.map(|j| {
        let safe = j.replace('<', "\\u003c");
        view! { <script type="application/ld+json" inner_html=safe></script> }
    });
    view! {
        <link rel="canonical" href=seo.canonical.clone() />
        {alternates}
        {default}
        <meta name="description" content=seo.description.clone() />
        {open_graph("og:type", "website".into())}
        {open_graph("og:site_name", ctx.t("site.name"))}
        {open_graph("og:title", title.to_string())}
        {open_graph("og:description", seo.description.clone())}
        {open_graph("og:url", seo.canonical.clone())}
        {open_graph("og:locale", locale.into())}
        {seo.image.map(|src| open_graph("og:image", src))}
        {json_ld}
    }
}

/// `<meta property=… content=…>`: OpenGraph names its tags by `property`,
/// an attribute the view macro does not know, so it is set by name.
fn open_graph(property: &'static str, content: String) -> impl IntoView {
    use leptos::tachys::html::attribute::custom::CustomAttribute;
    leptos::html::meta()
        .attr("property", property)
        .attr("content", content)
}

#[component]
fn Header(ctx: PageCtx) -> impl IntoView {
    let other = ctx.t("site.switch_to_lang");
    let here = ctx.alternate.as_deref().unwrap_or(&ctx.path);
    let switch_href = format!("/lang/{other}?next={}", encode_path(here));
    let account_zone = match &ctx.user {
        Some(user) => view! {
            <span class="header-user">{ctx.t("site.logged_in_as")} " " {user.email.clone()}</span>
            <a class="btn btn-sm header-btn-outline" href="/account">{ctx.t("site.account")}</a>
            <form method="post" action="/logout" class="d-inline">
                <input type="hidden" name="_csrf" value=ctx.csrf.clone() />
                <button type="submit" class="btn btn-sm header-btn">{ctx.t("site.logout")}</button>
            </form>
        }
        .into_any(),
        None => view! {
            <a class="btn btn-sm header-btn-outline" href="/register">{ctx.t("site.register")}</a>
            <a class="btn btn-sm header-btn" href="/login">{ctx.t("site.login")}</a>
        }
        .into_any(),
    };
    let admin_link = ctx
        .user
        .as_ref()
        .filter(|u| u.role == crate::view_data::Role::Admin)
        .map(|_| view! {
            <li class="nav-item"><a class="nav-link" href="/admin/outbox">{ctx.t("site.admin_outbox")}</a></li>
            <li class="nav-item"><a class="nav-link" href="/admin/staff">{ctx.t("site.admin_staff")}</a></li>
            <li class="nav-item"><a class="nav-link" href="/staff/audit">{ctx.t("site.admin_audit")}</a></li>
        });
    let review_link = ctx
        .user
        .as_ref()
        .filter(|u| matches!(u.role, crate::view_data::Role::Staff | crate::view_data::Role::Admin))
        .map(|_| view! {
            <li class="nav-item"><a class="nav-link" href="/staff">{ctx.t("review.nav")}</a></li>
            <li class="nav-item"><a class="nav-link" href="/staff/dashboard">{ctx.t("site.staff_dashboard")}</a></li>
        });
    let profile_link = ctx
        .user
        .as_ref()
        .filter(|u| u.role == crate::view_data::Role::Proponent)
        .map(|_| view! {
            <li class="nav-item"><a class="nav-link" href="/candidacies">{ctx.t("site.candidacies_mine")}</a></li>
            <li class="nav-item"><a class="nav-link" href="/profile">{ctx.t("site.profile")}</a></li>
        });
    view! {
        <header class="it-header-wrapper">
            <div class="it-header-slim-wrapper">
                <div class="container">
                    <div class="it-header-slim-wrapper-content">
                        <span class="navbar-brand d-none d-md-inline">{ctx.t("site.region")}</span>
                        <div class="it-header-slim-right-zone header-actions">
                            <a class="header-lang" href=switch_href lang=other.clone() hreflang=other.clone()>
                                {ctx.t("site.switch_to")}
                            </a>
                            {account_zone}
                        </div>
                    </div>
                </div>
            </div>
            <div class="it-header-center-wrapper">
                <div class="container">
                    <div class="it-header-center-content-wrapper">
                        <div class="it-brand-wrapper">
                            <a href="/">
                                <div class="it-brand-text">
                                    <div class="it-brand-title">{ctx.t("site.name")}</div>
                                    <div class="it-brand-tagline">{ctx.t("site.tagline")}</div>
                                </div>
                            </a>
                        </div>
                    </div>
                </div>
            </div>
            // On a phone the menu folds into a disclosure that opens without
            // JavaScript; on a wide screen it is always open (see portal.css).
            <nav class="portal-nav" aria-label=ctx.t("site.menu")>
                <div class="container">
                    <details class="portal-menu">
                    <summary>{ctx.t("site.menu_toggle")}</summary>
                    <ul class="nav">
                        <li class="nav-item"><a class="nav-link" href="/">{ctx.t("site.home")}</a></li>
                        <li class="nav-item"><a class="nav-link" href="/#submit">{ctx.t("site.candidacies")}</a></li>
                        <li class="nav-item"><a class="nav-link" href=ctx.t("catalogue.path")>{ctx.t("site.catalogue")}</a></li>
                        <li class="nav-item"><a class="nav-link" href="/#assistance">{ctx.t("site.assistance")}</a></li>
                        {profile_link}
                        {review_link}
                        {admin_link}
                    </ul>
                    </details>
                </div>
            </nav>
        </header>
    }
}

#[component]
fn Footer(ctx: PageCtx) -> impl IntoView {
    view! {
        <footer class="it-footer" id="footer">
            <div class="it-footer-main">
                <div class="container py-4">
                    <p class="footer-title">{ctx.t("site.footer_title")}</p>
                    <ul class="footer-links">
                        <li><a href="/info/privacy">{ctx.t("site.privacy")}</a></li>
                        <li><a href="/info/accessibility">{ctx.t("site.accessibility")}</a></li>
                        <li><a href="/info/credits">{ctx.t("site.credits")}</a></li>
                    </ul>
                </div>
            </div>
        </footer>
    }
}

/// Percent-encodes a local path for use as a query value.
fn encode_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
