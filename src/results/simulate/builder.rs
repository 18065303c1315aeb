//! The scenario builder of the Simulate tab: the model's own scenario (its `scenario` field,
//! docs/format.md) built from menus, an operation at a time, its node taken from the canvas
//! selection (or chosen in a menu); imported from and exported to a scenario file that
//! `clusterplan simulate MODEL SCENARIO` runs (docs/lifecycle.md). The rules ([`with_operation`],
//! [`without_operation`], [`import`], [`export_text`]) are pure; the component renders.

use crate::results::view::{SimulateView, ViewAction};
use crate::state::Action;
use clusterplan_engine::Document;
use clusterplan_lifecycle::{scenario, Op, Operation, Scenario};
use yew::prelude::*;

/// A new scenario of the reader's own, with no operation yet.
pub fn blank() -> Scenario {
    Scenario {
        format: scenario::FORMAT.to_owned(),
        description: "A scenario of my own, built in the Simulate tab.".to_owned(),
        operations: Vec::new(),
        faults: Vec::new(),
        watch: Vec::new(),
        extra: Default::default(),
    }
}

/// `scenario` with `op` appended, when the model can run it (every name known, every field the
/// operation needs given); else the lifecycle crate's reason.
pub fn with_operation(
    doc: &Document,
    scenario: &Scenario,
    op: Operation,
) -> Result<Scenario, String> {
    let mut next = scenario.clone();
    next.operations.push(op);
    next.validate(doc).map_err(|e| e.to_string())?;
    Ok(next)
}

/// `scenario` without operation `index`: its faults and watch items go too, and those of later
/// operations are renumbered.
pub fn without_operation(scenario: &Scenario, index: usize) -> Scenario {
    let mut next = scenario.clone();
    if index >= next.operations.len() {
        return next;
    }
    next.operations.remove(index);
    next.faults.retain(|f| f.operation != index);
    for f in &mut next.faults {
        if f.operation > index {
            f.operation -= 1;
        }
    }
    next.watch.retain(|w| w.operation != Some(index));
    for w in &mut next.watch {
        if let Some(o) = w.operation.as_mut().filter(|o| **o > index) {
            *o -= 1;
        }
    }
    next
}

/// A scenario file's text, read and checked against the model: the scenario, or the reason
/// (naming the file) it cannot be used.
pub fn import(doc: &Document, name: &str, text: &str) -> Result<Scenario, String> {
    let s = scenario::read(text).map_err(|e| format!("{name} is not a scenario: {e}"))?;
    s.validate(doc).map_err(|e| format!("{name} does not run on this model: {e}"))?;
    Ok(s)
}

/// The scenario as a file (pretty JSON, the format `clusterplan simulate` reads).
pub fn export_text(scenario: &Scenario) -> String {
    let mut text =
        serde_json::to_string_pretty(scenario).expect("a Scenario always serialises to JSON");
    text.push('\n');
    text
}

/// The file name a lesson's scenario is exported as.
pub fn file_name(lesson: &str) -> String {
    if lesson == super::lessons::SAVED {
        "scenario.json".to_owned()
    } else {
        format!("{lesson}.json")
    }
}

/// One operation, for people: `join n4 to A`.
pub fn operation_text(o: &Operation) -> String {
    let mut parts = vec![o.op.clone()];
    let field = |label: &str, v: &Option<String>| v.as_ref().map(|v| format!("{label}{v}"));
    parts.extend(
        [
            field("", &o.node),
            field("at ", &o.address),
            field("in ", &o.cluster),
            field("to ", &o.to),
            field("uid ", &o.uid),
            field("replica ", &o.replica),
        ]
        .into_iter()
        .flatten(),
    );
    if let Some(i) = o.incarnation {
        parts.push(format!("incarnation {i}"));
    }
    parts.extend(field("id ", &o.id));
    if let Some(servers) = &o.registry_servers {
        parts.push(format!("registry servers {}", servers.join(", ")));
    }
    if let Some(n) = o.number {
        parts.push(format!("number {n}"));
    }
    parts.extend(field("name ", &o.name));
    parts.extend(field("quorum ", &o.quorum));
    parts.join(" ")
}

#[derive(Debug, Properties, PartialEq)]
pub struct BuilderProps {
    pub document: crate::results::DocRef,
    /// The model's own scenario (`None`: none saved yet).
    pub scenario: Option<Scenario>,
    pub view: SimulateView,
    /// The canvas selection's node: the operation's node unless another is chosen.
    pub selected: Option<String>,
    pub dispatch: Callback<Action>,
}

