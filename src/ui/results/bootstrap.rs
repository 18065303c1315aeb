//! The bootstrap view: for one node, the component dependency graph (the engine's stages and
//! edges, the Registry split into its two phases) and FIG 8's sequence as a timeline stepped
//! forward and back; a dependency the user adds is kept only if the engine finds no cycle, else
//! refused with the cycle named. [`graph_layout`], [`timeline_at`] and [`add_dependency`] are
//! pure; [`BootstrapView`] renders them.

use crate::model::view::{ViewAction, BOOTSTRAP_STEPS};
use crate::ui::results::DocRef;
use clusterplan_engine::bootstrap::{
    node_bootstrap, Actor, Component, Dependency, DependencyKind, NodeBootstrap, RegistryPhase,
    RegistryState, Stage,
};
use clusterplan_engine::Document;
use std::collections::BTreeSet;
use yew::prelude::*;

/// What adding `dep` to the node's `extra` dependencies does: accepted (the engine orders the
/// graph), or refused with the cycle it would make, named stage by stage.
pub fn add_dependency(
    doc: &Document,
    node: &str,
    extra: &[Dependency],
    dep: Dependency,
) -> ViewAction {
    let mut with = extra.to_vec();
    with.push(dep.clone());
    match node_bootstrap(doc, node, &with) {
        Ok(NodeBootstrap { order: Err(cycle), .. }) => {
            ViewAction::RefuseDependency(dep, cycle.path())
        }
        Ok(_) => ViewAction::AddDependency(dep),
        Err(missing) => ViewAction::RefuseDependency(dep, missing.to_string()),
    }
}

/// A stage's place in the drawn graph: `column` = how many stages deep it waits (0 = waits for
/// nothing), `row` = its place in that column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub column: usize,
    pub row: usize,
}

/// Places every stage of the graph: a stage sits one column right of the deepest stage it
/// waits for. With a cycle (never kept, but a document could hold one) the stages go in order.
pub fn graph_layout(boot: &NodeBootstrap) -> Vec<Place> {
    let n = boot.stages.len();
    let mut column = vec![0usize; n];
    match &boot.order {
        Ok(order) => {
            for stage in order {
                let Some(v) = boot.stages.iter().position(|s| s == stage) else { continue };
                column[v] = boot
                    .edges
                    .iter()
                    .filter(|e| e.from == v && e.to < n)
                    .map(|e| column[e.to] + 1)
                    .max()
                    .unwrap_or(0);
            }
        }
        Err(_) => column.iter_mut().enumerate().for_each(|(i, c)| *c = i),
    }
    let mut rows_used = vec![0usize; n.max(1)];
    column
        .iter()
        .map(|&c| {
            let row = rows_used[c];
            rows_used[c] += 1;
            Place { column: c, row }
        })
        .collect()
}

/// The state of the timeline once step `step` (0..=24) is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineState {
    /// Stages finished (indices into `NodeBootstrap::stages`).
    pub done: BTreeSet<usize>,
    /// Stages whose component acts in the current step (for the Registry: the stage of the
    /// step's phase, phase 1 when the step names none).
    pub acting: BTreeSet<usize>,
    /// Stages acted on, read from or used in the current step (same rule).
    pub targets: BTreeSet<usize>,
    /// The System Registry's state after the step.
    pub registry: RegistryState,
    /// Dependencies satisfied so far (indices into `NodeBootstrap::dependencies`).
    pub satisfied: BTreeSet<usize>,
}

