//! /admin/staff: the administrators' page of back-office accounts. Invite
//! an officer; change a role; deactivate or reactivate; forget a lost
//! phone. Each row's buttons are forms: it works without JavaScript.

use crate::components::{ChoiceField, CsrfField, ErrorSummary, Field, Notice};
use crate::page::{render, PageCtx};
use crate::view_data::{FormState, Role, StaffRow, StaffView};
use leptos::prelude::*;

const LABELS: [(&str, &str); 3] = [
    ("email", "form.email"),
    ("role", "admin_staff.role"),
    ("lang", "admin_staff.lang"),
];

pub fn staff(ctx: &PageCtx, v: &StaffView, form: &FormState) -> String {
    let lang = ctx.lang;
    let title = ctx.t("admin_staff.title");
    let notice = v
        .notice
        .map(|(key, kind)| view! { <Notice text=ctx.t(key) kind=kind /> });
    let rows = v.rows.iter().map(|r| row(ctx, r)).collect::<Vec<_>>();
    let roles = vec![
        ("staff".to_string(), ctx.t("admin_staff.role_staff")),
        ("admin".to_string(), ctx.t("admin_staff.role_admin")),
    ];
    let langs = vec![
        ("it".to_string(), "Italiano".to_string()),
        ("en".to_string(), "English".to_string()),
    ];
    let body = view! {
        <h1>{title.clone()}</h1>
        <p>{ctx.t("admin_staff.intro")}</p>
        {notice}
        <div class="table-responsive">
            <table class="table table-stack" id="staff" role="table">
                <caption class="visually-hidden">{title.clone()}</caption>
                <thead role="rowgroup"><tr role="row">
                    <th scope="col" role="columnheader">{ctx.t("form.email")}</th>
                    <th scope="col" role="columnheader">{ctx.t("admin_staff.role")}</th>
                    <th scope="col" role="columnheader">{ctx.t("admin_staff.second_factor")}</th>
                    <th scope="col" role="columnheader">{ctx.t("admin_staff.state")}</th>
                    <th scope="col" role="columnheader">{ctx.t("admin_staff.actions")}</th>
                </tr></thead>
                <tbody role="rowgroup">{rows}</tbody>
            </table>
        </div>
        <section aria-labelledby="invite-title" class="mt-5" id="invite">
            <h2 id="invite-title" class="h3">{ctx.t("admin_staff.invite_title")}</h2>
            <p>{ctx.t("admin_staff.invite_intro")}</p>
            <ErrorSummary lang form=form.clone() labels=LABELS.to_vec() />
            <form method="post" action="/admin/staff" novalidate=true>
                <CsrfField token=ctx.csrf.clone() />
                <Field lang form=form.clone() name="email" label="form.email" kind="email" autocomplete="off" />
                <ChoiceField lang form=form.clone() name="role" label="admin_staff.role" options=roles />
                <ChoiceField lang form=form.clone() name="lang" label="admin_staff.lang" options=langs />
                <button type="submit" class="btn btn-primary" id="invite-send">{ctx.t("admin_staff.invite_send")}</button>
            </form>
        </section>
    };
    render(ctx, &title, body.into_any())
}

fn row(ctx: &PageCtx, r: &StaffRow) -> impl IntoView {
    let action = format!("/admin/staff/{}", r.id);
    // One small form per button: each posts its own action.
    // The account is named for screen readers: every row has the same buttons.
    let button = |name: &'static str, role: &'static str, key: &'static str| {
        let action = action.clone();
        view! {
            <form method="post" action=action class="d-inline-block me-2 mb-1">
                <CsrfField token=ctx.csrf.clone() />
                <input type="hidden" name="action" value=name />
                <input type="hidden" name="role" value=role />
                <button type="submit" class="btn btn-outline-primary btn-sm">
                    {ctx.t(key)} <span class="visually-hidden">" – " {r.email.clone()}</span>
                </button>
            </form>
        }
    };
    let role_button = (!r.me).then(|| match r.role {
        Role::Admin => button("role", "staff", "admin_staff.make_staff"),
        _ => button("role", "admin", "admin_staff.make_admin"),
    });
    let active_button = match (r.active, r.me) {
        (true, false) => Some(button("deactivate", "", "admin_staff.deactivate")),
        (false, _) => Some(button("reactivate", "", "admin_staff.reactivate")),
        (true, true) => None,
    };
    // Offered before enrolment too: a key shown to the wrong person is reset.
    let reset_button = button("reset_second_factor", "", "admin_staff.reset_second_factor");
    let role = match r.role {
        Role::Admin => ctx.t("admin_staff.role_admin"),
        _ => ctx.t("admin_staff.role_staff"),
    };
    let enrolled = ctx.t(if r.enrolled {
        "admin_staff.enrolled"
    } else {
        "admin_staff.not_enrolled"
    });
    let state = ctx.t(if r.active {
        "admin_staff.active"
    } else {
        "admin_staff.inactive"
    });
    view! {
        <tr role="row">
            <td role="cell" data-label=ctx.t("form.email")>{r.email.clone()}</td>
            <td role="cell" data-label=ctx.t("admin_staff.role")>{role}</td>
            <td role="cell" data-label=ctx.t("admin_staff.second_factor")>{enrolled}</td>
            <td role="cell" data-label=ctx.t("admin_staff.state")>{state}</td>
            <td role="cell" data-label=ctx.t("admin_staff.actions")>{role_button}{active_button}{reset_button}</td>
        </tr>
    }
}
