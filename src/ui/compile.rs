//! The plan derived from the document (ARCHITECTURE.md, "The compile off the page's thread"):
//! compiled on the page during the render for small models, in a Web Worker for large ones so
//! the page never waits for it, and not at all when an edit changed nothing the compile reads.
//!
//! [`use_plan`] is the hook the app derives its plan with. What is decided here is pure and
//! natively tested ([`CompileKey`], [`in_worker`], the messages); the worker itself
//! (`src/bin/compile_worker.rs`) and the page's side of it are effects, in the browser only.
//! The plan is never stored beside the model: what the hook keeps is the worker's answer for
//! one [`CompileKey`] (a document by identity, and a strategy) and the revision it was asked
//! for, replaced whole by a newer answer and dropped when a newer edit made it stale.

use clusterplan_engine::{Document, FailureSet, Plan, Strategy};
use std::rc::Rc;
use yew::prelude::*;

/// From how many list entries (clients x service addresses, as [`list_entries`] estimates them)
/// the plan is compiled in the worker. Below, compiling on the page is quicker than the worker's
/// round trip (the document written and read again, the plan's bytes decoded): the 1,000-node
/// example (256,000 entries) compiles in about 8 ms in the page, its round trip takes longer
/// (docs/performance.md, "The compile off the page's thread").
pub const WORKER_FROM: usize = 600_000;

/// The list entries a compile of `doc` writes, roughly: every node a client of every service,
/// each list as long as its service's addresses. Cheap (no parsing), so asked on every render.
pub fn list_entries(doc: &Document) -> usize {
    let addresses: usize = doc.services.iter().map(|s| s.addresses.len()).sum();
    doc.nodes.len().saturating_mul(addresses)
}

/// Is `doc` compiled in the worker? By its size, unless the page's address forces one way
/// ([`forced`]).
pub fn in_worker(doc: &Document) -> bool {
    forced().unwrap_or_else(|| list_entries(doc) >= WORKER_FROM)
}

/// What a page address's query asks for: `compile=worker` every model in the worker,
/// `compile=page` every model on the page (for measuring the two side by side), else `None`.
pub fn mode_in(query: &str) -> Option<bool> {
    query.trim_start_matches('?').split('&').find_map(|pair| match pair {
        "compile=worker" => Some(true),
        "compile=page" => Some(false),
        _ => None,
    })
}