/// What is done, acting and satisfied once steps 0..=`step` have run.
pub fn timeline_at(boot: &NodeBootstrap, step: usize) -> TimelineState {
    let mut state = TimelineState {
        done: BTreeSet::new(),
        acting: BTreeSet::new(),
        targets: BTreeSet::new(),
        registry: RegistryState::Stopped,
        satisfied: BTreeSet::new(),
    };
    for s in boot.steps.iter().filter(|s| usize::from(s.number) <= step) {
        for stage in &s.completes {
            if let Some(v) = boot.stages.iter().position(|t| t == stage) {
                state.done.insert(v);
            }
        }
        state.satisfied.extend(s.satisfies.iter().copied());
        state.registry = s.registry;
        if usize::from(s.number) == step {
            let phase = s.registry_phase.unwrap_or(RegistryPhase::ReadOnly);
            let stages_of = |c: &Component| -> Vec<usize> {
                boot.stages
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| &t.component == c && t.phase.is_none_or(|p| p == phase))
                    .map(|(v, _)| v)
                    .collect()
            };
            state.acting = s
                .actors
                .iter()
                .filter_map(|a| match a {
                    Actor::Component(c) => Some(stages_of(c)),
                    Actor::OperatingSystem => None,
                })
                .flatten()
                .collect();
            state.targets = s.targets.iter().flat_map(stages_of).collect();
        }
    }
    state
}

fn registry_state_text(state: RegistryState) -> &'static str {
    match state {
        RegistryState::Stopped => "stopped",
        RegistryState::Started => "started, not initialized",
        RegistryState::ReadOnly => "phase 1 done: read-only",
        RegistryState::WriteEnabled => "phase 2 done: reads and writes",
    }
}

