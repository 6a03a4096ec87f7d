//! Demo accounts for a fresh development portal: one per role, printed at start-up.

use crate::auth::accounts::create_user;
use crate::error::AppResult;
use crate::state::AppState;
use app::view_data::Role;
use app::Lang;

pub const PASSWORD: &str = "Lombardia-Demo-2028";

pub const ACCOUNTS: [(&str, Role); 4] = [
    ("proponente@demo.test", Role::Proponent),
    ("investitore@demo.test", Role::Investor),
    ("istruttore@demo.test", Role::Staff),
    ("admin@demo.test", Role::Admin),
];

/// Creates the demo accounts that do not exist yet; existing data is left alone.
pub async fn seed(state: &AppState) -> AppResult<usize> {
    let mut created = 0;
    for (email, role) in ACCOUNTS {
        let now = state.clock.now();
        if create_user(&state.db, email, PASSWORD, role, Lang::It, true, now)
            .await?
            .is_some()
        {
            created += 1;
        }
    }
    Ok(created)
}

pub fn describe() -> String {
    let mut out = String::from("Demo accounts (password for all: ");
    out.push_str(PASSWORD);
    out.push_str("):\n");
    for (email, role) in ACCOUNTS {
        out.push_str(&format!("  {:<10} {email}\n", role.code()));
    }
    out
}
