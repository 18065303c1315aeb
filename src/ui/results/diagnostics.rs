//! The diagnostics and lints panel: every problem the engine found, filterable by severity;
//! clicking one selects the item it names (on the canvas, or the service in the results).

use crate::model::state::Action;
use crate::model::view::{ServiceKey, ViewAction};
use crate::ui::results::PlanRef;
use crate::ui::results::{count, DocRef};
use clusterplan_engine::document::Service;
use clusterplan_engine::sorting;
use clusterplan_engine::{Diagnostic, Document, Item, Severity};
use std::net::IpAddr;
use yew::prelude::*;

/// How many diagnostics of each severity: (errors, warnings, lints).
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    diagnostics.iter().fold((0, 0, 0), |(e, w, l), d| match d.severity {
        Severity::Error => (e + 1, w, l),
        Severity::Warning => (e, w + 1, l),
        Severity::Lint => (e, w, l + 1),
    })
}

/// What clicking `diagnostic` does: select its item on the canvas (the editor's selection), and
/// for a service, show it in the load view and matrix too. An address selects the node owning
/// it, or when no node owns it, the service publishing it (the one the message names, else the
/// first of `doc` listing it). Nothing for the document itself.
pub fn select_item(diagnostic: &Diagnostic, doc: &Document) -> Vec<Action> {
    let item = match &diagnostic.item {
        Item::Document => return Vec::new(),
        Item::Address { address, node: None } => {
            let Some(service) = publishing_service(doc, address, &diagnostic.message) else {
                return Vec::new();
            };
            Item::Service { cluster: service.cluster.clone(), name: service.name.clone() }
        }
        item => item.clone(),
    };
    let mut actions = vec![Action::SelectItem(item.clone())];
    if let Item::Service { cluster, name } = &item {
        actions.push(Action::View(ViewAction::SelectService(Some(ServiceKey::new(cluster, name)))));
    }
    actions
}

/// The service of `doc` publishing `address` (the text, or the same IP written another way):
/// the one `message` names when several do, else the first.
fn publishing_service<'d>(doc: &'d Document, address: &str, message: &str) -> Option<&'d Service> {
    let ip = address.parse::<IpAddr>().ok();
    let same = |text: &String| {
        text == address || (ip.is_some() && text.trim().parse::<IpAddr>().ok() == ip)
    };
    let mut listing = doc.services.iter().filter(|s| s.addresses.iter().any(same)).peekable();
    let first = listing.peek().copied();
    listing
        .find(|s| message.contains(&format!("service {} of cluster {}", s.name, s.cluster)))
        .or(first)
}

