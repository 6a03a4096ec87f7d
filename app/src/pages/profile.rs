//! The proponent's profile (§4.2): entered once, reloaded into every new candidacy.

use crate::components::{CheckField, CsrfField, ErrorSummary, Field, Notice, SelectField};
use crate::i18n::Lang;
use crate::page::{render, PageCtx};
use crate::pages::candidacies::heading;
use crate::view_data::{CandidacyHead, FormState};
use leptos::prelude::*;

/// Form field names with their label keys, in the order of the form (also the error summary's).
pub const FIELDS: [(&str, &str); 14] = [
    ("subject_type", "profile.subject_type"),
    ("org_type", "profile.org_type"),
    ("name", "profile.name"),
    ("tax_code", "profile.tax_code"),
    ("vat_number", "profile.vat_number"),
    ("legal_rep", "profile.legal_rep"),
    ("legal_rep_tax_code", "profile.legal_rep_tax_code"),
    ("address", "profile.address"),
    ("postcode", "profile.postcode"),
    ("city", "profile.city"),
    ("email", "profile.email"),
    ("pec", "profile.pec"),
    ("phone", "profile.phone"),
    ("property_role", "profile.property_role"),
];

pub fn profile(ctx: &PageCtx, form: &FormState, saved: bool) -> String {
    let lang = ctx.lang;
    let title = ctx.t("profile.title");
    let body = view! {
        <h1>{title.clone()}</h1>
        <p class="lead">{ctx.t("profile.intro")}</p>
        {saved.then(|| view! { <Notice text=ctx.t("profile.saved") /> })}
        <ErrorSummary lang form=form.clone() labels=FIELDS.to_vec() />
        <form method="post" action="/profile" novalidate=true class="col-lg-8">
            <CsrfField token=ctx.csrf.clone() />
            {fields(lang, form, true)}
            <button type="submit" class="btn btn-primary">{ctx.t("profile.submit")}</button>
        </form>
    };
    render(ctx, &title, body.into_any())
}

/// The owner a delegate files a candidacy for: the same details as a profile,
/// and whether the owner may read the candidacy.
pub fn owner(ctx: &PageCtx, head: &CandidacyHead, form: &FormState) -> String {
    let lang = ctx.lang;
    let title = ctx.t("candidacy.owner_title");
    let action = format!("/candidacies/{}/owner", head.id);
    let body = view! {
        {heading(ctx, head, "candidacy.owner_title")}
        <p class="lead">{ctx.t("candidacy.owner_intro")}</p>
        <ErrorSummary lang form=form.clone() labels=FIELDS.to_vec() />
        <form method="post" action=action novalidate=true class="col-lg-8">
            <CsrfField token=ctx.csrf.clone() />
            {fields(lang, form, false)}
            <CheckField lang form=form.clone() name="read_access" label="candidacy.owner_read_access" />
            <button type="submit" class="btn btn-primary">{ctx.t("candidacy.save_continue")}</button>
        </form>
    };
    render(ctx, &title, body.into_any())
}

/// Who, what kind, tax codes, address and contacts, and the role towards the property.
/// `own`: the person's own details, which the browser may fill in (WCAG 1.3.5);
/// someone else's are not autofilled with the user's.
fn fields(lang: Lang, form: &FormState, own: bool) -> impl IntoView {
    let f = || form.clone();
    let ac = |token: &'static str| if own { token } else { "off" };
    view! {
        <SelectField lang form=f() name="subject_type" label="profile.subject_type"
            options=vec![("person", "profile.subject_person"), ("organisation", "profile.subject_organisation")] />
        <SelectField lang form=f() name="org_type" label="profile.org_type" required=false
            options=vec![("public_body", "profile.org_public_body"), ("company", "profile.org_company"),
                         ("association", "profile.org_association"), ("foundation", "profile.org_foundation")] />
        <Field lang form=f() name="name" label="profile.name" autocomplete=ac("name") />
        <Field lang form=f() name="tax_code" label="profile.tax_code" hint="profile.tax_code_hint" />
        <Field lang form=f() name="vat_number" label="profile.vat_number" hint="profile.vat_number_hint" required=false />
        <Field lang form=f() name="legal_rep" label="profile.legal_rep" hint="profile.legal_rep_hint" required=false />
        <Field lang form=f() name="legal_rep_tax_code" label="profile.legal_rep_tax_code" hint="profile.legal_rep_tax_code_hint" required=false />
        <Field lang form=f() name="address" label="profile.address" autocomplete=ac("street-address") />
        <Field lang form=f() name="postcode" label="profile.postcode" autocomplete=ac("postal-code") />
        <Field lang form=f() name="city" label="profile.city" autocomplete=ac("address-level2") />
        <Field lang form=f() name="email" label="profile.email" kind="email" autocomplete=ac("email") />
        <Field lang form=f() name="pec" label="profile.pec" kind="email" hint="profile.pec_hint" required=false />
        <Field lang form=f() name="phone" label="profile.phone" kind="tel" autocomplete=ac("tel") />
        <SelectField lang form=f() name="property_role" label="profile.property_role"
            options=vec![("owner", "profile.role_owner"), ("co_owner", "profile.role_co_owner"),
                         ("intermediary", "profile.role_intermediary"), ("business_association", "profile.role_business_association")] />
    }
}
