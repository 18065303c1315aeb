//! The lessons of the Simulate tab: the scenarios of `examples/scenarios/`, compiled in, each run
//! against the lesson model (`examples/lifecycle.json`, the gallery's "lifecycle" example) by the
//! lifecycle crate. [`run`] is a pure function of the document, the lesson and the faults the
//! reader added.

use clusterplan_engine::Document;
use clusterplan_lifecycle::{scenario, simulate, Fault, Scenario, Simulation};

/// One lesson: a scenario file of `examples/scenarios/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lesson {
    /// The file's stem (`fig13-define-fails-step-9`): stable, used in test ids.
    pub id: &'static str,
    /// The figure it follows (`FIG 13`).
    pub figure: &'static str,
    json: &'static str,
}

macro_rules! lesson {
    ($id:literal, $figure:literal) => {
        Lesson {
            id: $id,
            figure: $figure,
            json: include_str!(concat!("../../../examples/scenarios/", $id, ".json")),
        }
    };
}

/// Every lesson, in the order of the source's figures.
pub const LESSONS: &[Lesson] = &[
    lesson!("fig8-stale-replica", "FIG 8"),
    lesson!("fig8-registry-server-down", "FIG 8"),
    lesson!("fig8-split-quorum-none", "FIG 8"),
    lesson!("fig8-split-quorum-majority", "FIG 8"),
    lesson!("fig9a-cluster-defined-used-undefined", "FIG 9a"),
    lesson!("fig9c-registry-server-added", "FIG 9c"),
    lesson!("fig11-scenario-1-normal", "FIG 11"),
    lesson!("fig11-scenario-2-deleted-while-away", "FIG 11"),
    lesson!("fig11-scenario-3-hardware-replaced", "FIG 11"),
    lesson!("fig11-scenario-4-deleted-and-replaced", "FIG 11"),
    lesson!("fig13-define-committed", "FIG 13"),
    lesson!("fig13-define-fails-step-9", "FIG 13"),
    lesson!("fig13-define-fails-step-12", "FIG 13"),
    lesson!("fig15-automatic-configuration", "FIG 15"),
    lesson!("fig18-move-committed", "FIG 18"),
    lesson!("fig18-move-fails-at-refresh", "FIG 18"),
];

/// The gallery example every lesson runs on.
pub const MODEL: &str = "lifecycle";

/// The lesson with this id.
pub fn by_id(id: &str) -> Option<Lesson> {
    LESSONS.iter().copied().find(|l| l.id == id)
}

impl Lesson {
    /// The scenario as shipped (the files are tested to read).
    pub fn scenario(&self) -> Scenario {
        scenario::read(self.json).unwrap_or_else(|_| Scenario {
            format: scenario::FORMAT.to_owned(),
            description: String::new(),
            operations: Vec::new(),
            faults: Vec::new(),
            watch: Vec::new(),
            extra: Default::default(),
        })
    }

    /// The scenario's description: what to watch.
    pub fn description(&self) -> String {
        self.scenario().description
    }

    /// The name the picker shows: `FIG 13: define fails step 9`.
    pub fn title(&self) -> String {
        let rest = self.id.split_once('-').map_or(self.id, |(_, rest)| rest);
        format!("{}: {}", self.figure, rest.replace('-', " "))
    }
}

/// The id of the scenario saved with the model (the document's `scenario` field).
pub const SAVED: &str = "model";

/// The scenario `id` names on `doc`: a shipped lesson, or the model's own scenario ([`SAVED`];
/// `Err` when its field is not a scenario). `None`: no such lesson.
pub fn scenario_of(doc: &Document, id: &str) -> Option<Result<Scenario, String>> {
    match by_id(id) {
        Some(lesson) => Some(Ok(lesson.scenario())),
        None if id == SAVED => crate::edit::scenario(doc),
        None => None,
    }
}

/// Runs the scenario `id` names, with the faults the reader added, on `doc`; a scenario the
/// model cannot run (another model is loaded) is the lifecycle crate's one-line reason.
pub fn run(doc: &Document, id: &str, added: &[Fault]) -> Option<Result<Simulation, String>> {
    Some(scenario_of(doc, id)?.and_then(|mut scenario| {
        scenario.faults.extend(added.iter().cloned());
        simulate(doc, &scenario).map_err(|e| e.to_string())
    }))
}

/// What a share link of the lesson shown opens (docs/lifecycle.md): the document to share and
/// the lesson's id and event (`lesson=ID&event=N`). A shipped lesson without added faults goes
/// by its id; with faults added (or the model's own scenario with some), the scenario with them
/// is saved in the shared document's `scenario` field and the link opens that ([`SAVED`]), so
/// the reader sees the same run. `None`: no lesson shown.
pub fn shared(
    doc: &Document,
    view: &crate::results::view::SimulateView,
) -> Option<(Document, (String, usize))> {
    let id = view.lesson.clone()?;
    if view.faults.is_empty() {
        scenario_of(doc, &id)?.ok()?;
        return Some((doc.clone(), (id, view.position)));
    }
    let mut scenario = scenario_of(doc, &id)?.ok()?;
    scenario.faults.extend(view.faults.iter().cloned());
    let edit = crate::edit::EditAction::SetScenario(Some(Box::new(scenario)));
    let saved = crate::edit::apply(doc, &edit).ok()?.doc;
    Some((saved, (SAVED.to_owned(), view.position)))
}