fn kind_class(kind: DependencyKind) -> &'static str {
    match kind {
        DependencyKind::Data => "data",
        DependencyKind::Functional => "functional",
        DependencyKind::StartedBy => "started-by",
        DependencyKind::User => "user",
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct BootstrapViewProps {
    pub document: DocRef,
    /// uid of the node shown.
    pub node: Option<String>,
    pub step: usize,
    pub extra: Vec<Dependency>,
    pub refused: Option<(Dependency, String)>,
    pub on_view: Callback<ViewAction>,
}

const BOX_W: f64 = 170.0;
const BOX_H: f64 = 34.0;
const GAP_X: f64 = 40.0;
const GAP_Y: f64 = 26.0;
/// How far right an edge that skips layers bends, per layer skipped.
const CURVE: f64 = 22.0;

/// The node's bootstrap: graph, timeline, added dependencies.
#[function_component(BootstrapView)]
pub fn bootstrap_view(props: &BootstrapViewProps) -> Html {
    let doc = &props.document;
    let from = use_state(|| Component::Liveness);
    let to = use_state(|| Component::ResourceManager);
    let writes = use_state(|| false);
    // Keep the current step in view inside the timeline as the user steps.
    let timeline = use_node_ref();
    {
        let timeline = timeline.clone();
        use_effect_with(props.step, move |step| {
            let list = timeline.cast::<web_sys::HtmlElement>();
            let current = list.as_ref().and_then(|l| l.children().item(*step as u32));
            crate::ui::results::center_in_list(list, current);
        });
    }
    let node_picker = {
        let on_view = props.on_view.clone();
        let onchange = Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            on_view.emit(ViewAction::BootstrapNode(Some(select.value())));
        });
        html! {
            <label>{ "node " }
                <select data-testid="bootstrap-node" {onchange}>
                { for doc.nodes.iter().map(|n| html! {
                    <option value={n.uid.clone()} selected={props.node.as_deref() == Some(n.uid.as_str())}>
                        { if n.name.is_empty() { n.uid.clone() } else { format!("{} ({})", n.name, n.uid) } }
                    </option>
                }) }
                </select>
            </label>
        }
    };
    let Some(uid) = props.node.clone() else {
        return html! { <div class="bootstrap-view"><p class="empty">{ "No node in the model." }</p></div> };
    };
    let boot = match node_bootstrap(doc, &uid, &props.extra) {
        Ok(boot) => boot,
        Err(e) => {
            return html! { <div class="bootstrap-view">{ node_picker }<p class="empty">{ e.to_string() }</p></div> }
        }
    };
    // The last step that happens: 24, or the one before the step the bootstrap waits at.
    let last = boot.steps.last().map_or(0, |s| usize::from(s.number));
    let step = props.step.min(last);
    let now = timeline_at(&boot, step);
    let component_select = |state: UseStateHandle<Component>,
                            testid: &'static str,
                            name: &'static str| {
        let onchange = {
            let state = state.clone();
            let components: Vec<Component> =
                boot.components.iter().map(|c| c.component.clone()).collect();
            Callback::from(move |e: Event| {
                let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
                if let Some(c) =
                    select.value().parse::<usize>().ok().and_then(|i| components.get(i))
                {
                    state.set(c.clone());
                }
            })
        };
        html! {
            <select data-testid={testid} aria-label={name} {onchange}>
            { for boot.components.iter().enumerate().map(|(i, c)| html! {
                <option value={i.to_string()} selected={c.component == *state}>{ c.component.to_string() }</option>
            }) }
            </select>
        }
    };
    let on_add = {
        let (doc, uid, extra, on_view) =
            (doc.clone(), uid.clone(), props.extra.clone(), props.on_view.clone());
        let (from, to, writes) = (from.clone(), to.clone(), writes.clone());
        Callback::from(move |_| {
            let dep = if *writes {
                Dependency::user_writes((*from).clone(), (*to).clone())
            } else {
                Dependency::user((*from).clone(), (*to).clone())
            };
            on_view.emit(add_dependency(&doc, &uid, &extra, dep));
        })
    };
    let on_writes = {
        let writes = writes.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            writes.set(input.checked());
        })
    };
    html! {
        <div class="bootstrap-view" data-testid="bootstrap-view">
            <div class="view-head">
                { node_picker }
                <span class="muted">
                    { match (&boot.cluster, boot.number) {
                        (Some(c), Some(n)) => format!("node {n} of cluster {c}; "),
                        _ => String::new(),
                    } }
                    { if boot.registry_server { "a registry server node: runs the System Registry" } else { "a registry client node: reads the System Registry on the registry servers" } }
                </span>
            </div>
            <div class="bootstrap-body">
                <div class="bootstrap-graph">
                    <h3>{ "Components and dependencies" }</h3>
                    { dep_graph(&boot, &now) }
                    <div class="add-dependency">
                        <h3>{ "Add a dependency" }</h3>
                        { component_select(from.clone(), "dep-from", "the component that depends") }
                        { " depends on " }
                        { component_select(to.clone(), "dep-to", "the component it depends on") }
                        <label><input type="checkbox" checked={*writes} onchange={on_writes} />{ " for writes only" }</label>
                        <button data-testid="dep-add" onclick={on_add}>{ "Add" }</button>
                        if let Some((dep, cycle)) = &props.refused {
                            <p class="refused bad" data-testid="dep-refused" role="alert">
                                { format!("Refused {dep}: it would make the cycle {cycle}.") }
                            </p>
                        }
                        if !props.extra.is_empty() {
                            <ul class="extra-deps">
                            { for props.extra.iter().map(|dep| {
                                let remove = props.on_view.reform({ let dep = dep.clone(); move |_| ViewAction::RemoveDependency(dep.clone()) });
                                html! { <li data-testid="dep-extra">{ dep.to_string() }{ " " }<button onclick={remove} title="remove">{ "×" }</button></li> }
                            }) }
                            </ul>
                        }
                    </div>
                </div>
                <div class="bootstrap-timeline">
                    <h3>{ "FIG 8: the bootstrap sequence" }</h3>
                    { timeline_view(props, &boot, step, last, &now, timeline) }
                </div>
            </div>
        </div>
    }
}