/// [`mode_in`] of this page's address (read once).
fn forced() -> Option<bool> {
    #[cfg(target_arch = "wasm32")]
    {
        thread_local! {
            static FORCED: Option<bool> = web_sys::window()
                .and_then(|w| w.location().search().ok())
                .and_then(|q| mode_in(&q));
        }
        FORCED.with(|f| *f)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}

/// Do `a` and `b` compile to the same plan? The compile reads the document's lists (clusters,
/// networks, subnets, routers, nodes with their own fields, services) and its format, never its
/// top-level extension fields (the layout, the description, the scenario) nor its key order:
/// an edit that moved items only keeps the plan.
pub fn same_compile_inputs(a: &Document, b: &Document) -> bool {
    a.format == b.format
        && a.clusters == b.clusters
        && a.networks == b.networks
        && a.subnets == b.subnets
        && a.routers == b.routers
        && a.nodes == b.nodes
        && a.services == b.services
}

/// What a plan is compiled from: the document (compared by identity first, then by what the
/// compile reads), the strategy and the failed routers and subnets (the network part of the
/// view's failure set; its nodes stay out, the load's failover takes them on top of the plan).
#[derive(Debug, Clone)]
pub struct CompileKey {
    pub doc: Rc<Document>,
    pub strategy: Strategy,
    pub failures: FailureSet,
}

impl CompileKey {
    /// The plan of this key: the one compile the page and the worker both run
    /// (`clusterplan_engine::compile_with`, docs/spec.md §2).
    pub fn compile(&self) -> Plan {
        compile_plan(&self.doc, self.strategy, &self.failures)
    }
}

/// The plan of `doc` under `strategy` with these routers and subnets failed: the page's and
/// the worker's one way to compile.
pub fn compile_plan(doc: &Document, strategy: Strategy, failures: &FailureSet) -> Plan {
    if failures.has_network() {
        clusterplan_engine::compile_with(doc, strategy, failures)
    } else {
        clusterplan_engine::compile(doc, strategy)
    }
}

/// The failure set as the worker's request carries it (JSON; empty: nothing failed).
pub fn failures_text(failures: &FailureSet) -> String {
    if failures.has_network() {
        serde_json::to_string(failures).unwrap_or_default()
    } else {
        String::new()
    }
}

/// The failure set of a request ([`failures_text`]); `None` when it is no failure set.
pub fn read_failures(text: &str) -> Option<FailureSet> {
    if text.is_empty() {
        return Some(FailureSet::default());
    }
    serde_json::from_str(text).ok()
}

impl PartialEq for CompileKey {
    fn eq(&self, o: &Self) -> bool {
        self.strategy == o.strategy
            && self.failures == o.failures
            && (Rc::ptr_eq(&self.doc, &o.doc) || same_compile_inputs(&self.doc, &o.doc))
    }
}

/// The strategy as the worker's request carries it (`rotation`, `shuffle:SEED`).
pub fn strategy_text(strategy: Strategy) -> String {
    match strategy {
        Strategy::Shuffle { seed } => format!("shuffle:{seed}"),
        other => other.to_string(),
    }
}

/// The strategy of a request ([`strategy_text`]); `None` when it names none.
pub fn read_strategy(text: &str) -> Option<Strategy> {
    match text.split_once(':') {
        Some(("shuffle", seed)) => seed.parse().ok().map(|seed| Strategy::Shuffle { seed }),
        Some(_) => None,
        None => text.parse().ok(),
    }
}

/// The worker's answer to one request: the plan's bytes (`plan::wire`), with how long reading
/// the document and compiling it took (ms, by the clock `now`), or why the document did not
/// read there (the page then compiles it itself).
#[cfg(any(test, target_arch = "wasm32"))]
pub fn answer(
    strategy: &str,
    failures: &str,
    text: &str,
    now: impl Fn() -> Option<f64>,
) -> Result<Answered, String> {
    let strategy = read_strategy(strategy).ok_or_else(|| format!("no strategy {strategy:?}"))?;
    let failures = read_failures(failures).ok_or_else(|| format!("no failure set {failures:?}"))?;
    let start = now();
    let doc = clusterplan_engine::document::read(text).map_err(|e| e.to_string())?;
    let read = now();
    let plan = compile_plan(&doc, strategy, &failures);
    let compiled = now();
    let took = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(a, b)| b - a);
    Ok(Answered {
        bytes: clusterplan_engine::plan::wire::encode(&plan),
        read_ms: took(start, read),
        compile_ms: took(read, compiled),
    })
}

/// The worker's answer ([`answer`]).
#[derive(Debug)]
pub struct Answered {
    pub bytes: Vec<u8>,
    pub read_ms: Option<f64>,
    pub compile_ms: Option<f64>,
}

/// The plan the page shows, and how it stands.
#[derive(Debug, Clone)]
pub struct Derived {
    pub plan: Rc<Plan>,
    /// The document the plan was compiled from: the same `Rc` for as long as the plan is kept
    /// (edits that only moved items), so views of the plan can skip re-rendering on them.
    pub compiled: Rc<Document>,
    /// How long its compile took (ms), when timed.
    pub ms: Option<f64>,
    /// How long the worker took to read the document before (ms; compiled on the page: none).
    pub read_ms: Option<f64>,
    /// A newer plan is being compiled (the one shown is for an earlier document, or empty).
    pub compiling: bool,
    /// Compiled in the worker (else on the page).
    pub worker: bool,
    /// The worker request the shown plan answers, and the latest one asked (0: none yet).
    pub shown_revision: u64,
    pub revision: u64,
}