#[derive(Debug, Properties, PartialEq)]
pub struct DiagnosticsViewProps {
    pub plan: PlanRef,
    /// The document, to find the service publishing an address no node owns.
    pub document: DocRef,
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
    sorting::sort_by_key(&mut shown, |d| d.severity);
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
                { filter_button(Some(Severity::Error), count(errors, "error", "errors")) }
                { filter_button(Some(Severity::Warning), count(warnings, "warning", "warnings")) }
                { filter_button(Some(Severity::Lint), count(lints, "lint", "lints")) }
            </div>
            if shown.is_empty() {
                <p class="empty" data-testid="diagnostics-empty">{ "Nothing to report: the model breaks no rule." }</p>
            }
            <ul class="diag-list">
            { for shown.iter().map(|d| {
                let actions = select_item(d, &props.document);
                let selectable = !actions.is_empty();
                let dispatch = props.dispatch.clone();
                let onclick = Callback::from(move |_| for a in &actions { dispatch.emit(a.clone()) });
                html! {
                    <li class={classes!("diagnostic", d.severity.to_string(), selectable.then_some("selectable"))}
                        data-testid="diagnostic" data-code={d.code.name()} data-severity={d.severity.to_string()} {onclick}
                        title={if selectable { "select it" } else { "" }}>
                        <span class={classes!("severity", d.severity.to_string())}>{ d.severity.to_string() }</span>
                        <code class="code">{ d.code.name() }</code>
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
    use clusterplan_engine::diagnostics::DiagnosticCode;

    fn diagnostic(severity: Severity) -> Diagnostic {
        Diagnostic {
            severity,
            code: DiagnosticCode::UnknownFormat,
            item: Item::Document,
            message: String::new(),
        }
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
        let doc = crate::model::examples::FIG24.document();
        let about = |item: Item| Diagnostic { item, ..diagnostic(Severity::Error) };
        let node = Item::Node { uid: "n5".into() };
        assert_eq!(select_item(&about(node.clone()), &doc), [Action::SelectItem(node)]);
        let service = Item::Service { cluster: "A".into(), name: "registry".into() };
        let shows_registry = [
            Action::SelectItem(service.clone()),
            Action::View(ViewAction::SelectService(Some(ServiceKey::new("A", "registry")))),
        ];
        assert_eq!(select_item(&about(service.clone()), &doc), shows_registry);
        assert!(select_item(&about(Item::Document), &doc).is_empty());
        // An address a node owns selects the node.
        let owned = Item::Address { address: "10.0.0.1".into(), node: Some("n5".into()) };
        assert_eq!(select_item(&about(owned.clone()), &doc), [Action::SelectItem(owned.clone())]);
        assert_eq!(
            crate::model::edit::ItemRef::from_item(&owned),
            Some(crate::model::edit::ItemRef::Node("n5".into()))
        );
    }

    #[test]
    fn an_address_no_node_owns_selects_the_service_publishing_it() {
        let mut doc = crate::model::examples::FIG24.document();
        doc.services[0].addresses.push("10.0.0.99".into());
        let plan = clusterplan_engine::compile(&doc, Default::default());
        let unowned = plan
            .diagnostics
            .iter()
            .find(|d| d.code == "unowned-service-address")
            .expect("10.0.0.99 belongs to no node");
        assert_eq!(
            select_item(unowned, &doc),
            [
                Action::SelectItem(Item::Service { cluster: "A".into(), name: "registry".into() }),
                Action::View(ViewAction::SelectService(Some(ServiceKey::new("A", "registry")))),
            ]
        );
        // Two services list it: the one the message names is chosen.
        let mut other = doc.services[0].clone();
        other.name = "web".into();
        doc.services.insert(0, other);
        let about_registry = Diagnostic {
            message: "service registry of cluster A is published at 10.0.0.99, ...".into(),
            ..unowned.clone()
        };
        let picked = select_item(&about_registry, &doc);
        assert_eq!(
            picked[0],
            Action::SelectItem(Item::Service { cluster: "A".into(), name: "registry".into() })
        );
        let about_nobody = Diagnostic { message: String::new(), ..unowned.clone() };
        assert_eq!(
            select_item(&about_nobody, &doc)[0],
            Action::SelectItem(Item::Service { cluster: "A".into(), name: "web".into() })
        );
        // Written another way (IPv6 zeros) it is the same address.
        let mut doc = crate::model::examples::FIG24.document();
        doc.services[0].addresses.push("fd00:0::1".into());
        let v6 = Diagnostic {
            item: Item::Address { address: "fd00::1".into(), node: None },
            ..unowned.clone()
        };
        assert_eq!(select_item(&v6, &doc).len(), 2);
        let gone =
            Diagnostic { item: Item::Address { address: "192.0.2.1".into(), node: None }, ..v6 };
        assert!(select_item(&gone, &doc).is_empty());
    }

    /// Every diagnostic of every engine fixture (they show every code) selects an item that the
    /// document has, unless it is about the document itself.
    #[test]
    fn every_diagnostic_of_the_fixtures_selects_an_item_of_the_document() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/crates/engine/tests/data");
        let mut checked = std::collections::BTreeSet::new();
        for file in std::fs::read_dir(dir).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let Ok(doc) =
                clusterplan_engine::document::read(&std::fs::read_to_string(&path).unwrap())
            else {
                continue;
            };
            let plan = clusterplan_engine::compile(&doc, Default::default());
            for d in &plan.diagnostics {
                let actions = select_item(d, &doc);
                if d.item == Item::Document {
                    assert!(actions.is_empty());
                    continue;
                }
                let Some(Action::SelectItem(item)) = actions.first() else {
                    panic!("{}: {} {:?} selects nothing", path.display(), d.code, d.item);
                };
                let selected = crate::model::edit::ItemRef::from_item(item).unwrap();
                assert!(
                    selected.exists(&doc),
                    "{}: {} {:?} selects {selected:?}, which the document lacks",
                    path.display(),
                    d.code,
                    d.item
                );
                checked.insert(d.code.name());
            }
        }
        assert!(checked.contains("unowned-service-address"), "{checked:?}");
    }
}
