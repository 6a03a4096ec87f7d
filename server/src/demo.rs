//! Demo accounts for a fresh development portal: one per role, printed at start-up.

use crate::accounts::operations::create_user;
use crate::candidacies;
use crate::candidacies::documents::{self, Finding};
use crate::candidacies::profiles;
use crate::candidacies::signed_forms;
use crate::candidacies::submission;
use crate::candidacies::uploads;
use crate::db::entities::{candidacy, profile, user};
use crate::error::{AppError, AppResult};
use crate::signatures;
use crate::state::AppState;
use app::view_data::Role;
use app::Lang;
use forms::signed_forms::Form;
use forms::{Call, Kind};

pub const PASSWORD: &str = "Lombardia-Demo-2028";

pub const ACCOUNTS: [(&str, Role); 4] = [
    ("proponente@demo.test", Role::Proponent),
    ("investitore@demo.test", Role::Investor),
    ("istruttore@demo.test", Role::Staff),
    ("admin@demo.test", Role::Admin),
];

/// The demo back-office accounts' TOTP secrets (base32), published like the
/// password so anyone can try the back office: add them to an authenticator
/// app, or let the browser tests compute the codes.
pub const TOTP_SECRETS: [(&str, &str); 2] = [
    ("istruttore@demo.test", "ISTRUTTOREDEMOTOTPSECRETLOMBARDY"),
    ("admin@demo.test", "ADMINDEMOTOTPSECRETLOMBARDIAREGI"),
];

/// Creates the demo accounts that do not exist yet, and with the officer
/// `sites` made-up sites online; existing data is left alone.
/// The demo proponent, when first created, gets a profile and two drafts.
pub async fn seed(state: &AppState, sites: usize) -> AppResult<usize> {
    let mut created = 0;
    for (email, role) in ACCOUNTS {
        let now = state.clock.now();
        if let Some(user) =
            create_user(&state.db, email, PASSWORD, role, Lang::It, true, now).await?
        {
            created += 1;
            if role == Role::Proponent {
                seed_proponent(state, &user).await?;
            }
            if let Some((_, secret)) = TOTP_SECRETS.iter().find(|(e, _)| *e == email) {
                enrolled(state, &user, secret).await?;
            }
            // A catalogue to browse: made-up sites across the region, published
            // by the demo officer the first time the demo runs.
            if role == Role::Staff {
                let now = state.clock.now();
                crate::seed::sites(&state.db, sites, user.id, now).await?;
            }
        }
    }
    Ok(created)
}

/// How many made-up sites the demo catalogue shows.
pub const DEMO_SITES: usize = 48;

async fn seed_proponent(state: &AppState, user: &user::Model) -> AppResult<()> {
    let user_id = user.id;
    let now = state.clock.now();
    let profile = profile::Model {
        user_id,
        subject_type: "organisation".into(),
        org_type: Some("public_body".into()),
        name: "Comune di Dalmine (dimostrativo)".into(),
        tax_code: "80050050154".into(),
        vat_number: None,
        legal_rep: Some("Maria Rossi".into()),
        legal_rep_tax_code: Some(crate::demo_pki::SIGNER.2.into()),
        address: "Piazza Libertà 1".into(),
        postcode: "24044".into(),
        city: "Dalmine".into(),
        email: "proponente@demo.test".into(),
        pec: None,
        phone: "+39 035 6224811".into(),
        property_role: "owner".into(),
        created_at: now,
        updated_at: now,
    };
    profiles::save(&state.db, user_id, profile.clone(), now).await?;
    let located =
        candidacies::create(&state.db, user_id, Kind::Settlement, None, u64::MAX, now).await?;
    let location = candidacies::Location {
        municipality_code: "016091".into(),
        address: "Via Provinciale 12".into(),
        postcode: "24044".into(),
        latitude: 45.6470,
        longitude: 9.6050,
    };
    candidacies::save_location(&state.db, located, location, now).await?;
    candidacies::create(&state.db, user_id, Kind::Investment, None, u64::MAX, now).await?;
    seed_submitted(state, user, &profile).await
}

