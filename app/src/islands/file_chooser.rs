//! An upload field. Without JavaScript, and until the island wakes, it is the
//! browser's own control: labelled in the browser's language, but it names the
//! file chosen. Awake, the island turns it into bootstrap-italia's upload
//! pattern (the control hidden, a button in the page's language opening it)
//! and names the chosen file itself, in the page's language.

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
    /// The id of the field's visible label, the input's accessible name.
    pub labelled_by: String,
    /// The button's words ("Scegli il file").
    pub choose: String,
    /// The sentence once a file is chosen, with `{name}` and `{size}` to fill in.
    pub chosen: String,
}

#[island]
pub fn FileChooser(input: FileInput) -> impl IntoView {
    let (awake, set_awake) = signal(false);
    let (text, set_text) = signal(String::new());
    let field = NodeRef::<leptos::html::Input>::new();
    let chosen = StoredValue::new(input.chosen.clone());
    let name_the_file = move || {
        #[cfg(feature = "hydrate")]
        if let Some(el) = field.get_untracked() {
            let file = el.files().and_then(|files| files.get(0));
            set_text.set(match file {
                Some(f) => chosen.with_value(|c| describe(c, &f.name(), f.size())),
                None => String::new(),
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (field, chosen, set_text);
    };
    // Runs in the browser only, once the island is awake; a file chosen
    // before that is named too.
    Effect::new(move |_| {
        set_awake.set(true);
        name_the_file();
    });
    let invalid = input.invalid;
    let class = move || match (awake.get(), invalid) {
        (true, true) => "upload is-invalid",
        (true, false) => "upload",
        (false, true) => "form-control is-invalid",
        (false, false) => "form-control",
    };
    let id = input.id.clone();
    view! {
        <input
            node_ref=field
            type="file"
            id=input.id.clone()
            name=input.name.clone()
            accept=input.accept.clone()
            class=class
            aria-labelledby=input.labelled_by.clone()
            aria-invalid=input.invalid.then_some("true")
            aria-describedby=input.described_by.clone()
            required=input.required
            on:change=move |_| name_the_file()
        />
        // The button is a second label of the input: hidden from assistive
        // technology, which reads the field's own label (aria-labelledby).
        <Show when=move || awake.get()>
            <label for=id.clone() class="upload-button" aria-hidden="true">
                <svg class="icon icon-sm" aria-hidden="true"><use href="/assets/svg/sprites.svg#it-upload"></use></svg>
                {input.choose.clone()}
            </label>
        </Show>
        <p class="upload-chosen" aria-live="polite">{text}</p>
    }
    .into_any()
}

/// The sentence for a chosen file: its name and its size, as the portal
/// writes sizes elsewhere (KB with one decimal, MB past a megabyte).
pub fn describe(template: &str, name: &str, bytes: f64) -> String {
    let size = if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.1} KB", bytes / 1024.0)
    };
    // The size first: a file name may itself contain "{size}".
    template.replace("{size}", &size).replace("{name}", name)
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn names_the_file_with_its_size() {
        assert_eq!(
            describe("{name} ({size})", "a.xlsx", 1500.0),
            "a.xlsx (1.5 KB)"
        );
        assert_eq!(
            describe("{name}: {size}", "{size}.pdf", 1024.0),
            "{size}.pdf: 1.0 KB"
        );
        assert_eq!(
            describe("{name} ({size})", "b.pdf", 3.0 * 1024.0 * 1024.0),
            "b.pdf (3.0 MB)"
        );
    }
}
