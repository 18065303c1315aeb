//! The Simulate tab: a lesson of the lifecycle simulation (`crates/lifecycle`) stepped event by
//! event: the lesson picker with its description, the controls (start, back, play/pause with a
//! speed, forward; fail this step, crash here), the event list with each operation's outcome as it
//! ends, and the storage inspector (a node's FIG 10 local storage, its processes and the
//! cluster's registry replicas, what the current event changed marked before -> after). The
//! simulation is derived by the app ([`lessons::run`], a `use_memo`), the rows by [`model`]; the
//! component renders and dispatches.

pub mod builder;

use crate::model::simulation::{self as model, DiffRow, Row};
use crate::model::state::Action;
use crate::model::view::{crash_here, fail_here, SimulateView, ViewAction, SPEEDS};
use crate::model::{explore, lessons};
use clusterplan_lifecycle::Simulation;
use std::rc::Rc;
use yew::prelude::*;

/// The picker's entry that starts a scenario of the reader's own (saved with the model).
const NEW: &str = "new";

/// A derived simulation shared by identity (a new run is a new `Rc`).
#[derive(Debug, Clone)]
pub struct SimRef(pub Rc<Result<Simulation, String>>);

impl PartialEq for SimRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A derived exploration shared by identity.
#[derive(Debug, Clone)]
pub struct Explored(pub Rc<Result<Vec<explore::Point>, String>>);

