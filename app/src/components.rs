//! Form building blocks that carry the accessibility rules once:
//! a label for every field, hints and errors tied with aria-describedby,
//! and an error summary at the top linking to each field.

use crate::i18n::{t, Lang};
use crate::islands::file_chooser::{FileChooser, FileInput};
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

/// What a field's label, hint and error share: the ids that tie them to the control.
struct FieldParts {
    id: String,
    hint_id: String,
    error_id: String,
    error: Option<&'static str>,
    /// The aria-describedby value: the hint and the error, when present.
    described: Option<String>,
}

impl FieldParts {
    fn new(form: &FormState, name: &str, hint: Option<&'static str>) -> FieldParts {
        let id = field_id(name);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let error = form.error(name);
        let described = [
            hint.map(|_| hint_id.clone()),
            error.map(|_| error_id.clone()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let described = (!described.is_empty()).then_some(described);
        FieldParts {
            id,
            hint_id,
            error_id,
            error,
            described,
        }
    }

    /// A text control's classes: marked invalid when its field has an error.
    fn control_class(&self) -> &'static str {
        if self.error.is_some() {
            "form-control is-invalid"
        } else {
            "form-control"
        }
    }

    fn label(&self, lang: Lang, label: &'static str, required: bool) -> impl IntoView {
        view! {
            <label for=self.id.clone() id=format!("{}-label", self.id) class="active">
                {t(lang, label)}
                {required.then(|| view! { <span class="field-required">" (" {t(lang, "form.required")} ")"</span> })}
            </label>
        }
    }

    fn hint_and_error(&self, lang: Lang, hint: Option<&'static str>) -> impl IntoView {
        let hint_id = self.hint_id.clone();
        let error_id = self.error_id.clone();
        view! {
            {hint.map(|h| view! { <small id=hint_id class="form-text">{t(lang, h)}</small> })}
            {self.error.map(|e| view! { <div id=error_id class="invalid-feedback d-block">{t(lang, e)}</div> })}
        }
    }
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
    /// The id of a <datalist> of suggestions (works without JavaScript).
    #[prop(optional)]
    list: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let parts = FieldParts::new(&form, name, hint);
    let value = if kind == "password" {
        String::new()
    } else {
        form.value(name)
    };
    view! {
        <div class="form-group portal-field">
            {parts.label(lang, label, required)}
            <input
                type=kind
                id=parts.id.clone()
                name=name
                value=value
                class=parts.control_class()
                aria-invalid=parts.error.map(|_| "true")
                aria-describedby=parts.described.clone()
                autocomplete=autocomplete
                list=list
                required=required
            />
            {parts.hint_and_error(lang, hint)}
        </div>
    }
}

/// A labelled drop-down list; `options` are (value, translation key) pairs.
/// The first, empty option asks the person to choose, so nothing is preselected by accident.
#[component]
pub fn SelectField(
    lang: Lang,
    form: FormState,
    name: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let mut choices = vec![(String::new(), t(lang, "profile.choose"))];
    choices.extend(
        options
            .into_iter()
            .map(|(v, key)| (v.to_string(), t(lang, key))),
    );
    select(
        lang,
        &form,
        name,
        label,
        choices,
        hint,
        (required, required),
    )
}

/// A drop-down whose options are data (already translated), not fixed keys;
/// the first option is the default, so the choice is never missing.
#[component]
pub fn ChoiceField(
    lang: Lang,
    form: FormState,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    // Marked required for the reader; the default option already answers it.
    select(lang, &form, name, label, options, hint, (true, false))
}

/// A drop-down that narrows a list (a filter), not a question: nothing is
/// required, and the first option (already translated, e.g. "all") shows everything.
#[component]
pub fn FilterField(
    lang: Lang,
    form: FormState,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
) -> impl IntoView {
    select(lang, &form, name, label, options, None, (false, false))
}

/// A labelled multi-line text, echoed back when the form comes back with an error.
#[component]
pub fn TextAreaField(
    lang: Lang,
    form: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = true)] required: bool,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let parts = FieldParts::new(&form, name, hint);
    view! {
        <div class="form-group portal-field mb-4">
            {parts.label(lang, label, required)}
            <textarea
                id=parts.id.clone()
                name=name
                rows=rows
                class=parts.control_class()
                aria-invalid=parts.error.map(|_| "true")
                aria-describedby=parts.described.clone()
                required=required
            >
                {form.value(name)}
            </textarea>
            {parts.hint_and_error(lang, hint)}
        </div>
    }
}