/// The builder: the own scenario's operations, a row to add one, import.
#[function_component(ScenarioBuilder)]
pub fn scenario_builder(props: &BuilderProps) -> Html {
    let doc = &props.document.0;
    let d = &props.dispatch;
    let op = Op::parse(&props.view.builder_op).unwrap_or(Op::Bootstrap);
    let refs: [NodeRef; 10] = Default::default();
    let current = props.scenario.clone().unwrap_or_else(blank);
    let add = {
        let (d, doc, current, refs) = (d.clone(), doc.clone(), current.clone(), refs.clone());
        Callback::from(move |_: MouseEvent| {
            let [cluster, node, to, address, uid, replica, incarnation, id, servers, number] =
                &refs;
            let value = |r: &NodeRef| {
                r.cast::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
                    .or_else(|| r.cast::<web_sys::HtmlSelectElement>().map(|s| s.value()))
                    .map(|v| v.trim().to_owned())
                    .filter(|v| !v.is_empty())
            };
            let o = Operation {
                op: op.name().to_owned(),
                cluster: value(cluster),
                node: value(node),
                to: value(to),
                address: value(address),
                uid: value(uid),
                replica: value(replica),
                incarnation: value(incarnation).and_then(|v| v.parse().ok()),
                id: value(id),
                registry_servers: value(servers)
                    .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect()),
                number: value(number).and_then(|v| v.parse().ok()),
                ..Operation::default()
            };
            match with_operation(&doc, &current, o) {
                Ok(s) => d.emit(Action::SaveScenario(Box::new(s))),
                Err(reason) => d.emit(Action::Refused(format!("Not added: {reason}"))),
            }
        })
    };
    let on_op = d.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        Action::View(ViewAction::SimBuilderOp(select.value()))
    });
    let clusters = || doc.clusters.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let nodes = || doc.nodes.iter().map(|n| n.uid.clone()).collect::<Vec<_>>();
    let select = |name: &str, r: &NodeRef, options: Vec<String>, chosen: Option<&str>| {
        // Keyed by the choice, so a new canvas selection chooses anew.
        let key = format!("{name}-{}", chosen.unwrap_or_default());
        html! {
            <label {key}>{ format!("{name} ") }
                <select ref={r.clone()} data-testid={format!("builder-{name}")}>
                    { for options.iter().map(|o| html! { <option value={o.clone()} selected={chosen == Some(o.as_str())}>{ o }</option> }) }
                </select>
            </label>
        }
    };
    let text = |name: &str, r: &NodeRef, placeholder: &str| {
        html! {
            <label>{ format!("{name} ") }
                <input type="text" ref={r.clone()} data-testid={format!("builder-{name}")} placeholder={placeholder.to_owned()} size="12" />
            </label>
        }
    };
    let selected = props.selected.as_deref();
    let [cluster, node, to, address, uid, replica, incarnation, id, servers, number] = &refs;
    let fields = op.required().iter().map(|f| match *f {
        "cluster" => select("cluster", cluster, clusters(), None),
        "node" => select("node", node, nodes(), selected),
        "to" => select("to", to, clusters(), None),
        "address" => text("address", address, "10.0.2.9"),
        "uid" => text("uid", uid, "new hardware uid"),
        "replica" => select("replica", replica, nodes(), selected),
        "id" => text("id", id, "C"),
        "registry_servers" => text("registry_servers", servers, "n9, n8"),
        "number" => text("number", number, "4"),
        _ => text("incarnation", incarnation, "5"),
    });
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let on_file = {
        let refused =
            d.reform(|reason: String| Action::Refused(format!("Scenario not imported: {reason}")));
        let (d, doc) = (d.clone(), doc.clone());
        crate::toolbar::read_chosen_file(
            reader,
            Callback::from(move |(name, text): (String, String)| {
                match import(&doc, &name, &text) {
                    Ok(s) => d.emit(Action::SaveScenario(Box::new(s))),
                    Err(reason) => d.emit(Action::Refused(reason)),
                }
            }),
            refused,
        )
    };
    html! {
        <div class="sim-builder" data-testid="sim-builder">
            <h4>{ "Your scenario" }<span class="muted">{ " (saved with the model: undo with Ctrl+Z)" }</span></h4>
            if current.operations.is_empty() {
                <p class="muted">{ "No operation yet: choose one below, its node by clicking it on the canvas." }</p>
            }
            <ol class="builder-ops" start="0" data-testid="builder-ops">
            { for current.operations.iter().enumerate().map(|(i, o)| {
                let without = without_operation(&current, i);
                let onclick = d.reform(move |_| Action::SaveScenario(Box::new(without.clone())));
                html! {
                    <li data-testid="builder-op">
                        <span>{ operation_text(o) }</span>
                        <button class="link" data-testid="builder-remove" title="Remove this operation (and its faults)" {onclick}>{ "remove" }</button>
                    </li>
                }
            }) }
            </ol>
            <div class="builder-add">
                <label>{ "operation " }
                    <select data-testid="builder-kind" onchange={on_op}>
                        { for Op::ALL.iter().map(|o| html! { <option value={o.name()} selected={*o == op}>{ o.name() }</option> }) }
                    </select>
                </label>
                { for fields }
                <button data-testid="builder-add" onclick={add}>{ "Add" }</button>
                <label class="file-button" title="Read a scenario file (cluster-planner-scenario/1) into the model">
                    { "Import a scenario file…" }
                    <input type="file" accept=".json,application/json" data-testid="builder-import" onchange={on_file} />
                </label>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::simulate::lessons;

    fn model() -> Document {
        crate::examples::by_id(lessons::MODEL).unwrap().document()
    }

    fn op(name: &str, cluster: Option<&str>, node: Option<&str>) -> Operation {
        Operation {
            op: name.into(),
            cluster: cluster.map(Into::into),
            node: node.map(Into::into),
            ..Operation::default()
        }
    }

    #[test]
    fn operations_are_added_when_the_model_runs_them_and_refused_with_the_reason() {
        let doc = model();
        let s = with_operation(&doc, &blank(), op("bootstrap", Some("A"), None)).unwrap();
        let s = with_operation(&doc, &s, op("offline-node", None, Some("n4"))).unwrap();
        assert_eq!(s.operations.len(), 2);
        assert_eq!(operation_text(&s.operations[1]), "offline-node n4");
        let missing = with_operation(&doc, &s, op("join", None, Some("n4"))).unwrap_err();
        assert!(missing.contains("cluster"), "{missing}");
        let unknown = with_operation(&doc, &s, op("crash", None, Some("n77"))).unwrap_err();
        assert!(unknown.contains("n77"), "{unknown}");
        // It runs, and its file is what the CLI reads.
        let sim = clusterplan_lifecycle::simulate(&doc, &s).unwrap();
        assert_eq!(sim.outcomes.len(), 2);
        let text = export_text(&s);
        assert_eq!(import(&doc, "s.json", &text), Ok(s.clone()));
        assert!(import(&doc, "x.json", "{").unwrap_err().starts_with("x.json is not a scenario"));
        assert!(import(&Document::default(), "s.json", &text)
            .unwrap_err()
            .starts_with("s.json does not run on this model"));
        assert_eq!(file_name(lessons::SAVED), "scenario.json");
        assert_eq!(file_name("fig8-stale-replica"), "fig8-stale-replica.json");
    }

    #[test]
    fn removing_an_operation_drops_its_faults_and_renumbers_the_later_ones() {
        // fig15: 0 bootstrap, 1 define-node, 2 join, 3 offline-node, 4 join; watch on 2, 2, 2, 4.
        let mut s = lessons::by_id("fig15-automatic-configuration").unwrap().scenario();
        s.faults.push(crate::results::view::fail_here(1, Some(9), None).unwrap());
        s.faults.push(crate::results::view::fail_here(2, Some(5), None).unwrap());
        s.faults.push(crate::results::view::fail_here(4, Some(3), None).unwrap());
        let next = without_operation(&s, 2);
        assert_eq!(next.operations.len(), 4);
        assert_eq!(next.operations[2].op, "offline-node");
        let faults: Vec<(usize, u8)> = next.faults.iter().map(|f| (f.operation, f.step)).collect();
        assert_eq!(faults, [(1, 9), (3, 3)]);
        let watched: Vec<Option<usize>> = next.watch.iter().map(|w| w.operation).collect();
        assert_eq!(watched, [Some(3)]);
        next.validate(&model()).unwrap();
        assert_eq!(without_operation(&s, 99), s);
    }
}
