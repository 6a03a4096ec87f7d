//! The proponent's profile (§4.2): entered once, reloaded into every new candidacy.

use crate::components::{CsrfField, ErrorSummary, Field, Notice, SelectField};
use crate::page::{render, PageCtx};
use crate::view_data::FormState;
use leptos::prelude::*;

/// Form field names with their label keys, in the order of the form (also the error summary's).
pub const FIELDS: [(&str, &str); 13] = [
    ("subject_type", "profile.subject_type"),
    ("org_type", "profile.org_type"),
    ("name", "profile.name"),
    ("tax_code", "profile.tax_code"),
    ("vat_number", "profile.vat_number"),
    ("legal_rep", "profile.legal_rep"),
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
    let f = || form.clone();
    let body = view! {
        <h1>{title.clone()}</h1>
        <p class="lead">{ctx.t("profile.intro")}</p>
        {saved.then(|| view! { <Notice text=ctx.t("profile.saved") /> })}
        <ErrorSummary lang form=f() labels=FIELDS.to_vec() />
        <form method="post" action="/profile" novalidate=true class="col-lg-8">
            <CsrfField token=ctx.csrf.clone() />
            <SelectField lang form=f() name="subject_type" label="profile.subject_type"
                options=vec![("person", "profile.subject_person"), ("organisation", "profile.subject_organisation")] />
            <SelectField lang form=f() name="org_type" label="profile.org_type" required=false
                options=vec![("public_body", "profile.org_public_body"), ("company", "profile.org_company"),
                             ("association", "profile.org_association"), ("foundation", "profile.org_foundation")] />
            <Field lang form=f() name="name" label="profile.name" autocomplete="name" />
            <Field lang form=f() name="tax_code" label="profile.tax_code" hint="profile.tax_code_hint" />
            <Field lang form=f() name="vat_number" label="profile.vat_number" hint="profile.vat_number_hint" required=false />
            <Field lang form=f() name="legal_rep" label="profile.legal_rep" hint="profile.legal_rep_hint" required=false />
            <Field lang form=f() name="address" label="profile.address" autocomplete="street-address" />
            <Field lang form=f() name="postcode" label="profile.postcode" autocomplete="postal-code" />
            <Field lang form=f() name="city" label="profile.city" autocomplete="address-level2" />
            <Field lang form=f() name="email" label="profile.email" kind="email" autocomplete="email" />
            <Field lang form=f() name="pec" label="profile.pec" kind="email" hint="profile.pec_hint" required=false />
            <Field lang form=f() name="phone" label="profile.phone" kind="tel" autocomplete="tel" />
            <SelectField lang form=f() name="property_role" label="profile.property_role"
                options=vec![("owner", "profile.role_owner"), ("co_owner", "profile.role_co_owner"),
                             ("intermediary", "profile.role_intermediary"), ("business_association", "profile.role_business_association")] />
            <button type="submit" class="btn btn-primary">{ctx.t("profile.submit")}</button>
        </form>
    };
    render(ctx, &title, body.into_any())
}