impl PartialEq for Explored {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct SimulateTabProps {
    /// The exploration of every fault point (when the reader asked for it).
    #[prop_or_default]
    pub explored: Option<Explored>,
    /// The document (its saved scenario, if any).
    pub document: crate::ui::results::DocRef,
    /// The run of the chosen lesson (`None` before one is chosen).
    pub simulation: Option<SimRef>,
    pub view: SimulateView,
    /// The editor's selected node (the inspector shows it unless the reader picked one).
    pub selected: Option<String>,
    /// Items are selected on the canvas (the arrow keys then move them instead of stepping).
    #[prop_or_default]
    pub selection: bool,
    /// In a `<cluster-plan>` element (`crate::ui::embed`): the lessons play, break and step, but
    /// nothing is built, saved, exported or explored.
    #[prop_or_default]
    pub embedded: bool,
    pub dispatch: Callback<Action>,
}

/// Playing: one event forward per tick (the timer lives only in this effect).
#[hook]
fn use_play_timer(view: &SimulateView, events: usize, on_view: &Callback<ViewAction>) {
    let on_view = on_view.clone();
    use_effect_with(
        (view.playing, view.speed, view.position, events),
        move |(playing, speed, _, events)| {
            let timer = playing.then(|| {
                let events = *events;
                gloo::timers::callback::Timeout::new(1000 / (*speed).max(1), move || {
                    on_view.emit(ViewAction::SimForward(events))
                })
            });
            move || drop(timer)
        },
    );
}

/// ← and → on the page or the canvas step through the events (while this tab is shown).
#[hook]
fn use_step_keys(events: usize, selection: bool, on_view: &Callback<ViewAction>) {
    let on_view = on_view.clone();
    use_effect_with((events, selection), move |(events, selection)| {
        let (events, selection) = (*events, *selection);
        let listener =
            gloo::events::EventListener::new(&gloo::utils::document(), "keydown", move |e| {
                use wasm_bindgen::JsCast;
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if crate::ui::keys::not_for_shortcuts(e) || !crate::ui::keys::on_page_or_canvas(e) {
                    return;
                }
                let modifier = e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key();
                if let Some(action) =
                    crate::model::view::sim_key(&e.key(), modifier, selection, events)
                {
                    on_view.emit(action);
                }
            });
        move || drop(listener)
    });
}

/// Export: each request downloads the scenario shown, with the faults added, once.
#[hook]
fn use_scenario_export(props: &SimulateTabProps) {
    let shown = props.view.lesson.as_deref().and_then(|id| {
        let mut s = lessons::scenario_of(&props.document, id)?.ok()?;
        s.faults.extend(props.view.faults.iter().cloned());
        Some((builder::file_name(id), builder::export_text(&s)))
    });
    let dispatch = props.dispatch.clone();
    use_effect_with(props.view.exports, move |exports| {
        if let Some((name, text)) = shown.filter(|_| *exports > 0) {
            if let Err(e) = crate::platform::browser::download_text(&name, &text) {
                dispatch.emit(Action::Refused(format!("Scenario export failed: {e}")));
            }
        }
    });
}

/// The tab.
#[function_component(SimulateTab)]
pub fn simulate_tab(props: &SimulateTabProps) -> Html {
    let view = &props.view;
    let on_view = props.dispatch.reform(Action::View);
    let events = props
        .simulation
        .as_ref()
        .and_then(|s| s.0.as_ref().as_ref().ok())
        .map_or(0, |s| s.events.len());
    use_play_timer(view, events, &on_view);
    use_step_keys(events, props.selection, &on_view);
    // Keep the current event in view in the list.
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with(view.position, move |_| {
            let list = list.cast::<web_sys::HtmlElement>();
            let current = list.as_ref().and_then(|l| l.query_selector(".current").ok().flatten());
            crate::ui::results::center_in_list(list, current);
        });
    }
    let saved = crate::model::edit::scenario(&props.document);
    use_scenario_export(props);
    let embedded = props.embedded;
    let picker = {
        let dispatch = props.dispatch.clone();
        let onchange = Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let id = select.value();
            if id == NEW {
                dispatch.emit(Action::SaveScenario(Box::new(builder::blank())));
            } else if !id.is_empty() {
                dispatch.emit(Action::OpenLesson(id));
            }
        });
        html! {
            <label>{ "lesson " }
                <select data-testid="lesson-picker" {onchange}>
                    <option value="" selected={view.lesson.is_none()}>{ "choose a lesson…" }</option>
                    { for lessons::LESSONS.iter().map(|l| html! {
                        <option value={l.id} selected={view.lesson.as_deref() == Some(l.id)}>{ l.title() }</option>
                    }) }
                    if saved.is_some() {
                        <option value={lessons::SAVED} selected={view.lesson.as_deref() == Some(lessons::SAVED)}>{ "the model's own scenario" }</option>
                    } else if !embedded {
                        <option value={NEW}>{ "build a scenario of your own…" }</option>
                    }
                </select>
            </label>
        }
    };
    let chosen = view.lesson.as_deref().and_then(|id| {
        let scenario = lessons::scenario_of(&props.document, id)?;
        let figure = lessons::by_id(id).map_or("saved with the model", |l| l.figure);
        Some((id.to_owned(), figure, scenario))
    });
    let Some((id, figure, scenario)) = chosen else {
        return html! {
            <div class="simulate-view" data-testid="simulate-view">
                <div class="view-head">{ picker }</div>
                <p class="empty">{ "Choose a lesson: the source's protocols (FIG 8 bootstrap, FIG 11 UID check, FIG 13 define, FIG 15 join, FIG 18 move) run step by step on the lessons' cluster, and you step through them event by event." }</p>
            </div>
        };
    };
    let description = match &scenario {
        Ok(s) => s.description.clone(),
        Err(reason) => reason.clone(),
    };
    let own = (id == lessons::SAVED && !embedded).then(|| html! {
        <builder::ScenarioBuilder document={props.document.clone()} scenario={scenario.clone().ok()}
            view={view.clone()} selected={props.selected.clone()} dispatch={props.dispatch.clone()} />
    });
    let head = html! {
        <div class="view-head">
            { picker }
            <span class="lesson-figure" data-testid="lesson-figure">{ figure }</span>
            if !embedded { { save_buttons(&id, scenario.as_ref().ok(), view, &props.dispatch) } }
            if scenario.is_ok() && !embedded {
                <button data-testid="sim-export" title="Download this scenario, with the faults you added, as a file: clusterplan simulate MODEL FILE runs it"
                    onclick={on_view.reform(|_| ViewAction::SimExport)}>{ "Export scenario file" }</button>
            }
            <p class="lesson-description" data-testid="lesson-description">{ description }</p>
            { for own }
        </div>
    };
    let sim = match props.simulation.as_ref().map(|s| s.0.as_ref()) {
        Some(Ok(sim)) => sim,
        Some(Err(reason)) => {
            return html! {
                <div class="simulate-view" data-testid="simulate-view">
                    { head }
                    <p class="empty" data-testid="simulate-error">{ format!("This lesson does not run on the current model ({reason}): open the lesson again to load its model.") }</p>
                </div>
            }
        }
        None => return html! { <div class="simulate-view">{ head }</div> },
    };
    let position = view.position.min(events);
    let current = model::current(sim, position);
    let watch = watch_list(scenario.as_ref().ok(), sim, position, events, &on_view);
    let nav = |action: ViewAction,
               label: &'static str,
               title: &'static str,
               testid: &'static str,
               disabled: bool| {
        let onclick = on_view.reform(move |_| action.clone());
        html! { <button data-testid={testid} {title} {disabled} {onclick}>{ label }</button> }
    };
    let on_speed = on_view.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        ViewAction::SimSpeed(select.value().parse().unwrap_or(2))
    });
    let faults = current.map(|e| {
        let before = model::events_before_in_step(sim, position);
        let fail = fail_here(e.operation, e.step, e.node.as_deref());
        let crash = crash_here(e.operation, e.step, e.node.as_deref(), before);
        html! {
            <span class="fault-buttons">
                if let Some(fault) = fail {
                    <button data-testid="sim-fail" title="Rerun the lesson with this step failing, at this position"
                        onclick={on_view.reform(move |_| ViewAction::SimFault(fault.clone()))}>{ "Fail this step" }</button>
                }
                if let Some(fault) = crash {
                    <button data-testid="sim-crash" title="Rerun the lesson with this event's node crashing right before it"
                        onclick={on_view.reform(move |_| ViewAction::SimFault(fault.clone()))}>{ "Crash here" }</button>
                }
            </span>
        }
    });
    let controls = html! {
        <div class="sim-controls" data-testid="sim-controls">
            { nav(ViewAction::SimStart, "|◀", "Back to the start", "sim-start", position == 0) }
            { nav(ViewAction::SimBack, "◀", "One event back", "sim-back", position == 0) }
            if view.playing {
                { nav(ViewAction::SimPlay { play: false, events }, "⏸ Pause", "Pause", "sim-play", false) }
            } else {
                { nav(ViewAction::SimPlay { play: true, events }, "▶ Play", "Play, one event at a time", "sim-play", events == 0) }
            }
            { nav(ViewAction::SimForward(events), "▶|", "One event forward", "sim-forward", position >= events) }
            <label>{ "speed " }
                <select data-testid="sim-speed" onchange={on_speed}>
                { for SPEEDS.iter().map(|s| html! {
                    <option value={s.to_string()} selected={*s == view.speed}>{ format!("{s}/s") }</option>
                }) }
                </select>
            </label>
            <span class="sim-position" data-testid="sim-position">{ format!("event {position} of {events}") }</span>
            { faults.unwrap_or_default() }
            if !view.explore && !embedded {
                <button data-testid="sim-explore" title="Rerun the scenario with every fault point in turn (as simulate --explore) and list them by outcome"
                    onclick={on_view.reform(|_| ViewAction::SimExplore(true))}>{ "Explore every fault" }</button>
            }
            if !view.faults.is_empty() {
                <span class="added-faults" data-testid="sim-added-faults">
                    { format!("{} added: {}", crate::ui::results::count(view.faults.len(), "fault", "faults"),
                        view.faults.iter().map(|f| format!("op {} step {}{}{}", f.operation, f.step,
                            f.node.as_deref().map(|n| format!(" on {n}")).unwrap_or_default(),
                            if f.kind == clusterplan_lifecycle::FaultKind::Crash { " (crash)" } else { "" })).collect::<Vec<_>>().join(", ")) }
                    <button class="link" data-testid="sim-clear-faults" onclick={on_view.reform(|_| ViewAction::SimClearFaults)}>{ "remove" }</button>
                </span>
            }
        </div>
    };
    let rows = model::rows(sim, position);
    let list_html = html! {
        <div class="sim-events" ref={list} tabindex="0" role="region" aria-label="the run's events">
            <table data-testid="sim-events">
                <thead><tr><th>{ "#" }</th><th>{ "figure" }</th><th>{ "step" }</th><th>{ "node" }</th><th>{ "process" }</th><th>{ "what happened" }</th></tr></thead>
                <tbody>
                { for rows.iter().map(|row| match row {
                    Row::Event(e) => {
                        let seq = e.seq;
                        let onclick = on_view.reform(move |_| ViewAction::SimGoTo { seq, events });
                        let class = classes!("event",
                            (seq == position).then_some("current"),
                            (seq > position).then_some("future"));
                        let title = e.changes.join("\n");
                        html! {
                            <tr {class} data-seq={seq.to_string()} {onclick} {title}>
                                <td class="seq">{ seq }</td>
                                <td class="figure">{ &e.figure }</td>
                                <td class="step">{ e.step.map(|s| s.to_string()).unwrap_or_default() }</td>
                                <td class="node">{ &e.node }</td>
                                <td class="process">{ &e.process }</td>
                                <td class="what">{ &e.what }</td>
                            </tr>
                        }
                    }
                    Row::Outcome(o) => html! {
                        <tr class={classes!("outcome", o.verdict)} data-testid="sim-outcome">
                            <td colspan="6"><span class="verdict">{ o.verdict }</span>{ format!(" operation {}: {}", o.operation, o.text()) }</td>
                        </tr>
                    },
                }) }
                </tbody>
            </table>
        </div>
    };
    // The inspector: the node the reader picked, else the selected one, else the event's.
    let before = sim.world_after(position.saturating_sub(1));
    let after = sim.world_after(position);
    let node = view
        .node
        .clone()
        .or_else(|| props.selected.clone().filter(|n| after.nodes.contains_key(n)))
        .or_else(|| current.and_then(|e| e.node.clone()))
        .or_else(|| after.nodes.keys().next().cloned());
    let inspector = inspector(&before, &after, node.as_deref(), view.node.is_some(), &on_view);
    html! {
        <div class="simulate-view" data-testid="simulate-view">
            { head }
            { watch }
            { controls }
            if view.explore { { explored(props.explored.as_ref(), &view.faults, &on_view) } }
            <div class="sim-body">
                { list_html }
                { inspector }
            </div>
        </div>
    }
}

