//! Plain data the server hands to the pages. No behaviour beyond formatting helpers.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Proponent,
    Investor,
    Staff,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Proponent, Role::Investor, Role::Staff, Role::Admin];

    /// The value stored in the database and used in forms.
    pub fn code(self) -> &'static str {
        match self {
            Role::Proponent => "proponent",
            Role::Investor => "investor",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Translation key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Proponent => "account.role_proponent",
            Role::Investor => "account.role_investor",
            Role::Staff => "account.role_staff",
            Role::Admin => "account.role_admin",
        }
    }
}

/// The logged-in user as the header shows them.
#[derive(Clone, Debug)]
pub struct UserBadge {
    pub email: String,
    pub role: Role,
}

/// A calendar instant already converted to Europe/Rome by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RomeDateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

/// What was typed into a form and what is wrong with it, so a rejected form
/// comes back with the user's input intact and each error beside its field.
#[derive(Clone, Debug, Default)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    /// (field name, translation key of the message), in the order of the form.
    pub errors: Vec<(String, &'static str)>,
}

impl FormState {
    pub fn with_values<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let values = pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        FormState {
            values,
            errors: Vec::new(),
        }
    }

    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// What was typed, without surrounding spaces: what a form's checks look at.
    pub fn trimmed(&self, name: &str) -> String {
        self.values
            .get(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }

    pub fn error(&self, name: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, key)| *key)
    }

    /// Records an error; only the first error of a field is kept, the one to fix first.
    pub fn add_error(&mut self, name: &str, key: &'static str) {
        if self.error(name).is_none() {
            self.errors.push((name.to_string(), key));
        }
    }

    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The same values with only the errors of `fields`: for one of several
    /// forms on a page, so its summary lists its own errors.
    pub fn only(&self, fields: &[&str]) -> FormState {
        FormState {
            values: self.values.clone(),
            errors: self
                .errors
                .iter()
                .filter(|(field, _)| fields.contains(&field.as_str()))
                .cloned()
                .collect(),
        }
    }
}

/// The submission deadline as the home page shows it.
#[derive(Clone, Debug)]
pub struct DeadlineView {
    pub closes_at: RomeDateTime,
    pub closes_at_epoch_ms: i64,
    pub now_epoch_ms: i64,
}

impl DeadlineView {
    pub fn is_open(&self) -> bool {
        self.now_epoch_ms <= self.closes_at_epoch_ms
    }
}

#[derive(Clone, Debug)]
pub struct AccountView {
    pub email: String,
    pub role: Role,
    pub registered_on: RomeDateTime,
}

#[derive(Clone, Debug)]
pub struct FailedEmailView {
    pub to: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: String,
    pub created: RomeDateTime,
}

/// One line of "My candidacies".
#[derive(Clone, Debug, PartialEq)]
pub struct CandidacyRow {
    pub id: i64,
    /// Translation keys.
    pub kind: &'static str,
    pub status: &'static str,
    /// "Bergamo (BG) – Via Grumello 57", empty until the location step is done.
    pub place: String,
    pub updated: RomeDateTime,
}

/// What every step of a candidacy shows at the top.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidacyHead {
    pub id: i64,
    pub kind: &'static str,
    pub status: &'static str,
    /// The request for integration the proponent is answering, if any.
    pub reopened: Option<ReopenedView>,
}

/// A request for integration, as the proponent reads it on every step.
#[derive(Clone, Debug, PartialEq)]
pub struct ReopenedView {
    pub due: RomeDateTime,
    pub overdue: bool,
    pub message: String,
    pub items: Vec<ReopenedItem>,
}

/// One item to fix: what, the officer's note, and the step that fixes it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReopenedItem {
    pub label: String,
    pub note: String,
    pub href: String,
}

/// Where the site's point falls, for the template step.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacementView {
    /// "Bergamo (BG)"
    pub province: String,
    /// The municipality's own province when it differs from the point's.
    pub municipality_province: Option<String>,
}

/// The last file uploaded for a candidacy step (the template, a signed form), with what the checks said.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadResultView {
    pub name: String,
    pub size_bytes: i64,
    pub uploaded: RomeDateTime,
    pub accepted: bool,
    /// (severity: error | warning | info, text in the page's language), errors first.
    pub findings: Vec<(String, String)>,
}

/// One attachment slot of a candidacy (photos, perimeter, …) with its files.
#[derive(Clone, Debug, PartialEq)]
pub struct AttachmentSlotView {
    /// "photo", "perimeter", …: also the form's `purpose`.
    pub purpose: &'static str,
    pub accept: &'static str,
    pub mandatory: bool,
    pub many: bool,
    pub files: Vec<AttachmentView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub size_bytes: i64,
    pub kind: String,
}

