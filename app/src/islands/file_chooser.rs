//! An upload field in bootstrap-italia's pattern: the browser's own control
//! (labelled in the browser's language, not the page's) is hidden, and its
//! label, a button in the page's language, opens it. The server renders it
//! whole, so it works without JavaScript; in the browser the island also says
//! which file was chosen.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the field is: its input's attributes and the words around it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileInput {
    pub id: String,
    pub name: String,
    pub accept: String,
    pub required: bool,
    pub invalid: bool,
    pub described_by: Option<String>,
    /// The button's words ("Scegli il file").
    pub choose: String,
    /// The sentence once a file is chosen, with `{name}` and `{size}` to fill in.
    pub chosen: String,
}

#[island]
pub fn FileChooser(input: FileInput) -> impl IntoView {
    let (text, _set_text) = signal(String::new());
    let chosen = input.chosen.clone();
    let on_change = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = _ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            _set_text.set(match file {
                Some(f) => describe(&chosen, &f.name(), f.size()),
                None => String::new(),
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &chosen;
    };
    view! {
        <input
            type="file"
            id=input.id.clone()
            name=input.name.clone()
            accept=input.accept.clone()
            class=if input.invalid { "upload is-invalid" } else { "upload" }
            aria-invalid=input.invalid.then_some("true")
            aria-describedby=input.described_by.clone()
            required=input.required
            on:change=on_change
        />
        <label for=input.id.clone() class="upload-button">
            <svg class="icon icon-sm" aria-hidden="true"><use href="/assets/svg/sprites.svg#it-upload"></use></svg>
            {input.choose.clone()}
        </label>
        <p class="upload-chosen" aria-live="polite">{text}</p>
    }
}

/// The sentence for a chosen file: its name and its size in KB or MB.
pub fn describe(template: &str, name: &str, bytes: f64) -> String {
    let size = if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", (bytes / 1024.0).ceil())
    };
    template.replace("{name}", name).replace("{size}", &size)
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn names_the_file_with_its_size() {
        assert_eq!(
            describe("{name} ({size})", "a.xlsx", 1500.0),
            "a.xlsx (2 KB)"
        );
        assert_eq!(
            describe("{name} ({size})", "b.pdf", 3.0 * 1024.0 * 1024.0),
            "b.pdf (3.0 MB)"
        );
    }
}
