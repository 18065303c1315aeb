//! The `<cluster-plan>` element's view (`docs/embed.md`): one model, read-only and live, for
//! documentation pages. It shows the diagram with the chosen node's ordered lists, only the lists,
//! or a service's load, from the same components as the app; the reader may select nodes and fail
//! servers (a view, never an edit), nothing is saved. [`EmbedState`] is its pure reducer.

use crate::model::lessons;
use crate::model::overlay::canvas_overlay;
use crate::model::simulation::sim_overlay;
use crate::model::state::{Action, Tool};
use crate::model::view::{ServiceKey, SimulateView, ViewAction, ViewState};
use crate::ui::canvas::draw::Marks;
use crate::ui::canvas::{scene, Canvas};
use crate::ui::results::load::LoadView;
use crate::ui::results::node::NodeView;
use crate::ui::results::simulate::{SimRef, SimulateTab};
use crate::ui::results::{resolve_service, DocRef, PlanRef};
use clusterplan_engine::{compile, Document, Plan, Strategy};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// What the element shows (its `view` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EmbedView {
    /// The diagram, and the selected node's ordered lists under it.
    #[default]
    Diagram,
    /// Only the selected node's ordered lists.
    Lists,
    /// The load on each server of one service (click a bar to fail it).
    Load,
    /// A lesson of the lifecycle simulation (`docs/lifecycle.md`) on the diagram, opened at an
    /// event: step, play, fail a step.
    Lesson,
}

/// The element's attributes, read (`EmbedOptions::read`) with a message naming a wrong one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EmbedOptions {
    pub view: EmbedView,
    /// The node shown first (a uid).
    pub node: Option<String>,
    /// The service shown (`cluster/name` or a name), else the first.
    pub service: Option<ServiceKey>,
    pub strategy: Strategy,
    /// `view="lesson"`: the lesson's id (`examples/scenarios/<id>.json`) and the event it opens
    /// at (0: the start).
    pub lesson: Option<String>,
    pub event: usize,
}

impl EmbedOptions {
    /// Reads the attributes (`None` when absent). `service` is `cluster/name`, or only a name
    /// (the first cluster having it).
    pub fn read(
        view: Option<&str>,
        node: Option<&str>,
        service: Option<&str>,
        strategy: Option<&str>,
    ) -> Result<EmbedOptions, String> {
        let view = match view.map(str::trim).unwrap_or("") {
            "" | "diagram" => EmbedView::Diagram,
            "lists" => EmbedView::Lists,
            "load" => EmbedView::Load,
            "lesson" => EmbedView::Lesson,
            other => {
                return Err(format!(
                    "view=\"{other}\" is not a view: write diagram, lists, load or lesson"
                ))
            }
        };
        let strategy = match strategy.map(str::trim).filter(|s| !s.is_empty()) {
            None => Strategy::Rotation,
            Some(s) => s.parse().map_err(|e: clusterplan_engine::strategy::UnknownStrategy| {
                format!("strategy=\"{s}\": {e}")
            })?,
        };
        let service =
            service.map(str::trim).filter(|s| !s.is_empty()).map(|s| match s.split_once('/') {
                Some((cluster, name)) => ServiceKey::new(cluster, name),
                None => ServiceKey::new("", s),
            });
        let node = node.map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned);
        Ok(EmbedOptions { view, node, service, strategy, lesson: None, event: 0 })
    }

    /// With `view="lesson"`: the `lesson` (an id of `examples/scenarios/`) and the `event` to
    /// open at (a number; default the start).
    pub fn with_lesson(
        mut self,
        lesson: Option<&str>,
        event: Option<&str>,
    ) -> Result<EmbedOptions, String> {
        if self.view != EmbedView::Lesson {
            return Ok(self);
        }
        let id = lesson.map(str::trim).unwrap_or("");
        if crate::model::lessons::by_id(id).is_none() {
            let ids: Vec<&str> = crate::model::lessons::LESSONS.iter().map(|l| l.id).collect();
            return Err(format!(
                "lesson=\"{id}\" is not a lesson: write one of {}",
                ids.join(", ")
            ));
        }
        self.event = match event.map(str::trim).filter(|e| !e.is_empty()) {
            None => 0,
            Some(e) => e.parse().map_err(|_| format!("event=\"{e}\" is not an event number"))?,
        };
        self.lesson = Some(id.to_owned());
        Ok(self)
    }
}