/// One signed form of a candidacy (form_a, form_b, form_c) or the signer's
/// identity document (id_document), with the last file uploaded for it.
#[derive(Clone, Debug, PartialEq)]
pub struct SignedSlotView {
    pub purpose: &'static str,
    /// Whether submission needs it (the identity document only with a handwritten signature).
    pub needed: bool,
    pub upload: Option<UploadResultView>,
    /// The file was checked against owner details changed since: it no longer counts.
    pub outdated: bool,
}

/// The "check and submit" page of a candidacy, or its summary once submitted.
#[derive(Clone, Debug, PartialEq)]
pub struct SubmissionView {
    /// (label key, what the candidacy holds, link to the step that changes it; empty for none).
    pub answers: Vec<(&'static str, String, String)>,
    /// Whole days until the closing instant.
    pub days_left: i64,
    pub editable: bool,
    /// What is still missing: (translation key, link to the step that fixes it).
    pub gaps: Vec<(&'static str, String)>,
    /// The closing instant has passed and this candidacy was never submitted.
    pub closed: bool,
    pub deadline: RomeDateTime,
    pub reference: Option<String>,
    pub submitted: Option<RomeDateTime>,
    pub has_receipt: bool,
    pub withdrawable: bool,
    pub withdrawn: bool,
    /// Read by the owner a delegate filed it for: nothing can be changed.
    pub read_only: bool,
}

/// One candidacy in the back office's queue.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueRow {
    /// The review page, with the queue's filters to come back to.
    pub href: String,
    pub reference: String,
    /// Translation keys.
    pub kind: &'static str,
    pub status: &'static str,
    pub place: String,
    pub submitted: Option<RomeDateTime>,
    /// Whole days since submission.
    pub days_waiting: i64,
    /// The officer in charge, by email.
    pub officer: Option<String>,
    pub delegated: bool,
    /// While staff must decide it.
    pub clock: Option<ClockView>,
}

/// How many candidacies of the queue are in one status.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusCount {
    /// As stored, and as the status filter takes it.
    pub code: &'static str,
    /// Translation key of its name.
    pub name: &'static str,
    /// The queue filtered by it, the other filters kept.
    pub href: String,
    pub count: u64,
    pub selected: bool,
}

/// The back office's queue: the filters as typed (a GET form), the count per
/// status, one page of rows.
#[derive(Clone, Debug)]
pub struct QueueView {
    pub filters: FormState,
    pub counts: Vec<StatusCount>,
    pub provinces: Vec<(String, String)>,
    pub rows: Vec<QueueRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The filters as a query string ("" for none), for the exports' links.
    pub export_query: String,
}

/// One document of a candidacy, as an officer sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewDocument {
    /// Already translated ("Foto", "Modulo A firmato").
    pub label: String,
    pub name: String,
    pub size_bytes: i64,
    pub href: String,
    /// A photo's thumbnail, made by the server.
    pub thumbnail: Option<String>,
    /// Translation key of the signature check's verdict, for signed forms.
    pub signature: Option<String>,
    pub uploaded: RomeDateTime,
}

/// One field of the template as the proponent typed it, with what the checks said.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewAnswer {
    pub label: String,
    pub typed: String,
    pub problems: Vec<String>,
}

/// One change in a candidacy's history.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryLine {
    pub at: RomeDateTime,
    /// "anna@regione.test (istruttore)".
    pub who: String,
    pub from: &'static str,
    pub to: &'static str,
    pub note: String,
}