/// The graph of the node's components and dependencies (FIG 6/7), its legend and the order.
fn dep_graph(boot: &NodeBootstrap, now: &TimelineState) -> Html {
    let places = graph_layout(boot);
    // Layers top to bottom (what waits for nothing first), stages of a layer side by side.
    let layers = places.iter().map(|p| p.column + 1).max().unwrap_or(1);
    let across = places.iter().map(|p| p.row + 1).max().unwrap_or(1);
    let width = across as f64 * (BOX_W + GAP_X) + CURVE * layers as f64 + BOX_W / 2.0;
    let height = layers as f64 * (BOX_H + GAP_Y) + GAP_Y;
    let center = |v: usize| {
        let p = places[v];
        (
            GAP_X / 2.0 + p.row as f64 * (BOX_W + GAP_X) + BOX_W / 2.0,
            GAP_Y + p.column as f64 * (BOX_H + GAP_Y) + BOX_H / 2.0,
        )
    };
    let stage_class = |v: usize, stage: &Stage| {
        classes!(
            "stage",
            now.done.contains(&v).then_some("done"),
            now.acting.contains(&v).then_some("acting"),
            now.targets.contains(&v).then_some("target"),
            boot.components
                .iter()
                .any(|c| c.component == stage.component && !c.local)
                .then_some("remote"),
        )
    };
    html! {
        <>
        <svg class="dep-graph" data-testid="dep-graph" width={width.to_string()} height={height.to_string()} viewBox={format!("0 0 {width} {height}")}>
            <defs>
                <marker id="dep-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" />
                </marker>
            </defs>
            { for boot.edges.iter().filter(|e| e.from < places.len() && e.to < places.len()).map(|e| {
                // From the top of the waiting stage to the bottom of the one it waits for;
                // an edge that skips layers bends right, further the more it skips.
                let ((x1, y1), (x2, y2)) = (center(e.from), center(e.to));
                let (y1, y2) = (y1 - BOX_H / 2.0, y2 + BOX_H / 2.0);
                let skipped = places[e.from].column.saturating_sub(places[e.to].column + 1) as f64;
                let bend = if skipped > 0.0 { BOX_W / 2.0 + skipped * CURVE } else { 0.0 };
                let d = format!("M {x1} {y1} C {} {} {} {} {x2} {y2}", x1 + bend, y1 - GAP_Y, x2 + bend, y2 + GAP_Y);
                let (kind, title) = match e.dependency.and_then(|d| boot.dependencies.get(d)) {
                    Some(dep) => (kind_class(dep.kind), format!("{dep}: {} [{}]", dep.why, dep.reference)),
                    None => ("phase", "System Registry phase 2 follows phase 1".to_owned()),
                };
                let satisfied = e.dependency.is_some_and(|d| now.satisfied.contains(&d));
                html! {
                    <path class={classes!("dep", kind, satisfied.then_some("satisfied"))} {d} marker-end="url(#dep-arrow)"><title>{ title }</title></path>
                }
            }) }
            { for boot.stages.iter().enumerate().map(|(v, stage)| {
                let (cx, cy) = center(v);
                html! {
                    <g class={stage_class(v, stage)} data-testid="stage" data-stage={stage.to_string()} data-done={now.done.contains(&v).to_string()}>
                        <rect x={(cx - BOX_W / 2.0).to_string()} y={(cy - BOX_H / 2.0).to_string()} width={BOX_W.to_string()} height={BOX_H.to_string()} rx="6" />
                        <text x={cx.to_string()} y={(cy + 4.0).to_string()} text-anchor="middle">{ stage_label(stage) }</text>
                        <title>{ format!("{stage}: {}", stage.component.role()) }</title>
                    </g>
                }
            }) }
        </svg>
        <p class="r-legend">
            <span class="r-legend-item"><span class="r-swatch data"></span>{ "data (FIG 6)" }</span>
            <span class="r-legend-item"><span class="r-swatch functional"></span>{ "functional (FIG 7)" }</span>
            <span class="r-legend-item"><span class="r-swatch started-by"></span>{ "started by" }</span>
            <span class="r-legend-item"><span class="r-swatch user"></span>{ "added by you" }</span>
            <span>{ "An arrow points from a component to what it waits for." }</span>
        </p>
        <div class="order" data-testid="bootstrap-order">
            { match &boot.order {
                Ok(order) => html! {
                    <p><strong>{ "Order: " }</strong>{ order.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" → ") }</p>
                },
                Err(cycle) => html! { <p class="bad">{ format!("No order: cycle {}", cycle.path()) }</p> },
            } }
        </div>
        </>
    }
}