/// The lesson's "what to watch": each item a button to its event (seen ones marked).
fn watch_list(
    scenario: Option<&clusterplan_lifecycle::Scenario>,
    sim: &Simulation,
    position: usize,
    events: usize,
    on_view: &Callback<ViewAction>,
) -> Html {
    let Some(scenario) = scenario.filter(|s| !s.watch.is_empty()) else { return html! {} };
    html! {
        <div class="sim-watch" data-testid="sim-watch">
            <span class="label">{ "Watch:" }</span>
            <ol>
            { for scenario.watch.iter().map(|w| {
                let at = w.event(&sim.events);
                let seen = at.is_some_and(|seq| seq <= position);
                let onclick = on_view.reform(move |_| ViewAction::SimGoTo { seq: at.unwrap_or(0), events });
                html! {
                    <li class={classes!(seen.then_some("seen"), (at == Some(position)).then_some("current"))}>
                        <button class="link" data-testid="sim-watch-item" data-seq={at.map(|s| s.to_string()).unwrap_or_default()}
                            disabled={at.is_none()} title="Go to this event" {onclick}>
                            { at.map_or_else(|| "(not in this run) ".to_owned(), |seq| format!("event {seq}: ")) }
                        </button>
                        { &w.text }
                    </li>
                }
            }) }
            </ol>
        </div>
    }
}