/// What the reader changed in the element.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EmbedState {
    /// uid of the selected node.
    pub selected: Option<String>,
    /// Server nodes the reader failed (uids).
    pub failed: BTreeSet<String>,
    /// The lesson shown (`view="lesson"`): which, where, the faults the reader added.
    pub simulate: SimulateView,
}

/// The reader's gestures.
#[derive(Debug, Clone, PartialEq)]
pub enum EmbedAction {
    /// Select this node (`None`: nothing).
    Select(Option<String>),
    /// Fail this server, or bring it back.
    ToggleFailed(String),
    ClearFailed,
    /// Step, play, jump or fail a step of the lesson (the Simulate tab's actions that change
    /// only the view).
    Lesson(ViewAction),
}

impl Reducible for EmbedState {
    type Action = EmbedAction;

    fn reduce(self: Rc<Self>, action: EmbedAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            EmbedAction::Select(uid) => next.selected = uid,
            EmbedAction::ToggleFailed(uid) => {
                if !next.failed.remove(&uid) {
                    next.failed.insert(uid);
                }
            }
            EmbedAction::ClearFailed => next.failed.clear(),
            EmbedAction::Lesson(action) => {
                let mut view =
                    ViewState { simulate: next.simulate.clone(), ..ViewState::default() };
                view.apply(action);
                next.simulate = view.simulate;
            }
        }
        Rc::new(next)
    }
}

impl EmbedAction {
    /// The reader's part of an app action from the shared components: a selection, a failed
    /// server. Edits are not the reader's to make (`None`: ignored).
    pub fn from_app(action: &Action) -> Option<EmbedAction> {
        match action {
            Action::Select(items) => {
                Some(EmbedAction::Select(items.iter().find_map(|i| match i {
                    crate::model::edit::ItemRef::Node(uid) => Some(uid.clone()),
                    _ => None,
                })))
            }
            Action::View(view) => EmbedAction::from_view(view),
            Action::OpenLesson(id) => {
                Some(EmbedAction::Lesson(ViewAction::SimLesson(Some(id.clone()))))
            }
            _ => None,
        }
    }

    pub fn from_view(action: &ViewAction) -> Option<EmbedAction> {
        match action {
            ViewAction::ToggleFailed(uid) => Some(EmbedAction::ToggleFailed(uid.clone())),
            ViewAction::ClearFailed => Some(EmbedAction::ClearFailed),
            ViewAction::SimLesson(_)
            | ViewAction::SimForward(_)
            | ViewAction::SimBack
            | ViewAction::SimStart
            | ViewAction::SimGoTo { .. }
            | ViewAction::SimPlay { .. }
            | ViewAction::SimSpeed(_)
            | ViewAction::SimFault(_)
            | ViewAction::SimClearFaults
            | ViewAction::SimNode(_) => Some(EmbedAction::Lesson(action.clone())),
            _ => None,
        }
    }
}

/// The service the options name: `cluster/name`, or a name in any cluster; else the first.
pub fn embed_service(plan: &Plan, key: Option<&ServiceKey>) -> Option<usize> {
    match key {
        Some(k) if k.cluster.is_empty() => plan
            .services
            .iter()
            .position(|s| s.service == k.name)
            .or_else(|| resolve_service(plan, None)),
        other => resolve_service(plan, other),
    }
}

#[derive(Debug, Properties)]
pub struct EmbedProps {
    pub document: Rc<Document>,
    pub options: EmbedOptions,
}

impl PartialEq for EmbedProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.document, &other.document) && self.options == other.options
    }
}