/// A candidacy under review: everything the officer needs to decide it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewView {
    pub id: i64,
    pub reference: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub submitted: Option<RomeDateTime>,
    pub days_waiting: i64,
    pub officer: Option<String>,
    /// The queue page to go back to, filters kept.
    pub back: String,
    /// Those filters as a query string, carried by the page's forms.
    pub from: String,
    pub can_take: bool,
    pub can_decide: bool,
    /// After a lost race to take it: who has it.
    pub taken_by: Option<String>,
    /// (translation key of the label, value), already filled.
    pub parties: Vec<(&'static str, String)>,
    pub site: Vec<(&'static str, String)>,
    /// The site on the map, when it has coordinates.
    pub map: Option<MapView>,
    /// Automatic plausibility checks (place, areas, distances).
    pub checks: Vec<CheckView>,
    /// (section title, its answers), in the officer's language.
    pub template: Vec<(String, Vec<ReviewAnswer>)>,
    /// (severity, text) of the template's check.
    pub findings: Vec<(String, String)>,
    pub documents: Vec<ReviewDocument>,
    pub history: Vec<HistoryLine>,
    /// The officer in charge may ask for integration (the checklist's address).
    pub ask_href: Option<String>,
    pub clock: Option<ClockView>,
    /// Requests for integration, the latest first.
    pub requests: Vec<RequestView>,
    /// (account id, email) of the officers an administrator may give the
    /// candidacy to, the one in charge first; empty when not offered.
    pub reassign: Vec<(String, String)>,
    /// The preview from which it is published, when it may be.
    pub publish_href: Option<String>,
    pub can_unpublish: bool,
    pub can_revise: bool,
    /// The version online in the catalogue, and since when.
    pub online: Option<(i32, RomeDateTime)>,
    /// (title, link) of each reason template a rejection can start from.
    pub reason_templates: Vec<(String, String)>,
    /// Officers' internal notes, oldest first: (when, who, text).
    pub notes: Vec<(RomeDateTime, String, String)>,
}

/// A site as the public catalogue shows it, in one language.
#[derive(Clone, Debug, PartialEq)]
pub struct CardView {
    /// The card's language (its `lang` attribute), whatever the page's.
    pub lang: Lang,
    /// The title's language where it is not the card's (only the other one
    /// was filled in).
    pub title_lang: Option<Lang>,
    pub title: String,
    /// The site's page, in the catalogue (none in a preview).
    pub href: Option<String>,
    /// A thumbnail of its first photo.
    pub photo: Option<String>,
    /// Its reference, when the card can be chosen for the comparison.
    pub compare: Option<String>,
    /// "Via Grumello 57, Bergamo (BG)".
    pub place: String,
    /// Translation key of the kind.
    pub kind: &'static str,
    pub description: String,
    /// (label, value with its unit) of the key figures filled in.
    pub figures: Vec<(String, String)>,
}

/// The preview of a candidacy's public card, before publishing it.
#[derive(Clone, Debug, PartialEq)]
pub struct PublishView {
    pub id: i64,
    pub reference: String,
    pub back: String,
    pub from: String,
    /// Italian, then English.
    pub cards: Vec<CardView>,
    /// Translation keys of what stops publishing now.
    pub obstacles: Vec<&'static str>,
    /// The version online that publishing replaces.
    pub replaces: Option<i32>,
    /// When the candidacy last changed: sent back with the form, so what is
    /// published is what was previewed.
    pub seen: String,
}

/// The legal clock: days used and left to decide, stopped while a request is open.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClockView {
    pub used: i64,
    pub left: i64,
    pub stopped: bool,
    /// The open request's reply is past its due date.
    pub reply_overdue: bool,
}

/// A request for integration as the officer follows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestView {
    pub asked: RomeDateTime,
    pub due: RomeDateTime,
    /// No reply and the due date has passed.
    pub overdue: bool,
    pub officer: String,
    pub message: String,
    pub items: Vec<RequestItemView>,
    pub replied: Option<RomeDateTime>,
    pub reply: String,
    /// Closed without a reply: the candidacy was withdrawn (on `replied`).
    pub withdrawn: bool,
    /// What changed since the request (the latest request only).
    pub changes: Vec<ChangeView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RequestItemView {
    pub label: String,
    pub note: String,
    /// Changed since the request.
    pub resolved: bool,
}

/// One field or document, before the request and now.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeView {
    pub label: String,
    pub before: String,
    pub after: String,
}

/// The checklist from which an officer builds a request for integration.
#[derive(Clone, Debug, PartialEq)]
pub struct AskView {
    pub id: i64,
    pub reference: String,
    /// The review page, filters kept.
    pub back: String,
    pub from: String,
    /// (group title, its items).
    pub groups: Vec<(String, Vec<AskItem>)>,
}

/// One item the officer may mark: its code, label and value now.
#[derive(Clone, Debug, PartialEq)]
pub struct AskItem {
    pub code: String,
    pub label: String,
    pub current: String,
}

/// One line of the audit log, ready to show: every text already in the
/// reader's language.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditLine {
    pub seq: i64,
    pub at: RomeDateTime,
    /// "anna@regione.test (istruttore)", or the portal itself.
    pub who: String,
    /// The candidacy's reference and its review page, on the whole log.
    pub candidacy: Option<(String, String)>,
    /// Translation key of the action (`audit.action_*`).
    pub action: &'static str,
    pub subject: String,
    pub old: String,
    pub new: String,
    pub note: String,
}

