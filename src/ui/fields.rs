//! Form fields of the inspector: a text field (one line, or a text area) that commits on change
//! (Enter or leaving a line, leaving a text area), so one typed value is one edit (one undo step).

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
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
    /// Why a typed value would be refused (`None`: it is fine). A refused value is not
    /// committed: the field shows the reason and the model's value again.
    #[prop_or_default]
    pub check: Option<Callback<String, Option<String>>>,
    /// A text area of this many rows instead of a one-line input (0: one line).
    #[prop_or_default]
    pub rows: u32,
}

/// The input or text area a change event came from.
enum Control {
    Input(HtmlInputElement),
    Area(HtmlTextAreaElement),
}

impl Control {
    fn of(e: &Event) -> Option<Control> {
        let target = e.target()?;
        match target.dyn_into::<HtmlInputElement>() {
            Ok(input) => Some(Control::Input(input)),
            Err(other) => other.dyn_into::<HtmlTextAreaElement>().ok().map(Control::Area),
        }
    }
    fn value(&self) -> String {
        match self {
            Control::Input(i) => i.value(),
            Control::Area(a) => a.value(),
        }
    }
    fn set_value(&self, value: &str) {
        match self {
            Control::Input(i) => i.set_value(value),
            Control::Area(a) => a.set_value(value),
        }
    }
}

/// Shows `value` in the input or text area behind `control` without making it a controlled
/// field. Yew writes a `value` prop back into the element on every render of the component,
/// which would wipe what the user is typing whenever something else re-renders the form (an
/// autosave finishing, another tab's save, a compile's answer). Here the value is written only
/// when it changes (and when the element is created), never on other renders.
#[hook]
pub fn use_shown_value(control: &NodeRef, value: &AttrValue) {
    let control = control.clone();
    use_effect_with(value.clone(), move |value| {
        if let Some(input) = control.cast::<HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(area) = control.cast::<HtmlTextAreaElement>() {
            area.set_value(value);
        }
    });
}

/// A labelled input; re-created when the model's value changes (so a refused edit shows the
/// model's value again on the next change). What is typed and not yet committed survives any
/// other re-render (see [`use_shown_value`]).
#[function_component(TextField)]
pub fn text_field(props: &TextFieldProps) -> Html {
    let error = use_state(|| None::<String>);
    // Enter commits a line, and the committed value re-creates the input: the focus is put back
    // in the new one (unless it went elsewhere meanwhile), so typing can go on in the form.
    let control = use_node_ref();
    use_shown_value(&control, &props.value);
    let entered = use_mut_ref(|| false);
    {
        let (control, entered) = (control.clone(), entered.clone());
        use_effect_with(props.value.clone(), move |_| {
            if std::mem::take(&mut *entered.borrow_mut()) {
                let document = gloo::utils::document();
                let lost = document
                    .active_element()
                    .is_none_or(|a| Some(a) == document.body().map(Into::into));
                if let (true, Some(input)) = (lost, control.cast::<web_sys::HtmlElement>()) {
                    let _ = input.focus();
                }
            }
        });
    }
    let onkeydown = {
        let entered = entered.clone();
        Callback::from(move |e: KeyboardEvent| *entered.borrow_mut() = e.key() == "Enter")
    };
    let on_commit = props.on_commit.clone();
    let value = props.value.clone();
    let check = props.check.clone();
    let onchange = {
        let error = error.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = Control::of(&e) {
                let text = input.value();
                if text == value.as_str() {
                    error.set(None);
                    return;
                }
                match check.as_ref().and_then(|c| c.emit(text.clone())) {
                    Some(reason) => {
                        input.set_value(&value);
                        error.set(Some(reason));
                    }
                    None => {
                        error.set(None);
                        on_commit.emit(text);
                    }
                }
            }
        })
    };
    let invalid = error.is_some();
    html! {
        <label class={classes!("field", invalid.then_some("invalid"))}>
            <span class="field-label">{ props.label.clone() }</span>
            if props.rows > 0 {
                <textarea key={props.value.to_string()} rows={props.rows.to_string()} ref={control}
                    data-testid={props.testid.clone()} placeholder={props.placeholder.clone()}
                    aria-label={props.label.clone()} aria-invalid={invalid.to_string()} {onchange} />
            } else {
                <input key={props.value.to_string()} type={props.kind.clone()} ref={control}
                    data-testid={props.testid.clone()} placeholder={props.placeholder.clone()}
                    aria-label={props.label.clone()} aria-invalid={invalid.to_string()} {onchange} {onkeydown} />
            }
            if let Some(reason) = (*error).clone() {
                <span class="field-error" role="alert" data-testid={format!("{}-error", props.testid)}>{ reason }</span>
            }
        </label>
    }
}
