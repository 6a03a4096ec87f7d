//! Demo accounts for a fresh development portal: one per role, printed at start-up.

use crate::auth::accounts::create_user;
use crate::candidacies;
use crate::db::entities::profile;
use crate::error::AppResult;
use crate::profiles;
use crate::state::AppState;
use app::view_data::Role;
use app::Lang;
use forms::Kind;

pub const PASSWORD: &str = "Lombardia-Demo-2028";

pub const ACCOUNTS: [(&str, Role); 4] = [
    ("proponente@demo.test", Role::Proponent),
    ("investitore@demo.test", Role::Investor),
    ("istruttore@demo.test", Role::Staff),
    ("admin@demo.test", Role::Admin),
];

/// Creates the demo accounts that do not exist yet; existing data is left alone.
/// The demo proponent, when first created, gets a profile and two drafts.
pub async fn seed(state: &AppState) -> AppResult<usize> {
    let mut created = 0;
    for (email, role) in ACCOUNTS {
        let now = state.clock.now();
        if let Some(user) =
            create_user(&state.db, email, PASSWORD, role, Lang::It, true, now).await?
        {
            created += 1;
            if role == Role::Proponent {
                seed_proponent(state, user.id).await?;
            }
        }
    }
    Ok(created)
}

async fn seed_proponent(state: &AppState, user_id: i64) -> AppResult<()> {
    let now = state.clock.now();
    let profile = profile::Model {
        user_id,
        subject_type: "organisation".into(),
        org_type: Some("public_body".into()),
        name: "Comune di Dalmine (dimostrativo)".into(),
        tax_code: "80050050154".into(),
        vat_number: None,
        legal_rep: Some("Maria Rossi".into()),
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
    profiles::save(&state.db, user_id, profile, now).await?;
    let located = candidacies::create(&state.db, user_id, Kind::Settlement, now).await?;
    let location = candidacies::Location {
        municipality_code: "016091".into(),
        address: "Via Provinciale 12".into(),
        postcode: "24044".into(),
        latitude: 45.6470,
        longitude: 9.6050,
    };
    candidacies::save_location(&state.db, located, location, now).await?;
    candidacies::create(&state.db, user_id, Kind::Investment, now).await?;
    Ok(())
}

pub fn describe() -> String {
    let mut out = String::from("Demo accounts (password for all: ");
    out.push_str(PASSWORD);
    out.push_str("):\n");
    for (email, role) in ACCOUNTS {
        out.push_str(&format!("  {:<10} {email}\n", role.code()));
    }
    out.push_str("  The demo proponent has a profile and two candidacy drafts.\n");
    out
}