#[function_component(Embed)]
pub fn embed(props: &EmbedProps) -> Html {
    let options = &props.options;
    let state = {
        let (node, lesson, event) = (options.node.clone(), options.lesson.clone(), options.event);
        use_reducer(move || EmbedState {
            selected: node,
            simulate: SimulateView { lesson, position: event, ..SimulateView::default() },
            ..EmbedState::default()
        })
    };
    let plan: Rc<Plan> =
        use_memo((DocRef(props.document.clone()), options.strategy), |(doc, strategy)| {
            compile(&doc.0, *strategy)
        });
    let service = embed_service(&plan, options.service.as_ref());
    let service_key =
        service.map(|s| ServiceKey::new(&plan.services[s].cluster, &plan.services[s].service));
    // The lesson's run, derived (never stored), and its marks on the drawing at the event.
    let simulation: Option<SimRef> = {
        let deps = (
            DocRef(props.document.clone()),
            state.simulate.lesson.clone(),
            state.simulate.faults.clone(),
        );
        let run = use_memo(deps, |(doc, lesson, faults)| {
            let lesson = lesson.as_deref().filter(|_| options.view == EmbedView::Lesson)?;
            lessons::run(&doc.0, lesson, faults).map(Rc::new)
        });
        run.as_ref().clone().map(SimRef)
    };
    let mut overlay = canvas_overlay(
        &plan,
        &props.document,
        state.selected.as_deref(),
        service_key.as_ref(),
        &state.failed,
    );
    if let Some(Ok(sim)) = simulation.as_ref().map(|s| s.0.as_ref()) {
        let position = state.simulate.position.min(sim.events.len());
        let marks = sim_overlay(sim, &sim.world_after(position), position);
        let from = marks.current.as_deref().unwrap_or_default();
        overlay.message_path(&plan, &props.document, from, marks.target.as_deref());
        overlay.sim = Some(marks);
    }
    let overlay = Rc::new(overlay);
    let marks: Rc<Marks> = use_memo(PlanRef(plan.clone()), |p| scene::marks(&p.0.diagnostics));
    let selection = use_memo(state.selected.clone(), |s| {
        s.iter().map(|uid| crate::model::edit::ItemRef::Node(uid.clone())).collect::<Vec<_>>()
    });
    let dispatch = {
        let state = state.dispatcher();
        Callback::from(move |a: Action| {
            if let Some(a) = EmbedAction::from_app(&a) {
                state.dispatch(a);
            }
        })
    };
    let on_view = {
        let state = state.dispatcher();
        Callback::from(move |a: ViewAction| {
            if let Some(a) = EmbedAction::from_view(&a) {
                state.dispatch(a);
            }
        })
    };
    let on_select = {
        let state = state.dispatcher();
        Callback::from(move |uid: String| state.dispatch(EmbedAction::Select(Some(uid))))
    };
    let plan_ref = PlanRef(plan.clone());
    let lists = html! {
        <div class="embed-lists" data-testid="embed-lists">
            <NodeView plan={plan_ref.clone()} selected={state.selected.clone()} failed={state.failed.clone()}
                document={DocRef(props.document.clone())} {on_select} />
        </div>
    };
    let diagram = html! {
        <div class="embed-diagram">
            <Canvas doc={props.document.clone()} selection={selection.clone()} tool={Tool::Select} snap={false}
                generation={0} read_only={true} marks={marks.clone()} overlay={overlay.clone()} dispatch={dispatch.clone()} />
        </div>
    };
    let body = match options.view {
        EmbedView::Lesson => html! {
            <>
                { diagram }
                <div class="embed-lesson" data-testid="embed-lesson">
                    <SimulateTab document={DocRef(props.document.clone())} {simulation} view={state.simulate.clone()}
                        selected={state.selected.clone()} embedded={true} dispatch={dispatch.clone()} />
                </div>
            </>
        },
        EmbedView::Diagram => html! {
            <>
                { diagram }
                { lists }
            </>
        },
        EmbedView::Lists => lists,
        EmbedView::Load => match service {
            Some(service) => html! {
                <div class="embed-load" data-testid="embed-load">
                    <LoadView plan={plan_ref} {service} failed={state.failed.clone()} selected={state.selected.clone()} {on_view} />
                </div>
            },
            None => {
                html! { <p class="embed-message" role="note">{ "The model has no service." }</p> }
            }
        },
    };
    let errors = plan
        .diagnostics
        .iter()
        .filter(|d| d.severity == clusterplan_engine::Severity::Error)
        .count();
    html! {
        <div class={classes!("embed", format!("embed-{:?}", options.view).to_lowercase())} data-testid="embed">
            // The clusters' and networks' colours (`crate::model::theme`), on the embed's root: the
            // shadow tree has no `:root`.
            <style>{ crate::model::theme::palette_css_in(".embed", ".cluster-plan-root[data-theme=\"dark\"] .embed",
                props.document.clusters.len(), props.document.networks.len()) }</style>
            { body }
            if errors > 0 {
                <p class="embed-message" role="note" data-testid="embed-errors">
                    { format!("The model has {errors} error{}: open it in clusterplan to see them.", if errors == 1 { "" } else { "s" }) }
                </p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::edit::ItemRef;

    #[test]
    fn attributes_are_read_and_a_wrong_one_is_named() {
        let o = EmbedOptions::read(Some("load"), Some(" n5 "), Some("A/registry"), Some("Spread"));
        let o = o.unwrap();
        assert_eq!(o.view, EmbedView::Load);
        assert_eq!(o.node.as_deref(), Some("n5"));
        assert_eq!(o.service, Some(ServiceKey::new("A", "registry")));
        assert_eq!(o.strategy, Strategy::Spread);
        assert_eq!(EmbedOptions::read(None, None, None, None).unwrap(), EmbedOptions::default());
        let err = EmbedOptions::read(Some("matrix"), None, None, None).unwrap_err();
        assert!(err.contains("view=\"matrix\""), "{err}");
        let err = EmbedOptions::read(None, None, None, Some("zigzag")).unwrap_err();
        assert!(err.contains("strategy=\"zigzag\""), "{err}");
    }

    #[test]
    fn the_reader_selects_and_fails_but_never_edits() {
        let s = Rc::new(EmbedState::default());
        let select =
            Action::Select(vec![ItemRef::Subnet("10.0.0.0/24".into()), ItemRef::Node("n5".into())]);
        let s = s.reduce(EmbedAction::from_app(&select).unwrap());
        assert_eq!(s.selected.as_deref(), Some("n5"));
        let s = s.reduce(EmbedAction::from_view(&ViewAction::ToggleFailed("n7".into())).unwrap());
        assert!(s.failed.contains("n7"));
        let s = s.reduce(EmbedAction::ToggleFailed("n7".into()));
        assert!(s.failed.is_empty());
        let edit =
            Action::Edit(crate::model::edit::EditAction::Delete(vec![ItemRef::Node("n5".into())]));
        assert_eq!(EmbedAction::from_app(&edit), None, "an edit is not the reader's");
    }

    #[test]
    fn a_lesson_is_read_with_its_event_and_steps_in_the_view_only() {
        let o = EmbedOptions::read(Some("lesson"), None, None, None).unwrap();
        let o = o.with_lesson(Some("fig8-stale-replica"), Some("32")).unwrap();
        assert_eq!((o.lesson.as_deref(), o.event), (Some("fig8-stale-replica"), 32));
        let err = EmbedOptions::read(Some("lesson"), None, None, None)
            .unwrap()
            .with_lesson(Some("fig99"), None)
            .unwrap_err();
        assert!(
            err.contains("lesson=\"fig99\" is not a lesson") && err.contains("fig8-stale-replica"),
            "{err}"
        );
        let s = Rc::new(EmbedState {
            simulate: SimulateView {
                lesson: o.lesson.clone(),
                position: 32,
                ..SimulateView::default()
            },
            ..EmbedState::default()
        });
        let s = s.reduce(EmbedAction::from_view(&ViewAction::SimForward(100)).unwrap());
        assert_eq!(s.simulate.position, 33);
        let s = s.reduce(EmbedAction::from_view(&ViewAction::SimBack).unwrap());
        assert_eq!(s.simulate.position, 32);
        assert_eq!(EmbedAction::from_view(&ViewAction::SimExport), None, "nothing is downloaded");
        assert_eq!(EmbedAction::from_view(&ViewAction::SimExplore(true)), None);
    }

    #[test]
    fn a_service_named_without_its_cluster_is_found() {
        let plan = compile(&crate::model::examples::FIG24.document(), Strategy::Rotation);
        assert_eq!(embed_service(&plan, Some(&ServiceKey::new("", "registry"))), Some(0));
        assert_eq!(embed_service(&plan, Some(&ServiceKey::new("", "nope"))), Some(0));
        assert_eq!(embed_service(&plan, None), Some(0));
    }
}