/// The audit log: of one candidacy (its timeline), or the whole log for an
/// administrator, with the chain's check when asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditView {
    /// The candidacy's reference and review page; none for the whole log.
    pub candidacy: Option<(String, String)>,
    pub lines: Vec<AuditLine>,
    pub csv_href: String,
    /// The next page of older lines (whole log only).
    pub older_href: Option<String>,
    /// Whole log: the link that checks the chain, and the outcome once
    /// checked: (translation key, details).
    pub verify_href: Option<String>,
    pub verdict: Option<(&'static str, String)>,
}

/// Enrolling an authenticator app: the secret as typed by hand (in groups
/// of four), the `otpauth://` link, and the same link as a QR code (SVG
/// drawn by the server).
#[derive(Clone, Debug, PartialEq)]
pub struct EnrolView {
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

/// One back-office account on the administrators' page.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffRow {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Its authenticator app is set up.
    pub enrolled: bool,
    /// The administrator looking at the page.
    pub me: bool,
}

/// The administrators' page of back-office accounts.
#[derive(Clone, Debug, PartialEq)]
pub struct StaffView {
    pub rows: Vec<StaffRow>,
    /// (translation key, alert class) after a change or a refusal.
    pub notice: Option<(&'static str, &'static str)>,
}

/// The back office's figures, ready to draw: labels in the reader's
/// language, each count with the queue's address that lists it (if any).
#[derive(Clone, Debug, PartialEq)]
pub struct DashboardView {
    pub by_status: Vec<(String, u64, Option<String>)>,
    pub by_province: Vec<(String, u64, Option<String>)>,
    pub by_kind: Vec<(String, u64, Option<String>)>,
    pub backlog: Vec<(String, u64, Option<String>)>,
    /// Median days from submission to decision, and how many were decided.
    pub decision_days: Option<f64>,
    pub decided: usize,
    /// Median days to answer a request for integration, and how many answered.
    pub reply_days: Option<f64>,
    pub replied: usize,
    pub overdue: u64,
}

/// A map of Lombardy drawn by the server: the provinces' outlines as SVG
/// path data (in a `width`×`height` box), the one highlighted, and points.
/// Shared by the review page and, later, the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct MapView {
    pub width: f64,
    pub height: f64,
    pub provinces: Vec<MapProvince>,
    /// Sites, alone or grouped, in the box's pixels.
    pub marks: Vec<MapMark>,
    /// What the map shows, in words (its text alternative).
    pub description: String,
    /// The part shown (x, y, width, height) when zoomed in; `None`, all of it.
    pub view: Option<(f64, f64, f64, f64)>,
}

/// A province's outline on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct MapProvince {
    pub code: String,
    /// SVG path data.
    pub d: String,
    pub highlighted: bool,
    /// (address, accessible name) when the outline is a link (the catalogue
    /// filters by the province).
    pub link: Option<(String, String)>,
}

/// One site (`count` 1) or a group of sites around a point.
#[derive(Clone, Debug, PartialEq)]
pub struct MapMark {
    pub x: f64,
    pub y: f64,
    pub count: usize,
    /// A single site's page and title, which the map island names when
    /// the pointer is on it.
    pub site: Option<(String, String)>,
}

/// An automatic plausibility check on the review page: passed or not, and
/// what it found, in the officer's language.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckView {
    pub ok: bool,
    pub text: String,
}

/// The public catalogue's list: the filters, the results, the map.
#[derive(Clone, Debug)]
pub struct CatalogueView {
    /// The list's address in the page's language (where the form goes).
    pub action: String,
    /// The words searched for, as typed.
    pub q: String,
    /// Nothing is online at all (not just nothing matching).
    pub empty_catalogue: bool,
    pub groups: Vec<FilterGroup>,
    /// ("Province: Bergamo", the address without it) for each filter in force.
    pub active: Vec<(String, String)>,
    pub total: usize,
    pub cards: Vec<CardView>,
    pub map: MapView,
    /// (code, label, chosen) of each order.
    pub sorts: Vec<(String, String, bool)>,
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// When nothing matches: (what to relax and what it gives, its address).
    pub relax: Vec<(String, String)>,
    /// The list without any filter.
    pub clear: String,
    /// The open-data page.
    pub open_data: String,
    /// Where the chosen cards are compared.
    pub compare: String,
    /// What the list offers for keeping its search.
    pub save: SaveSearch,
    /// The map's zoom and pan, once the island wakes.
    pub zoom: crate::islands::map_zoom::MapZoomView,
}

