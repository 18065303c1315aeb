//! The editor's overlays: keyboard help, examples gallery, "discard the model?" question, and
//! the notice bar (refused edits and imports).

use super::shortcuts::HELP;
use crate::examples;
use crate::state::{Action, Notice, Replacement};
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct DialogProps {
    pub dispatch: Callback<Action>,
}

#[function_component(HelpOverlay)]
pub fn help_overlay(props: &DialogProps) -> Html {
    let close = props.dispatch.reform(|_: MouseEvent| Action::Help(Some(false)));
    html! {
        <div class="overlay" data-testid="help-overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
            <div class="dialog framed">
                <h2>{ "Keyboard shortcuts" }</h2>
                <div class="dialog-body">
                    <table class="shortcuts">
                        { for HELP.iter().map(|(k, what)| html! { <tr><th><kbd>{ *k }</kbd></th><td>{ *what }</td></tr> }) }
                    </table>
                </div>
                <div class="buttons"><button data-testid="help-close" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}

#[function_component(Gallery)]
pub fn gallery(props: &DialogProps) -> Html {
    let close = props.dispatch.reform(|_: MouseEvent| Action::Gallery(false));
    let cards = examples::ALL.iter().map(|e| {
        let id = e.id;
        let open = props
            .dispatch
            .reform(move |_: MouseEvent| Action::RequestReplace(Replacement::Example(id)));
        html! {
            <li>
                <button class="example-card" data-testid={format!("example-{id}")} onclick={open}>
                    <strong>{ e.title }</strong>
                    <span>{ e.blurb }</span>
                </button>
            </li>
        }
    });
    html! {
        <div class="overlay" data-testid="gallery" role="dialog" aria-modal="true" aria-label="Examples">
            <div class="dialog wide framed">
                <h2>{ "Examples" }</h2>
                <div class="dialog-body"><ul class="examples">{ for cards }</ul></div>
                <div class="buttons"><button data-testid="gallery-close" onclick={close}>{ "Close" }</button></div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct ConfirmProps {
    pub replacement: Replacement,
    pub dispatch: Callback<Action>,
}

#[function_component(ConfirmReplace)]
pub fn confirm_replace(props: &ConfirmProps) -> Html {
    let what = match &props.replacement {
        Replacement::New => "start a new, empty model".to_owned(),
        Replacement::Example(id) => {
            format!("open the example \"{}\"", examples::by_id(id).map_or(*id, |e| e.title))
        }
    };
    let yes = props.dispatch.reform(|_: MouseEvent| Action::ConfirmReplace);
    let no = props.dispatch.reform(|_: MouseEvent| Action::CancelReplace);
    html! {
        <div class="overlay" data-testid="confirm" role="alertdialog" aria-modal="true" aria-label="Discard the current model?">
            <div class="dialog">
                <h2>{ "Discard the current model?" }</h2>
                <p>{ format!("You are about to {what}. The current model will be replaced (Undo brings it back; export it first to keep a file).") }</p>
                <div class="buttons">
                    <button data-testid="confirm-cancel" onclick={no}>{ "Keep editing" }</button>
                    <button data-testid="confirm-discard" class="danger" onclick={yes}>{ "Discard and continue" }</button>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct NoticeProps {
    pub notice: Notice,
    pub dispatch: Callback<Action>,
}

#[function_component(NoticeBar)]
pub fn notice_bar(props: &NoticeProps) -> Html {
    let dismiss = props.dispatch.reform(|_: MouseEvent| Action::DismissNotice);
    let class = classes!("notice", props.notice.error.then_some("error"));
    html! {
        <div {class} data-testid="notice" role={if props.notice.error { "alert" } else { "status" }}>
            <span>{ props.notice.text.clone() }</span>
            <button data-testid="notice-dismiss" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
        </div>
    }
}
