//! The diagnostics and lints panel: every problem the engine found, filterable by severity;
//! clicking one selects the item it names (on the canvas, or the service in the results).

use crate::results::view::{ServiceKey, ViewAction};
use crate::results::PlanRef;
use crate::state::Action;
use clusterplan_engine::{Diagnostic, Item, Severity};
use yew::prelude::*;

/// How many diagnostics of each severity: (errors, warnings, lints).
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    diagnostics.iter().fold((0, 0, 0), |(e, w, l), d| match d.severity {
        Severity::Error => (e + 1, w, l),
        Severity::Warning => (e, w + 1, l),
        Severity::Lint => (e, w, l + 1),
    })
}

/// What clicking a diagnostic about `item` does: select the item on the canvas (the editor's
/// selection), and for a service, show it in the load view and matrix too.
pub fn select_item(item: &Item) -> Vec<Action> {
    let mut actions = vec![Action::SelectItem(item.clone())];
    if let Item::Service { cluster, name } = item {
        actions.push(Action::View(ViewAction::SelectService(Some(ServiceKey::new(cluster, name)))));
    }
    actions
}

#[derive(Debug, Properties, PartialEq)]
pub struct DiagnosticsViewProps {
    pub plan: PlanRef,
    pub dispatch: Callback<Action>,
}

/// The list, errors first (the engine's order inside a severity).
#[function_component(DiagnosticsView)]
pub fn diagnostics_view(props: &DiagnosticsViewProps) -> Html {
    let filter = use_state(|| None::<Severity>);
    let diagnostics = &props.plan.diagnostics;
    let (errors, warnings, lints) = counts(diagnostics);
    let mut shown: Vec<&Diagnostic> =
        diagnostics.iter().filter(|d| filter.is_none_or(|s| d.severity == s)).collect();
    shown.sort_by_key(|d| d.severity);
    let filter_button = |severity: Option<Severity>, label: String| {
        let active = *filter == severity;
        let filter = filter.clone();
        let onclick = Callback::from(move |_| filter.set(severity));
        html! {
            <button class={classes!("filter", active.then_some("active"))} aria-pressed={active.to_string()} {onclick}>{ label }</button>
        }
    };
    html! {
        <div class="diagnostics-view" data-testid="diagnostics-view">
            <div class="view-head">
                { filter_button(None, format!("all {}", diagnostics.len())) }
                { filter_button(Some(Severity::Error), format!("errors {errors}")) }
                { filter_button(Some(Severity::Warning), format!("warnings {warnings}")) }
                { filter_button(Some(Severity::Lint), format!("lints {lints}")) }
            </div>
            if shown.is_empty() {
                <p class="empty" data-testid="diagnostics-empty">{ "Nothing to report: the model breaks no rule." }</p>
            }
            <ul class="diag-list">
            { for shown.iter().map(|d| {
                let actions = select_item(&d.item);
                let selectable = d.item != Item::Document;
                let dispatch = props.dispatch.clone();
                let onclick = Callback::from(move |_| for a in &actions { dispatch.emit(a.clone()) });
                html! {
                    <li class={classes!("diagnostic", d.severity.to_string(), selectable.then_some("selectable"))}
                        data-testid="diagnostic" data-code={d.code} data-severity={d.severity.to_string()} {onclick}
                        title={if selectable { "select it" } else { "" }}>
                        <span class={classes!("severity", d.severity.to_string())}>{ d.severity.to_string() }</span>
                        <code class="code">{ d.code }</code>
                        <span class="item">{ d.item.to_string() }</span>
                        <span class="message">{ d.message.clone() }</span>
                    </li>
                }
            }) }
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(severity: Severity) -> Diagnostic {
        Diagnostic { severity, code: "x", item: Item::Document, message: String::new() }
    }

    #[test]
    fn counts_by_severity() {
        let ds = [
            diagnostic(Severity::Lint),
            diagnostic(Severity::Error),
            diagnostic(Severity::Lint),
            diagnostic(Severity::Warning),
        ];
        assert_eq!(counts(&ds), (1, 1, 2));
    }

    #[test]
    fn a_click_selects_the_item_and_a_service_is_shown_too() {
        let node = Item::Node { uid: "n5".into() };
        assert_eq!(select_item(&node), [Action::SelectItem(node.clone())]);
        let service = Item::Service { cluster: "A".into(), name: "registry".into() };
        assert_eq!(
            select_item(&service),
            [
                Action::SelectItem(service.clone()),
                Action::View(ViewAction::SelectService(Some(ServiceKey::new("A", "registry"))))
            ]
        );
    }
}