/// The worker's latest accepted answer: the plan for `key`, asked as `revision`.
#[derive(Debug, Clone)]
pub struct Answer {
    pub key: CompileKey,
    pub plan: Rc<Plan>,
    pub ms: Option<f64>,
    pub read_ms: Option<f64>,
    pub revision: u64,
}

impl PartialEq for Answer {
    fn eq(&self, o: &Self) -> bool {
        self.revision == o.revision && Rc::ptr_eq(&self.plan, &o.plan)
    }
}

/// Up to how many list entries ([`list_entries`]) the first plan of a large model is compiled on
/// the page. When a large model has just been opened nothing of its plan is shown yet, and the
/// worker's first answer costs its start-up and a first read of the whole document at a cold
/// WASM's speed (about 1.8 s for the 20,000-node example's link, against about 0.3 s to compile
/// it on the page: docs/performance.md, "The 20,000-node link"), while the page is busy drawing
/// the model anyway. Every later compile of it goes to the worker.
pub const FIRST_ON_PAGE_UPTO: usize = 8_000_000;

/// Is `doc`'s plan compiled on the page? Small models always (unless the address forces the
/// worker, [`in_worker`]); a large one when no plan of a large model has been shown yet
/// (`large_shown`) and it has at most [`FIRST_ON_PAGE_UPTO`] list entries, unless the address
/// forces either way.
pub fn on_page(doc: &Document, large_shown: bool) -> bool {
    match forced() {
        Some(worker) => !worker,
        None => !in_worker(doc) || (!large_shown && list_entries(doc) <= FIRST_ON_PAGE_UPTO),
    }
}

/// A plan compiled on the page: the plan, how long it took, the document it is of.
type Here = (Rc<Plan>, Option<f64>, Rc<Document>);

/// The plan of `doc` under `strategy`: compiled during the render when the model is small (or
/// is the first large one, [`on_page`]), else asked of the worker (the plan shown meanwhile is
/// the last one shown, and `compiling` says so); reused as it is when only positions or
/// top-level extension fields changed ([`CompileKey`]).
#[hook]
pub fn use_plan(doc: &Rc<Document>, strategy: Strategy, failures: FailureSet) -> Derived {
    let key = CompileKey { doc: doc.clone(), strategy, failures };
    // Whether a large model's plan has been shown, and the last plan compiled on the page (shown
    // while the worker compiles the next one).
    let large_shown = use_mut_ref(|| false);
    let last_here = use_mut_ref(|| None::<Here>);
    let answered = use_state(|| None::<Answer>);
    let here: Rc<Option<Here>> = {
        let (large_shown, last_here) = (large_shown.clone(), last_here.clone());
        let worker_answered = answered.is_some();
        use_memo(key.clone(), move |k| {
            let large = in_worker(&k.doc);
            if !on_page(&k.doc, *large_shown.borrow() || worker_answered) {
                return None;
            }
            let start = crate::platform::browser::now_ms();
            let plan = Rc::new(k.compile());
            let here = (
                plan,
                start.zip(crate::platform::browser::now_ms()).map(|(a, b)| b - a),
                k.doc.clone(),
            );
            *large_shown.borrow_mut() |= large;
            *last_here.borrow_mut() = Some(here.clone());
            Some(here)
        })
    };
    let channel = use_mut_ref(worker::Channel::default);
    {
        let (setter, channel) = (answered.setter(), channel.clone());
        let compiled_here = here.is_some();
        use_effect_with(key.clone(), move |key| {
            if !compiled_here {
                worker::ask(&channel, key.clone(), Rc::new(move |a| setter.set(Some(a))));
            }
        });
    }
    let revision = channel.borrow().revision();
    // A plan compiled on the page: this document's, or the last one while the worker compiles.
    let from_page = |(plan, ms, compiled): Here, waiting: bool| Derived {
        plan,
        compiled,
        ms,
        read_ms: None,
        compiling: waiting,
        worker: waiting,
        shown_revision: 0,
        revision,
    };
    if let Some(here) = here.as_ref().clone() {
        return from_page(here, false);
    }
    match answered.as_ref() {
        Some(a) => Derived {
            plan: a.plan.clone(),
            compiled: a.key.doc.clone(),
            ms: a.ms,
            read_ms: a.read_ms,
            compiling: a.key != key,
            worker: true,
            shown_revision: a.revision,
            revision,
        },
        None => {
            let last = last_here.borrow().clone();
            from_page(
                last.unwrap_or_else(|| {
                    (Rc::new(Plan::default()), None, Rc::new(Document::default()))
                }),
                true,
            )
        }
    }
}