/// FIG 8's timeline: the stepper, the System Registry's phase, the steps up to where the
/// bootstrap waits.
fn timeline_view(
    props: &BootstrapViewProps,
    boot: &NodeBootstrap,
    step: usize,
    last: usize,
    now: &TimelineState,
    timeline: NodeRef,
) -> Html {
    let nav = |action: ViewAction, label: &'static str, testid: &'static str, disabled: bool| {
        let onclick = props.on_view.reform(move |_| action.clone());
        html! { <button data-testid={testid} {disabled} {onclick}>{ label }</button> }
    };
    html! {
        <>
        <div class="stepper">
            { nav(ViewAction::GoToStep(0), "|◀", "step-first", step == 0) }
            { nav(ViewAction::StepBack, "◀ back", "step-back", step == 0) }
            <span class="step-now" data-testid="step-now">{ format!("step {step} of {BOOTSTRAP_STEPS}") }</span>
            { nav(ViewAction::StepForward, "forward ▶", "step-forward", step == last) }
            { nav(ViewAction::GoToStep(last), "▶|", "step-last", step == last) }
        </div>
        <div class={classes!("registry-lane", registry_class(now.registry))} data-testid="registry-state">
            <strong>{ "System Registry: " }</strong>{ registry_state_text(now.registry) }
            <span class="phases">
                <span class={classes!("phase", matches!(now.registry, RegistryState::ReadOnly | RegistryState::WriteEnabled).then_some("reached"))}>{ "phase 1 read-only" }</span>
                <span class={classes!("phase", matches!(now.registry, RegistryState::WriteEnabled).then_some("reached"))}>{ "phase 2 write-enabled" }</span>
            </span>
        </div>
        <ol class="timeline" start="0" ref={timeline} tabindex="0" aria-label="FIG 8 timeline">
        { for boot.steps.iter().map(|s| {
            let n = usize::from(s.number);
            let onclick = props.on_view.reform(move |_| ViewAction::GoToStep(n));
            let actors = s.actors.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ");
            let targets = s.targets.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
            html! {
                <li class={classes!("step", (n == step).then_some("current"), (n < step).then_some("past"), (!s.here).then_some("elsewhere"), s.registry_phase.map(|p| format!("phase{}", p.number())))}
                    data-testid="step" data-step={n.to_string()} data-here={s.here.to_string()} {onclick}>
                    <span class="step-number">{ n }</span>
                    <span class="step-who">{ actors }{ if targets.is_empty() { String::new() } else { format!(" → {targets}") } }</span>
                    <span class="step-action">{ s.action.clone() }</span>
                    if let Some(p) = s.registry_phase {
                        <span class="phase-tag">{ format!("registry phase {}", p.number()) }</span>
                    }
                    if !s.here {
                        <span class="muted">{ " (not on this node)" }</span>
                    }
                </li>
            }
        }) }
        if let Some(wait) = &boot.waits {
            <li class="step waits bad" data-testid="step-waits" data-step={wait.step.to_string()} role="status">
                <span class="step-number">{ wait.step }</span>
                <span class="step-action">{ format!("The bootstrap waits here: {}.", wait.reason) }</span>
            </li>
        }
        </ol>
        </>
    }
}

fn registry_class(state: RegistryState) -> &'static str {
    match state {
        RegistryState::Stopped => "stopped",
        RegistryState::Started => "started",
        RegistryState::ReadOnly => "read-only",
        RegistryState::WriteEnabled => "write-enabled",
    }
}