/// The catalogue list's offer to keep its search and email new sites.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveSearch {
    /// Nothing: the search has errors, or the account is not an investor's.
    Nothing,
    /// A visitor without an account: log in (and come back) or register.
    LogIn { login: String, register: String },
    /// An investor: the form, with the search's query and a name to start from.
    Form { query: String, suggested: String },
}

/// An investor's saved searches, and the form's errors when saving failed.
#[derive(Clone, Debug, Default)]
pub struct SavedSearchesView {
    pub searches: Vec<SavedSearchRow>,
    /// What was typed when saving failed (`name`, `query`), with the error.
    pub form: FormState,
    /// The search being saved, in words (when saving failed).
    pub pending: Vec<String>,
    pub saved: bool,
    pub deleted: bool,
    /// The catalogue's list in the page's language.
    pub catalogue: String,
    /// Searches one account may keep, and days between two emails.
    pub max: u64,
    pub every_days: i64,
}

#[derive(Clone, Debug)]
pub struct SavedSearchRow {
    pub id: i64,
    pub name: String,
    /// The list with its filters.
    pub href: String,
    /// Each filter in words ("Province: Bergamo").
    pub criteria: Vec<String>,
    pub saved_on: RomeDateTime,
    pub last_email: Option<RomeDateTime>,
}

/// The page of an unsubscribe link: the search it stops (none when it was
/// already stopped or never existed), and whether it is done.
#[derive(Clone, Debug)]
pub struct UnsubscribeView {
    pub name: Option<String>,
    pub criteria: Vec<String>,
    pub action: String,
    pub done: bool,
}

/// A group of filters, folded unless one of them is in force.
#[derive(Clone, Debug)]
pub struct FilterGroup {
    pub legend: String,
    pub open: bool,
    pub fields: Vec<FilterField>,
}

#[derive(Clone, Debug)]
pub struct FilterField {
    /// The parameter in the address.
    pub name: String,
    pub label: String,
    pub input: FilterInput,
    /// Why what was typed does not read (translated).
    pub error: Option<String>,
}

#[derive(Clone, Debug)]
pub enum FilterInput {
    Number(String),
    Date(String),
    Text(String),
    /// (value, label, chosen); the first is "any".
    Select(Vec<(String, String, bool)>),
    /// (value, label, ticked).
    Checks(Vec<(String, String, bool)>),
}

/// A site's public page.
#[derive(Clone, Debug)]
pub struct SiteView {
    /// The language the site's texts are in (the page's, unless only the
    /// other one was filled in).
    pub content_lang: Lang,
    pub title: String,
    pub reference: String,
    pub kind: String,
    pub place: String,
    pub description: String,
    /// The description's language (each text falls back on its own).
    pub description_lang: Lang,
    /// (thumbnail, large, alternative text).
    pub photos: Vec<(String, String, String)>,
    pub map: Option<MapView>,
    pub sections: Vec<SiteSection>,
    /// "Published on 3 May 2027 (version 2)".
    pub updated: String,
    /// The page's lasting address.
    pub share: String,
    /// The site's brief as an Excel file and as PDF, in both languages.
    pub brief: String,
    pub brief_pdf: String,
    /// "Ask about this site": a mailto until the investors' requests exist.
    pub ask: String,
    pub back: String,
}

/// A block of the site's page with who declared and who verified it.
#[derive(Clone, Debug)]
pub struct SiteSection {
    pub id: String,
    pub title: String,
    /// (label, value in words).
    pub rows: Vec<(String, String)>,
    pub provenance: String,
}

/// The open-data page: the files of the catalogue and their description.
#[derive(Clone, Debug)]
pub struct OpenDataView {
    pub sites: usize,
    /// When the newest version online was published, in words.
    pub modified: Option<String>,
    /// (name, address, what it holds).
    pub files: Vec<(String, String, String)>,
    pub licence: String,
    pub catalogue: String,
}

/// Sites side by side.
#[derive(Clone, Debug)]
pub struct CompareView {
    /// (title, place, the site's page, the comparison without it).
    pub columns: Vec<(String, String, String, String)>,
    /// (field, each site's value in words).
    pub rows: Vec<(String, Vec<String>)>,
    /// What was left out of the comparison, and why.
    pub notices: Vec<String>,
    /// The comparison as an Excel file.
    pub xlsx: Option<String>,
    pub back: String,
}