/// The page's side of the compile worker: one request in flight, the newest waiting one
/// behind it (older waiting ones are never sent), answers for anything but the newest request
/// dropped.
mod worker {
    use super::{Answer, CompileKey};
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Where an accepted answer goes (the hook's state).
    pub type Sink = Rc<dyn Fn(Answer)>;

    /// The worker and the requests.
    #[derive(Default)]
    pub struct Channel {
        /// The newest request's revision (each request counts one up).
        revision: u64,
        /// The request the worker is compiling, if any.
        in_flight: Option<u64>,
        /// The newest request not yet sent (the worker was busy).
        waiting: Option<(u64, CompileKey)>,
        /// The key of every request sent and not yet answered.
        sent: Vec<(u64, CompileKey)>,
        /// Where accepted answers go.
        answered: Option<Sink>,
        /// The worker listens (it said so); requests wait until it does.
        pub(super) ready: bool,
        /// The document the worker holds (the last one sent): a request for the same compile
        /// inputs sends no text. (Only the browser's side sends texts.)
        #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
        pub(super) holds: Option<CompileKey>,
        #[cfg(target_arch = "wasm32")]
        worker: Option<browser::Worker>,
    }

    impl std::fmt::Debug for Channel {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Channel").field("revision", &self.revision).finish_non_exhaustive()
        }
    }

    impl Channel {
        pub fn revision(&self) -> u64 {
            self.revision
        }

        /// The request the worker is compiling.
        #[cfg(test)]
        pub fn in_flight(&self) -> Option<u64> {
            self.in_flight
        }
    }

    /// Asks for the plan of `key` (a new revision).
    pub fn ask(channel: &Rc<RefCell<Channel>>, key: CompileKey, answered: Sink) {
        let mut c = channel.borrow_mut();
        c.revision += 1;
        let revision = c.revision;
        c.answered = Some(answered);
        c.waiting = Some((revision, key));
        drop(c);
        send_waiting(channel);
    }

    /// Sends the waiting request when the worker is free.
    pub(super) fn send_waiting(channel: &Rc<RefCell<Channel>>) {
        let mut c = channel.borrow_mut();
        if c.in_flight.is_some() || !(c.ready || cfg!(not(target_arch = "wasm32"))) {
            #[cfg(target_arch = "wasm32")]
            if c.worker.is_none() && !c.ready {
                drop(c);
                browser::start(channel);
            }
            return;
        }
        let Some((revision, key)) = c.waiting.take() else { return };
        c.in_flight = Some(revision);
        c.sent.push((revision, key.clone()));
        drop(c);
        #[cfg(target_arch = "wasm32")]
        browser::post(channel, revision, &key);
        #[cfg(not(target_arch = "wasm32"))]
        let _ = key;
    }