/// The markup both drop-downs share: label, the options with the current one
/// selected, hint and error. `required`: (marked so in the label, the list's
/// `required` attribute).
fn select(
    lang: Lang,
    form: &FormState,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    hint: Option<&'static str>,
    (marked, required): (bool, bool),
) -> impl IntoView {
    let parts = FieldParts::new(form, name, hint);
    let current = form.value(name);
    let choices = options
        .into_iter()
        .map(|(value, text)| {
            let selected = current == value;
            view! { <option value=value selected=selected>{text}</option> }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="select-wrapper portal-field mb-4">
            {parts.label(lang, label, marked)}
            <select
                id=parts.id.clone()
                name=name
                class=parts.error.map(|_| "is-invalid")
                aria-invalid=parts.error.map(|_| "true")
                aria-describedby=parts.described.clone()
                required=required
            >
                {choices}
            </select>
            {parts.hint_and_error(lang, hint)}
        </div>
    }
}

/// A labelled file chooser in bootstrap-italia's upload pattern: the browser's
/// own control (labelled in the browser's language, not the page's) is hidden
/// and its label, a button in the page's language, opens it. With JavaScript an
/// island names the file chosen. Browsers never let a page prefill a file input,
/// so nothing is echoed back.
#[component]
pub fn FileField(
    lang: Lang,
    form: FormState,
    name: &'static str,
    label: &'static str,
    accept: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    /// Whether the candidacy needs this file: only then is it marked mandatory
    /// (an optional report or an identity document not needed yet is not).
    #[prop(default = true)]
    required: bool,
) -> impl IntoView {
    let parts = FieldParts::new(&form, name, hint);
    let input = FileInput {
        id: parts.id.clone(),
        name: name.to_string(),
        accept: accept.to_string(),
        required,
        invalid: parts.error.is_some(),
        described_by: parts.described.clone(),
        labelled_by: format!("{}-label", parts.id),
        choose: t(lang, "form.file_choose"),
        chosen: t(lang, "form.file_chosen"),
    };
    view! {
        <div class="form-group portal-field">
            {parts.label(lang, label, required)}
            <FileChooser input=input />
            {parts.hint_and_error(lang, hint)}
        </div>
    }
}

/// A success or information message.
#[component]
pub fn Notice(
    text: String,
    #[prop(default = "alert-success")] kind: &'static str,
) -> impl IntoView {
    view! { <div class=format!("alert {kind}") role="status"><p class="mb-0">{text}</p></div> }
}

/// A single checkbox (a confirmation, an opt-in) with its error next to it.
#[component]
pub fn CheckField(
    lang: Lang,
    form: FormState,
    name: &'static str,
    label: &'static str,
) -> impl IntoView {
    let id = field_id(name);
    let error = form.error(name);
    let error_id = format!("{id}-error");
    view! {
        <div class="form-check mb-3">
            <input
                class="form-check-input"
                type="checkbox"
                name=name
                id=id.clone()
                value="yes"
                checked=form.value(name) == "yes"
                aria-describedby=error.map(|_| error_id.clone())
                aria-invalid=error.map(|_| "true")
            />
            <label class="form-check-label" for=id>{t(lang, label)}</label>
            {error.map(|e| view! { <div id=error_id.clone() class="invalid-feedback d-block">{t(lang, e)}</div> })}
        </div>
    }
}