/// A stage's short label for the graph box.
fn stage_label(stage: &Stage) -> String {
    match stage.phase {
        Some(phase) => format!("{} ph. {}", stage.component, phase.number()),
        None => stage.component.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::fig24;

    #[test]
    fn a_dependency_that_closes_a_cycle_is_refused_with_the_cycle_named() {
        let (_, doc) = fig24();
        let dep = Dependency::user(Component::Liveness, Component::ResourceManager);
        match add_dependency(&doc, "n5", &[], dep.clone()) {
            ViewAction::RefuseDependency(refused, cycle) => {
                assert_eq!(refused, dep);
                for name in ["Liveness", "Resource Manager", "Group Services"] {
                    assert!(cycle.contains(name), "{cycle}");
                }
            }
            other => panic!("accepted a cycle: {other:?}"),
        }
    }

    #[test]
    fn a_dependency_that_keeps_the_graph_acyclic_is_accepted() {
        let (_, doc) = fig24();
        let dep = Dependency::user(Component::ResourceManager, Component::Liveness);
        assert_eq!(add_dependency(&doc, "n5", &[], dep.clone()), ViewAction::AddDependency(dep));
        let unknown = Dependency::user(Component::Liveness, Component::Dcm);
        assert!(matches!(
            add_dependency(&doc, "nobody", &[], unknown),
            ViewAction::RefuseDependency(..)
        ));
    }

    #[test]
    fn every_stage_sits_right_of_the_stages_it_waits_for() {
        let (_, doc) = fig24();
        let boot = node_bootstrap(&doc, "n5", &[]).unwrap();
        let places = graph_layout(&boot);
        assert_eq!(places.len(), boot.stages.len());
        for e in &boot.edges {
            assert!(
                places[e.from].column > places[e.to].column,
                "{:?} waits for {:?}",
                boot.stages[e.from],
                boot.stages[e.to]
            );
        }
        let distinct: BTreeSet<(usize, usize)> = places.iter().map(|p| (p.column, p.row)).collect();
        assert_eq!(distinct.len(), places.len());
        // The Registry's phase 1 waits for nothing: it starts the chain.
        let phase1 =
            boot.stages.iter().position(|s| s.phase == Some(RegistryPhase::ReadOnly)).unwrap();
        assert_eq!(places[phase1].column, 0);
    }

    #[test]
    fn the_timeline_finishes_every_stage_and_opens_the_registry_in_two_phases() {
        let (_, doc) = fig24();
        let boot = node_bootstrap(&doc, "n5", &[]).unwrap();
        assert_eq!(boot.steps.len(), BOOTSTRAP_STEPS + 1);
        let states: Vec<RegistryState> =
            (0..=BOOTSTRAP_STEPS).map(|s| timeline_at(&boot, s).registry).collect();
        let first = |state| states.iter().position(|s| *s == state).unwrap();
        assert!(first(RegistryState::ReadOnly) < first(RegistryState::WriteEnabled));
        assert_eq!(first(RegistryState::ReadOnly), 5);
        assert_eq!(first(RegistryState::WriteEnabled), 16);
        let done: Vec<usize> =
            (0..=BOOTSTRAP_STEPS).map(|s| timeline_at(&boot, s).done.len()).collect();
        assert!(done.windows(2).all(|w| w[0] <= w[1]), "{done:?}");
        assert_eq!(*done.last().unwrap(), boot.stages.len());
        assert!(timeline_at(&boot, 0).done.is_empty());
        // Step 13: Group Services uses Liveness.
        let stage = |c: Component| boot.stages.iter().position(|s| s.component == c).unwrap();
        let step13 = timeline_at(&boot, 13);
        assert!(step13.acting.contains(&stage(Component::GroupServices)), "{step13:?}");
        assert!(step13.targets.contains(&stage(Component::Liveness)), "{step13:?}");
        // Step 15 is phase 2's: the Registry acts in its second stage, not its first.
        let phase = |p| boot.stages.iter().position(|s| s.phase == Some(p)).unwrap();
        let step15 = timeline_at(&boot, 15);
        let (one, two) = (phase(RegistryPhase::ReadOnly), phase(RegistryPhase::WriteEnabled));
        assert!(step15.acting.contains(&two) || step15.targets.contains(&two), "{step15:?}");
        assert!(!step15.acting.contains(&one) && !step15.targets.contains(&one), "{step15:?}");
    }
}