/// A third candidacy, complete and submitted through the real path: the sample
/// template, a photo, two PDFs, forms A and B signed with the demo certificate.
async fn seed_submitted(
    state: &AppState,
    user: &user::Model,
    owner: &profile::Model,
) -> AppResult<()> {
    let now = state.clock.now();
    let pki = state.config.data_dir.join("demo-pki");
    crate::demo_pki::ensure(&pki).map_err(AppError::Internal)?;
    let c = candidacies::create(&state.db, user.id, Kind::Settlement, None, u64::MAX, now).await?;
    let location = candidacies::Location {
        municipality_code: "016024".into(),
        address: "Via Grumello 57".into(),
        postcode: "24127".into(),
        latitude: 45.6983,
        longitude: 9.6773,
    };
    candidacies::save_location(&state.db, c.clone(), location, now).await?;
    let c = candidacies::find_own(&state.db, user.id, c.id).await?;
    let internal = |e: String| AppError::Internal(e);
    let values = forms::sample::complete(Kind::Settlement);
    let xlsx = forms::template::write(Call::embedded(), Kind::Settlement, forms::Lang::It, &values)
        .map_err(|e| internal(e.to_string()))?;
    let report = forms::check_file(Call::embedded(), &xlsx, Some(Kind::Settlement));
    keep(
        state,
        &c,
        documents::TEMPLATE,
        "modello-compilato.xlsx",
        &xlsx,
        &documents::findings(&report),
        None,
    )
    .await?;
    let info = |label: &str| {
        vec![Finding {
            severity: "info".into(),
            it: label.into(),
            en: label.into(),
        }]
    };
    keep(
        state,
        &c,
        "photo",
        "vista-da-sud.png",
        &forms::sample::photo_png(),
        &info("PNG"),
        None,
    )
    .await?;
    for (purpose, name, title) in [
        (
            "perimeter",
            "perimetro.pdf",
            "Perimetro dell'area (dimostrativo)",
        ),
        (
            "cadastral_extract",
            "estratto-catastale.pdf",
            "Estratto di mappa catastale (dimostrativo)",
        ),
    ] {
        let meta = forms::pdf::PdfMeta {
            title: title.into(),
            lang: forms::Lang::It,
            keywords: vec![],
            footer: "Opportunity Lombardy".into(),
        };
        let pdf = forms::pdf::render(&format!("# {title}\n\nDocumento dimostrativo.\n"), &meta)
            .map_err(|e| internal(e.to_string()))?;
        keep(state, &c, purpose, name, &pdf, &info("PDF"), None).await?;
    }
    let expected = signed_forms::expected_signer(owner);
    for form in [Form::A, Form::B] {
        let pdf = signed_forms::render(form, &c, owner, None, forms::Lang::It).map_err(internal)?;
        let p7m = crate::demo_pki::sign(&pki, &pdf).map_err(internal)?;
        let Some(checked) = signatures::check(&p7m, &state.anchors) else {
            return Err(internal("the demo signature cannot be read".into()));
        };
        let a = signed_forms::assess(form, c.id, &checked, &expected);
        let name = format!("{}.p7m", form.file_name(forms::Lang::It, c.id));
        keep(
            state,
            &c,
            form.code(),
            &name,
            &p7m,
            &a.findings,
            Some(documents::Signed {
                verdict: Some(a.signature),
                signed_for: &signed_forms::checked_for(owner),
            }),
        )
        .await?;
    }
    match submission::submit(state, &c, user, Lang::It, "").await? {
        Ok(_) => Ok(()),
        // Real trust anchors are configured: the demo signature does not count there.
        Err(refusal) => {
            tracing::warn!(?refusal, "the demo candidacy stays a draft");
            Ok(())
        }
    }
}

async fn keep(
    state: &AppState,
    c: &candidacy::Model,
    purpose: &str,
    name: &str,
    bytes: &[u8],
    findings: &[Finding],
    signed: Option<documents::Signed<'_>>,
) -> AppResult<()> {
    let dir = state.config.uploads_dir();
    let stored = uploads::store_bytes(&dir, name, bytes)
        .await
        .map_err(|e| AppError::Internal(format!("{e:?}")))?;
    documents::record(
        &state.db,
        c.id,
        purpose,
        &stored,
        findings,
        signed,
        state.clock.now(),
    )
    .await?;
    Ok(())
}

/// A demo officer's authenticator app, already set up with `secret`.
async fn enrolled(state: &AppState, u: &user::Model, secret: &str) -> AppResult<()> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    user::Entity::update_many()
        .col_expr(
            user::Column::TotpSecret,
            Expr::value(Some(secret.to_string())),
        )
        .col_expr(
            user::Column::TotpConfirmedAt,
            Expr::value(Some(state.clock.now())),
        )
        .filter(user::Column::Id.eq(u.id))
        .exec(&state.db)
        .await?;
    Ok(())
}

pub fn describe() -> String {
    use crate::accounts::{second_factor::ISSUER, totp};
    let mut out = String::from("Demo accounts (password for all: ");
    out.push_str(PASSWORD);
    out.push_str("):\n");
    for (email, role) in ACCOUNTS {
        out.push_str(&format!("  {:<10} {email}\n", role.code()));
        if let Some((_, secret)) = TOTP_SECRETS.iter().find(|(e, _)| *e == email) {
            let bytes = totp::from_base32(secret).unwrap_or_default();
            out.push_str(&format!(
                "             second factor (TOTP) secret {secret}\n             {}\n",
                totp::otpauth_uri(ISSUER, email, &bytes)
            ));
        }
    }
    out.push_str(
        "  The demo proponent has a profile, two candidacy drafts and one submitted candidacy.\n",
    );
    out
}
