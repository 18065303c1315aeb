//! Form fields of the inspector: a text field that commits on change (Enter or leaving it), so
//! one typed value is one edit (one undo step).

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct TextFieldProps {
    pub label: AttrValue,
    pub value: AttrValue,
    pub testid: AttrValue,
    pub on_commit: Callback<String>,
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// `number` for numeric fields.
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
}

/// A labelled input; re-created when the model's value changes (so a refused edit shows the
/// model's value again on the next change).
#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let on_commit = props.on_commit.clone();
    let value = props.value.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            let text = input.value();
            if text != value.as_str() {
                on_commit.emit(text);
            }
        }
    });
    html! {
        <label class="field">
            <span class="field-label">{ props.label.clone() }</span>
            <input key={props.value.to_string()} type={props.kind.clone()} value={props.value.clone()}
                data-testid={props.testid.clone()} placeholder={props.placeholder.clone()}
                aria-label={props.label.clone()} {onchange} />
        </label>
    }
}