/// "Save with the model" (the scenario with the faults added; not for the model's own scenario
/// without added faults, already saved) and, for the model's own, "remove from the model".
fn save_buttons(
    id: &str,
    scenario: Option<&clusterplan_lifecycle::Scenario>,
    view: &SimulateView,
    dispatch: &Callback<Action>,
) -> Html {
    let own = id == lessons::SAVED;
    let save = scenario.filter(|_| !own || !view.faults.is_empty()).map(|s| {
        let mut s = s.clone();
        s.faults.extend(view.faults.iter().cloned());
        let onclick = dispatch.reform(move |_| Action::SaveScenario(Box::new(s.clone())));
        html! {
            <button data-testid="sim-save" title="Save this scenario, with the faults you added, in the model's scenario field: it travels in share links and exports" {onclick}>
                { "Save with the model" }
            </button>
        }
    });
    let remove = own.then(|| {
        let onclick = dispatch.reform(|_| {
            Action::Edit(crate::model::edit::EditAction::SetScenario(None))
        });
        html! { <button data-testid="sim-unsave" title="Remove the scenario from the model (undoable)" {onclick}>{ "Remove from the model" }</button> }
    });
    html! { <>{ for save }{ for remove }</> }
}

/// The exploration: the fault points grouped (broke an invariant, aborted, refused, committed),
/// each a button opening its run at its fault.
fn explored(
    explored: Option<&Explored>,
    added: &[clusterplan_lifecycle::Fault],
    on_view: &Callback<ViewAction>,
) -> Html {
    let close = on_view.reform(|_| ViewAction::SimExplore(false));
    let body = match explored.map(|e| e.0.as_ref()) {
        None => html! { <p class="muted">{ "exploring…" }</p> },
        Some(Err(reason)) => html! { <p class="bad">{ reason.clone() }</p> },
        Some(Ok(points)) => html! {
            <>
            <p class="muted">{ format!("{} rerun with one more fault each: click one to open that run at its fault.",
                crate::ui::results::count(points.len(), "fault point", "fault points")) }</p>
            { for explore::GROUPS.iter().map(|g| {
                let members: Vec<&explore::Point> = points.iter().filter(|p| explore::group(p) == *g).collect();
                html! {
                    <div class={classes!("explore-group", g.replace(' ', "-"))} data-testid="explore-group" data-group={*g}>
                        <h5>{ format!("{g}: {}", members.len()) }</h5>
                        { for members.iter().map(|p| {
                            let mut faults = added.to_vec();
                            faults.push(p.fault.clone());
                            let at = p.at;
                            let onclick = on_view.reform(move |_| ViewAction::SimOpen { faults: faults.clone(), at });
                            let title = if p.broken.is_empty() { format!("{}: {}", p.label(), p.verdict) }
                                else { format!("{}: {}; broke {}", p.label(), p.verdict, p.broken.join(", ")) };
                            html! { <button class="point" data-testid="explore-point" {title} {onclick}>{ p.label() }</button> }
                        }) }
                    </div>
                }
            }) }
            </>
        },
    };
    html! {
        <div class="sim-explore" data-testid="sim-explored">
            <button class="link close" data-testid="sim-explore-close" onclick={close}>{ "close" }</button>
            { body }
        </div>
    }
}

