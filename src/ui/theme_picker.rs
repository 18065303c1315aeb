//! The toolbar's theme button (`docs/editor.md`, "Dark mode"): the reader's choice of
//! [`ThemeChoice`], stepped system -> light -> dark.

use crate::model::theme::ThemeChoice;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct ThemePickerProps {
    pub choice: ThemeChoice,
    pub onchange: Callback<ThemeChoice>,
}

/// The toolbar's theme button: shows the current choice (◐ system, ☀ light, ☾ dark) and steps to
/// the next one.
#[function_component(ThemePicker)]
pub fn theme_picker(props: &ThemePickerProps) -> Html {
    let next = props.choice.next();
    let onclick = props.onchange.reform(move |_: MouseEvent| next);
    let (glyph, now) = match props.choice {
        ThemeChoice::System => ("◐", "follows the system"),
        ThemeChoice::Light => ("☀", "light"),
        ThemeChoice::Dark => ("☾", "dark"),
    };
    let label = format!("Theme: {now}; press for {}", next.name());
    html! {
        <button class="theme-button" data-testid="theme-picker" data-choice={props.choice.name()}
            aria-label={label.clone()} title={label} {onclick}>{ glyph }</button>
    }
}