/// Is `doc` the lessons' model, as shipped (its saved scenario and positions aside)?
pub fn is_lesson_model(doc: &Document) -> bool {
    let mut doc = doc.clone();
    doc.extra.shift_remove(crate::edit::SCENARIO);
    crate::examples::by_id(MODEL).is_some_and(|m| m.is_untouched(&doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_file_is_a_lesson_and_plays_on_the_lesson_model() {
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/scenarios"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count();
        assert_eq!(files, LESSONS.len());
        let doc = crate::examples::by_id(MODEL).unwrap().document();
        for lesson in LESSONS {
            scenario::read(lesson.json).unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            assert!(!lesson.description().is_empty(), "{}", lesson.id);
            assert!(lesson.id.starts_with(&lesson.figure.to_lowercase().replace(' ', "")));
            let sim =
                run(&doc, lesson.id, &[]).unwrap().unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
            assert!(!sim.events.is_empty(), "{}", lesson.id);
            // What to watch: each item at an event of the run, in the run's order.
            let watched: Vec<Option<usize>> =
                lesson.scenario().watch.iter().map(|w| w.event(&sim.events)).collect();
            assert!(!watched.is_empty(), "{}: nothing to watch", lesson.id);
            assert!(watched.iter().all(Option::is_some), "{}: {watched:?}", lesson.id);
            assert!(watched.is_sorted(), "{}: {watched:?}", lesson.id);
            assert_eq!(by_id(lesson.id), Some(*lesson));
        }
        assert_eq!(
            by_id("fig13-define-fails-step-9").unwrap().title(),
            "FIG 13: define fails step 9"
        );
    }

    #[test]
    fn a_scenario_saved_with_the_model_runs_from_the_model_and_survives_the_file() {
        use crate::edit::{apply, EditAction};
        let doc = crate::examples::by_id(MODEL).unwrap().document();
        assert!(is_lesson_model(&doc));
        let mut scenario = by_id("fig13-define-committed").unwrap().scenario();
        scenario.faults.push(crate::results::view::fail_here(1, Some(9), None).unwrap());
        let saved =
            apply(&doc, &EditAction::SetScenario(Some(Box::new(scenario.clone())))).unwrap().doc;
        assert!(is_lesson_model(&saved), "a saved scenario keeps it the lessons' model");
        // Through the file format (an export, a share link) and back.
        let text = clusterplan_engine::document::write(&saved);
        let read = clusterplan_engine::document::read(&text).unwrap();
        assert_eq!(scenario_of(&read, SAVED), Some(Ok(scenario)));
        let sim = run(&read, SAVED, &[]).unwrap().unwrap();
        assert_eq!(sim.outcomes[1].result.name(), "aborted");
        let removed = apply(&saved, &EditAction::SetScenario(None)).unwrap().doc;
        assert_eq!(scenario_of(&removed, SAVED), None);
        // A field that is not a scenario is a reason.
        let mut broken = doc.clone();
        broken.extra.insert(crate::edit::SCENARIO.into(), serde_json::json!({"format": "x"}));
        assert!(run(&broken, SAVED, &[]).unwrap().is_err());
    }

    #[test]
    fn a_shared_lesson_carries_its_event_and_the_faults_added() {
        use crate::results::view::{fail_here, SimulateView};
        let doc = crate::examples::by_id(MODEL).unwrap().document();
        let mut view = SimulateView {
            lesson: Some("fig13-define-committed".into()),
            position: 12,
            ..SimulateView::default()
        };
        let (same, lesson) = shared(&doc, &view).unwrap();
        assert_eq!((same, lesson), (doc.clone(), ("fig13-define-committed".into(), 12)));
        // With a fault added, the link opens the model's own scenario holding it: the same run.
        view.faults.push(fail_here(1, Some(9), None).unwrap());
        let (saved, lesson) = shared(&doc, &view).unwrap();
        assert_eq!(lesson, (SAVED.to_owned(), 12));
        let here = run(&doc, "fig13-define-committed", &view.faults).unwrap().unwrap();
        let there = run(&saved, SAVED, &[]).unwrap().unwrap();
        assert_eq!(here.events, there.events);
        assert_eq!(there.outcomes[1].result.name(), "aborted");
        assert!(shared(&doc, &SimulateView::default()).is_none());
    }

    #[test]
    fn another_model_is_a_reason_not_a_panic() {
        assert!(run(&Document::default(), "fig13-define-committed", &[]).unwrap().is_err());
        assert!(run(&Document::default(), "nope", &[]).is_none());
        assert!(run(&Document::default(), SAVED, &[]).is_none(), "no scenario saved");
    }
}