fn diff_row(r: &DiffRow) -> Html {
    let value = match (&r.before, &r.after) {
        _ if r.dir => html! {},
        (b, a) if b == a => html! { <span class="value">{ a.clone().unwrap_or_default() }</span> },
        (b, a) => html! {
            <span class="value">
                <span class="before">{ b.clone().unwrap_or_else(|| "(none)".into()) }</span>
                { " -> " }
                <span class="after">{ a.clone().unwrap_or_else(|| "(removed)".into()) }</span>
            </span>
        },
    };
    html! {
        <li class={classes!("entry", r.dir.then_some("dir"), r.changed().then_some("changed"))}
            style={format!("padding-left: {}rem", r.depth as f64 * 0.9)}>
            <span class="key">{ &r.label }</span>{ value }
        </li>
    }
}

fn inspector(
    before: &clusterplan_lifecycle::World,
    after: &clusterplan_lifecycle::World,
    node: Option<&str>,
    picked: bool,
    on_view: &Callback<ViewAction>,
) -> Html {
    let onchange = on_view.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let v = select.value();
        ViewAction::SimNode((!v.is_empty()).then_some(v))
    });
    let storage = node.map(|n| model::storage_tree(before, after, n)).unwrap_or_default();
    let processes = node.map(|n| model::process_rows(before, after, n)).unwrap_or_default();
    let replicas = model::replica_rows(before, after);
    html! {
        <div class="sim-inspector" data-testid="sim-inspector">
            <label>{ "node " }
                <select data-testid="sim-node" {onchange}>
                    <option value="" selected={!picked}>{ "follow the selection / event" }</option>
                    { for after.nodes.keys().map(|uid| html! {
                        <option value={uid.clone()} selected={picked && node == Some(uid.as_str())}>{ uid }</option>
                    }) }
                </select>
            </label>
            <h4>{ format!("{}: local storage /var/ct (FIG 10)", node.unwrap_or("-")) }</h4>
            <ul class="tree" data-testid="sim-storage">
                { for storage.iter().map(diff_row) }
                if storage.is_empty() { <li class="muted">{ "(empty)" }</li> }
            </ul>
            <h4>{ "processes" }</h4>
            <ul class="tree" data-testid="sim-processes">{ for processes.iter().map(diff_row) }</ul>
            <h4>{ "registry replicas (global configuration)" }</h4>
            <div data-testid="sim-replicas">
            { for replicas.iter().map(|r| html! {
                <div class="replica">
                    <h5>{ format!("cluster {} on {}", r.cluster, r.server) }</h5>
                    <ul class="tree">{ for r.rows.iter().map(diff_row) }</ul>
                </div>
            }) }
            </div>
        </div>
    }
}
