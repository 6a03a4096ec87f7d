//! Form building blocks that carry the accessibility rules once:
//! a label for every field, hints and errors tied with aria-describedby,
//! and an error summary at the top linking to each field.

use crate::i18n::{t, Lang};
use crate::view_data::FormState;
use leptos::prelude::*;

/// The id of a field's input element, shared by the summary links.
pub fn field_id(name: &str) -> String {
    format!("f-{name}")
}

/// Hidden CSRF token for a state-changing form.
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="_csrf" value=token /> }
}

#[component]
pub fn ErrorSummary(
    lang: Lang,
    form: FormState,
    labels: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    (!form.is_valid()).then(|| {
        let items = form
            .errors
            .iter()
            .map(|(name, key)| {
                let label = labels
                    .iter()
                    .find(|(field, _)| field == name)
                    .map(|(_, label_key)| t(lang, label_key))
                    .unwrap_or_default();
                let href = format!("#{}", field_id(name));
                view! { <li><a href=href>{label} ": " {t(lang, key)}</a></li> }
            })
            .collect::<Vec<_>>();
        view! {
            <div class="alert alert-danger" role="alert" id="error-summary">
                <p class="fw-semibold">{t(lang, "form.error_summary")}</p>
                <ul class="mb-0">{items}</ul>
            </div>
        }
    })
}

/// A labelled input. Passwords are never echoed back; everything else is.
#[component]
pub fn Field(
    lang: Lang,
    form: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let id = field_id(name);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = form.error(name);
    let value = if kind == "password" {
        String::new()
    } else {
        form.value(name)
    };
    let described = [
        hint.map(|_| hint_id.clone()),
        error.map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <div class="form-group portal-field">
            <label for=id.clone() class="active">
                {t(lang, label)}
                {required.then(|| view! { <span class="field-required">" (" {t(lang, "form.required")} ")"</span> })}
            </label>
            <input
                type=kind
                id=id
                name=name
                value=value
                class=if error.is_some() { "form-control is-invalid" } else { "form-control" }
                aria-invalid=error.map(|_| "true")
                aria-describedby=(!described.is_empty()).then_some(described)
                autocomplete=autocomplete
                required=required
            />
            {hint.map(|h| view! { <small id=hint_id class="form-text">{t(lang, h)}</small> })}
            {error.map(|e| view! { <div id=error_id class="invalid-feedback d-block">{t(lang, e)}</div> })}
        </div>
    }
}

/// A success or information message.
#[component]
pub fn Notice(
    text: String,
    #[prop(default = "alert-success")] kind: &'static str,
) -> impl IntoView {
    view! { <div class=format!("alert {kind}") role="status">{text}</div> }
}