    /// The worker answered `revision` with `plan` (or could not, `None`: the page compiles).
    #[cfg(any(test, target_arch = "wasm32"))]
    pub fn answer(
        channel: &Rc<RefCell<Channel>>,
        revision: u64,
        plan: Option<(clusterplan_engine::Plan, [Option<f64>; 2])>,
    ) {
        let mut c = channel.borrow_mut();
        c.in_flight = None;
        if plan.is_none() {
            c.holds = None; // (It did not read there: send the text again next time.)
        }
        let key = c.sent.iter().position(|(r, _)| *r == revision).map(|i| c.sent.remove(i).1);
        let newest = revision == c.revision;
        let answered = c.answered.clone();
        drop(c);
        if let (true, Some(key), Some(answered)) = (newest, key, answered) {
            let (plan, [ms, read_ms]) = plan.unwrap_or_else(|| {
                let start = crate::platform::browser::now_ms();
                let plan = key.compile();
                (plan, [start.zip(crate::platform::browser::now_ms()).map(|(a, b)| b - a), None])
            });
            answered(Answer { key, plan: Rc::new(plan), ms, read_ms, revision });
        }
        send_waiting(channel);
    }

    #[cfg(target_arch = "wasm32")]
    mod browser {
        use super::Channel;
        use crate::ui::compile::CompileKey;
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::prelude::*;
        use wasm_bindgen::JsCast;

        /// Where Trunk puts the worker's loader (index.html, `data-loader-shim`).
        const SCRIPT: &str = "./clusterplan-compile-worker_loader.js";

        /// The running worker and its message handler.
        pub struct Worker {
            worker: web_sys::Worker,
            _onmessage: Closure<dyn FnMut(web_sys::MessageEvent)>,
        }

        /// Posts a request (`[revision, strategy, document text, failure set]`; no text when
        /// the worker holds a document with the same compile inputs).
        pub fn post(channel: &Rc<RefCell<Channel>>, revision: u64, key: &CompileKey) {
            let held = channel.borrow().holds.as_ref().is_some_and(|h| {
                Rc::ptr_eq(&h.doc, &key.doc)
                    || crate::ui::compile::same_compile_inputs(&h.doc, &key.doc)
            });
            let text = if held {
                JsValue::NULL
            } else {
                JsValue::from_str(&clusterplan_engine::document::write(&key.doc))
            };
            channel.borrow_mut().holds = Some(key.clone());
            let message = js_sys::Array::of4(
                &JsValue::from_f64(revision as f64),
                &JsValue::from_str(&crate::ui::compile::strategy_text(key.strategy)),
                &text,
                &JsValue::from_str(&crate::ui::compile::failures_text(&key.failures)),
            );
            let posted = channel.borrow().worker.as_ref().map(|w| w.worker.post_message(&message));
            if !matches!(posted, Some(Ok(()))) {
                channel.borrow_mut().holds = None;
                super::answer(channel, revision, None);
            }
        }

        /// Starts the worker (the waiting request is sent once it says it is ready); where the
        /// browser cannot, the page compiles the waiting request itself, and every later one.
        pub fn start(channel: &Rc<RefCell<Channel>>) {
            let Ok(worker) = web_sys::Worker::new(SCRIPT) else {
                let mut c = channel.borrow_mut();
                c.ready = true;
                c.holds = None;
                let waiting = c.waiting.take();
                drop(c);
                if let Some((revision, key)) = waiting {
                    channel.borrow_mut().sent.push((revision, key));
                    super::answer(channel, revision, None);
                }
                return;
            };
            let weak = Rc::downgrade(channel);
            let onmessage = Closure::<dyn FnMut(_)>::new(move |e: web_sys::MessageEvent| {
                let Some(channel) = weak.upgrade() else { return };
                if e.data().as_string().as_deref() == Some("ready") {
                    channel.borrow_mut().ready = true;
                    return super::send_waiting(&channel);
                }
                let reply: js_sys::Array = e.data().unchecked_into();
                let revision = reply.get(0).as_f64().unwrap_or_default() as u64;
                let plan = reply
                    .get(1)
                    .dyn_into::<js_sys::Uint8Array>()
                    .ok()
                    .and_then(|bytes| clusterplan_engine::plan::wire::decode(&bytes.to_vec()).ok())
                    .map(|plan| (plan, [reply.get(2).as_f64(), reply.get(3).as_f64()]));
                super::answer(&channel, revision, plan);
            });
            worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
            channel.borrow_mut().worker = Some(Worker { worker, _onmessage: onmessage });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clusterplan_engine::generate::data_centre;

    #[test]
    fn moving_items_keeps_the_plan_and_anything_else_compiles_again() {
        let doc = crate::model::examples::data_centre(1000);
        let a = CompileKey {
            doc: Rc::new(doc.clone()),
            strategy: Strategy::Rotation,
            failures: FailureSet::default(),
        };
        let mut moved = doc.clone();
        crate::model::layout::auto_layout(&data_centre(10)).write(&mut moved);
        moved.extra.insert("description".into(), "moved".into());
        assert_ne!(moved, doc);
        let b = CompileKey {
            doc: Rc::new(moved.clone()),
            strategy: Strategy::Rotation,
            failures: FailureSet::default(),
        };
        assert_eq!(a, b);
        // And the plans are indeed the same.
        let plan = |d: &Document| {
            serde_json::to_string(&clusterplan_engine::compile(d, Strategy::Rotation)).unwrap()
        };
        assert_eq!(plan(&doc), plan(&moved));
        let mut renamed = doc.clone();
        renamed.nodes[3].name = "renamed".into();
        assert_ne!(
            a,
            CompileKey {
                doc: Rc::new(renamed),
                strategy: Strategy::Rotation,
                failures: FailureSet::default()
            }
        );
        assert_ne!(
            a,
            CompileKey {
                doc: a.doc.clone(),
                strategy: Strategy::Spread,
                failures: FailureSet::default()
            }
        );
        let failed = FailureSet { routers: vec!["r1".into()], ..FailureSet::default() };
        assert_ne!(
            a,
            CompileKey { doc: a.doc.clone(), strategy: Strategy::Rotation, failures: failed }
        );
    }

    #[test]
    fn the_address_can_force_the_page_or_the_worker() {
        assert_eq!(mode_in("?compile=worker"), Some(true));
        assert_eq!(mode_in("?x=1&compile=page"), Some(false));
        assert_eq!(mode_in("?compile=elsewhere"), None);
        assert_eq!(mode_in(""), None);
    }

    #[test]
    fn the_first_large_plan_is_compiled_on_the_page_and_the_later_ones_in_the_worker() {
        let small = crate::model::examples::data_centre(1000);
        let large = data_centre(10_000);
        assert!(on_page(&small, false) && on_page(&small, true));
        assert!(on_page(&large, false), "nothing of it is shown yet");
        assert!(!on_page(&large, true), "an edit of it");
        // A model too large to compile on the page while it opens goes to the worker at once.
        let mut huge = data_centre(1000);
        let addresses: usize = huge.services.iter().map(|s| s.addresses.len()).sum();
        let copies = FIRST_ON_PAGE_UPTO / (huge.nodes.len() * addresses) + 1;
        let service = huge.services[0].clone();
        for i in 0..copies * huge.services.len() {
            huge.services.push(clusterplan_engine::document::Service {
                name: format!("copy {i}"),
                ..service.clone()
            });
        }
        assert!(list_entries(&huge) > FIRST_ON_PAGE_UPTO);
        assert!(!on_page(&huge, false));
    }

    #[test]
    fn large_models_go_to_the_worker() {
        assert!(!in_worker(&crate::model::examples::data_centre(1000)));
        assert!(in_worker(&data_centre(10_000)));
        assert_eq!(list_entries(&data_centre(1000)), 256_000);
    }

    #[test]
    fn the_worker_answers_with_the_plan_the_page_would_compile() {
        let doc = data_centre(200);
        for strategy in Strategy::all(42) {
            let text = clusterplan_engine::document::write(&doc);
            let bytes =
                answer(&strategy_text(strategy), "", &text, || None).expect("answers").bytes;
            let plan = clusterplan_engine::plan::wire::decode(&bytes).expect("decodes");
            assert_eq!(
                serde_json::to_string(&plan).unwrap(),
                serde_json::to_string(&clusterplan_engine::compile(&doc, strategy)).unwrap()
            );
        }
        assert!(answer("sideways", "", "{}", || None).is_err());
        assert!(answer("rotation", "", "not json", || None).is_err());
        assert!(answer("rotation", "[1,2]", "{}", || None).is_err(), "no failure set");
    }

    #[test]
    fn the_worker_compiles_under_the_failure_set_the_page_compiles_with() {
        let doc = data_centre(200);
        let router = doc.routers[0].name.clone();
        let subnet = doc.subnets[1].prefix.clone();
        let failures = FailureSet { nodes: vec![], routers: vec![router], subnets: vec![subnet] };
        let text = clusterplan_engine::document::write(&doc);
        let sent = failures_text(&failures);
        assert_eq!(read_failures(&sent), Some(failures.clone()));
        assert_eq!(failures_text(&FailureSet::default()), "");
        let bytes = answer("rotation", &sent, &text, || None).expect("answers").bytes;
        let plan = clusterplan_engine::plan::wire::decode(&bytes).expect("decodes");
        let json = |p: &Plan| serde_json::to_string(p).unwrap();
        let expected = clusterplan_engine::compile_with(&doc, Strategy::Rotation, &failures);
        assert_eq!(json(&plan), json(&expected));
        let key = CompileKey { doc: Rc::new(doc.clone()), strategy: Strategy::Rotation, failures };
        assert_eq!(json(&key.compile()), json(&expected));
        assert_ne!(
            json(&expected),
            json(&clusterplan_engine::compile(&doc, Strategy::Rotation)),
            "the failures change the plan"
        );
    }

    #[test]
    fn only_the_newest_request_is_answered_and_one_is_in_flight() {
        use std::cell::RefCell;
        let channel = Rc::new(RefCell::new(worker::Channel::default()));
        let accepted = Rc::new(RefCell::new(Vec::new()));
        let sink: worker::Sink = {
            let accepted = accepted.clone();
            Rc::new(move |a: Answer| {
                accepted.borrow_mut().push((a.revision, a.key.doc.nodes.len()))
            })
        };
        let key = |n: usize| CompileKey {
            doc: Rc::new(data_centre(n)),
            strategy: Strategy::Rotation,
            failures: FailureSet::default(),
        };
        worker::ask(&channel, key(5), sink.clone());
        assert_eq!(channel.borrow().in_flight(), Some(1));
        // Two more edits while the worker compiles: only the newest will be sent.
        worker::ask(&channel, key(6), sink.clone());
        worker::ask(&channel, key(7), sink.clone());
        assert_eq!((channel.borrow().revision(), channel.borrow().in_flight()), (3, Some(1)));
        // The stale answer is dropped, and the newest request goes out.
        worker::answer(&channel, 1, Some((Plan::default(), [Some(1.0), None])));
        assert!(accepted.borrow().is_empty());
        assert_eq!(channel.borrow().in_flight(), Some(3));
        // Its answer is taken; when the worker could not read it, the page compiles it itself.
        worker::answer(&channel, 3, None);
        assert_eq!(*accepted.borrow(), vec![(3, 7)]);
        assert_eq!(channel.borrow().in_flight(), None);
        // An answer nobody asked for changes nothing.
        worker::answer(&channel, 2, Some((Plan::default(), [None, None])));
        assert_eq!(accepted.borrow().len(), 1);
    }
}
