//! The properties the fuzz targets check (docs/reliability.md), on any bytes; shared by the
//! targets in `fuzz/fuzz_targets/` and the corpus replay `tests/fuzz_replay.rs` (an ordinary
//! `cargo test`), so that a crash once found stays fixed.

use clusterplan::model::edit::{self, history::History, EditAction, ItemRef, RegistryOp};
use clusterplan::model::layout::Pt;
use clusterplan_engine::{compile, document, generate, share, Document, Strategy};
use std::rc::Rc;

/// The strategy a byte picks.
fn strategy(b: u8) -> Strategy {
    match b % 5 {
        0 => Strategy::Rotation,
        1 => Strategy::Spread,
        2 => Strategy::Rendezvous,
        3 => Strategy::Shuffle { seed: u64::from(b) },
        _ => Strategy::Rotation,
    }
}

/// A document that reads writes back to text that reads as the same document and is written the
/// same again; it compiles, and the first list of each service explains.
fn round_trip_and_compile(doc: &Document, b: u8) {
    let written = document::write(doc);
    let again = document::read(&written).expect("a written document reads back");
    assert_eq!(&again, doc, "read(write(doc)) == doc");
    assert_eq!(document::write(&again), written, "writing is stable");
    let plan = compile(doc, strategy(b));
    for s in 0..plan.services.len().min(8) {
        let _ = plan.explain_list(s, 0);
    }
}

/// The document reader and the compile: any bytes.
pub fn document(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(doc) = document::read(text) {
        round_trip_and_compile(&doc, data.first().copied().unwrap_or(0));
    }
}

/// The share-link reader: any text as a link; a model read from it travels in a new link
/// unchanged.
pub fn share_link(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let params = share::params(&text);
    let _ = share::read_before(&text);
    if let Ok(doc) = share::read_link(&text) {
        let options = share::LinkOptions { node: params.node, ..Default::default() };
        let link = share::link("http://h/", &doc, &options);
        assert_eq!(share::read_link(&link).expect("a link made reads back"), doc);
        round_trip_and_compile(&doc, 0);
    }
}

/// Bytes read one at a time (zeros once they run out).
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }
    fn done(&self) -> bool {
        self.0.is_empty()
    }
    /// One of `items` (or `fallback` when there are none).
    fn pick(&mut self, items: &[String], fallback: &str) -> String {
        let b = self.byte() as usize;
        items.get(b % items.len().max(1)).cloned().unwrap_or_else(|| fallback.to_owned())
    }
    /// A short text: mostly a name the document has, sometimes odd text.
    fn text(&mut self, names: &[String]) -> String {
        match self.byte() % 6 {
            0 => String::new(),
            1 => "x\u{1b}[2J\u{202e} ".repeat(usize::from(self.byte() % 3)),
            2 => format!("n{}", self.byte()),
            3 => format!("10.{}.{}.{}", self.byte(), self.byte(), self.byte()),
            4 => format!("10.{}.0.0/{}", self.byte(), self.byte() % 40),
            _ => self.pick(names, "a"),
        }
    }
    fn coordinate(&mut self) -> f64 {
        match self.byte() {
            255 => f64::NAN,
            254 => f64::INFINITY,
            253 => -1e300,
            b => f64::from(b) * 7.0 - 500.0,
        }
    }
}

/// The names an action may refer to: nodes' uids, subnets' prefixes, routers', clusters',
/// networks' and services' names, and the nodes' addresses.
fn names(doc: &Document) -> [Vec<String>; 7] {
    [
        doc.nodes.iter().map(|n| n.uid.clone()).collect(),
        doc.subnets.iter().map(|s| s.prefix.clone()).collect(),
        doc.routers.iter().map(|r| r.name.clone()).collect(),
        doc.clusters.iter().map(|c| c.id.clone()).collect(),
        doc.networks.iter().map(|n| n.name.clone()).collect(),
        doc.services.iter().map(|s| s.name.clone()).collect(),
        doc.nodes.iter().flat_map(|n| n.addresses.clone()).collect(),
    ]
}

/// An action decoded from bytes, naming items of `doc` (mostly).
fn action(doc: &Document, b: &mut Bytes) -> EditAction {
    let [nodes, subnets, routers, clusters, networks, services, addresses] = names(doc);
    let all: Vec<String> = names(doc).concat();
    let item = |b: &mut Bytes| match b.byte() % 3 {
        0 => ItemRef::Node(b.pick(&nodes, "n")),
        1 => ItemRef::Subnet(b.pick(&subnets, "10.0.0.0/24")),
        _ => ItemRef::Router(b.pick(&routers, "r")),
    };
    let items = |b: &mut Bytes| (0..b.byte() % 4).map(|_| item(b)).collect::<Vec<_>>();
    let at = |b: &mut Bytes| Pt { x: b.coordinate(), y: b.coordinate() };
    match b.byte() % 34 {
        0 => EditAction::AddSubnet { at: at(b) },
        1 => EditAction::AddRouter { at: at(b), subnet: Some(b.pick(&subnets, "s")) },
        2 => EditAction::AddNode { at: at(b), subnet: Some(b.pick(&subnets, "s")) },
        3 => EditAction::AddCluster,
        4 => EditAction::AddNetwork,
        5 => EditAction::AddService { cluster: Some(b.pick(&clusters, "A")) },
        6 => EditAction::Link { from: item(b), subnet: b.pick(&subnets, "s") },
        7 => EditAction::Move {
            items: items(b),
            dx: b.coordinate(),
            dy: b.coordinate(),
            snap: b.byte() % 2 == 0,
        },
        8 => EditAction::ResizeSubnet { prefix: b.pick(&subnets, "s"), w: b.coordinate() },
        9 => EditAction::Delete(items(b)),
        10 => EditAction::Duplicate(items(b)),
        11 => EditAction::AutoLayout,
        12 => EditAction::SetDescription(b.text(&all)),
        13 => EditAction::SetNodeName { uid: b.pick(&nodes, "n"), name: b.text(&all) },
        14 => EditAction::RenameNode { uid: b.pick(&nodes, "n"), new_uid: b.text(&all) },
        15 => EditAction::SetAddress {
            uid: b.pick(&nodes, "n"),
            index: usize::from(b.byte() % 4),
            address: b.text(&addresses),
        },
        16 => EditAction::RemoveAddress {
            uid: b.pick(&nodes, "n"),
            address: b.pick(&addresses, "10.0.0.1"),
        },
        17 => EditAction::SetMembership {
            uid: b.pick(&nodes, "n"),
            cluster: b.pick(&clusters, "A"),
            number: (b.byte() % 4 != 0).then(|| u32::from(b.byte()) * 1000 + u32::from(b.byte())),
        },
        18 => EditAction::SetOnline {
            uid: b.pick(&nodes, "n"),
            cluster: (b.byte() % 3 != 0).then(|| b.pick(&clusters, "A")),
        },
        19 => EditAction::SetSubnetPrefix {
            prefix: b.pick(&subnets, "s"),
            new_prefix: b.text(&subnets),
        },
        20 => EditAction::SetSubnetNetwork {
            prefix: b.pick(&subnets, "s"),
            network: b.text(&networks),
        },
        21 => EditAction::RenameRouter { name: b.pick(&routers, "r"), new_name: b.text(&all) },
        22 => EditAction::SetRouterLink {
            router: b.pick(&routers, "r"),
            subnet: b.pick(&subnets, "s"),
            on: b.byte() % 2 == 0,
        },
        23 => EditAction::RenameCluster { id: b.pick(&clusters, "A"), new_id: b.text(&all) },
        24 => EditAction::SetClusterName { id: b.pick(&clusters, "A"), name: b.text(&all) },
        25 => EditAction::RegistryServer {
            cluster: b.pick(&clusters, "A"),
            number: u32::from(b.byte() % 16),
            op: match b.byte() % 5 {
                0 => RegistryOp::Add,
                1 => RegistryOp::Remove,
                2 => RegistryOp::Up,
                3 => RegistryOp::Down,
                _ => RegistryOp::MakePrimary,
            },
        },
        26 => EditAction::RenameNetwork { name: b.pick(&networks, "lan"), new_name: b.text(&all) },
        27 => EditAction::SetPriority {
            network: b.pick(&networks, "lan"),
            service: b.text(&services),
            priority: (b.byte() % 4 != 0)
                .then(|| i64::from(b.byte() as i8) * i64::from(b.byte()).pow(3)),
        },
        28 => EditAction::RenameService {
            cluster: b.pick(&clusters, "A"),
            name: b.pick(&services, "registry"),
            new_name: b.text(&all),
        },
        29 => EditAction::SetServiceCluster {
            cluster: b.pick(&clusters, "A"),
            name: b.pick(&services, "registry"),
            new_cluster: b.text(&clusters),
        },
        30 => EditAction::SetServiceAddress {
            cluster: b.pick(&clusters, "A"),
            name: b.pick(&services, "registry"),
            address: b.text(&addresses),
            on: b.byte() % 3 != 0,
        },
        31 => EditAction::FillFromRegistry {
            cluster: b.pick(&clusters, "A"),
            name: b.pick(&services, "registry"),
        },
        32 => EditAction::SetScenario(None),
        _ => EditAction::SetDescription(String::new()),
    }
}

/// The models the edit target starts from: the examples and generated data centres.
fn start(b: u8) -> Document {
    const EXAMPLES: [&str; 5] = [
        include_str!("../examples/seed-fig24.json"),
        include_str!("../examples/seed-fig22.json"),
        include_str!("../examples/two-clusters-shared-node.json"),
        include_str!("../examples/lifecycle.json"),
        r#"{"format": "cluster-planner/1"}"#,
    ];
    match EXAMPLES.get(usize::from(b % 8)) {
        Some(text) => document::read(text).expect("the examples read"),
        None => generate::data_centre(usize::from(b / 8) + 1),
    }
}

/// The edit reducer (`clusterplan::model::edit::apply`) on a sequence of actions from the bytes: every
/// document it makes is a valid document (it writes, reads back the same and compiles), a
/// refused edit leaves nothing changed, and undoing every action, one by one, gives back each
/// earlier document exactly, down to the first.
pub fn edits(data: &[u8]) {
    let mut b = Bytes(data);
    let first = Rc::new(start(b.byte()));
    let mut texts = vec![document::write(&first)];
    let mut current = first;
    let mut history = History::default();
    let mut steps = 0;
    while !b.done() && steps < 24 {
        steps += 1;
        let edit = action(&current, &mut b);
        let before = document::write(&current);
        match edit::apply(&current, &edit) {
            Ok(outcome) => {
                assert_eq!(document::write(&current), before, "apply leaves its input as it was");
                round_trip_and_compile(&outcome.doc, steps as u8);
                history.record(Rc::clone(&current));
                current = Rc::new(outcome.doc);
                texts.push(document::write(&current));
            }
            Err(_) => assert_eq!(document::write(&current), before),
        }
    }
    // Undo all the way back: each step is the document as it was written then.
    let mut expected = texts.iter().rev().skip(1);
    while let Some(previous) = history.undo(Rc::clone(&current)) {
        current = previous;
        assert_eq!(Some(&document::write(&current)), expected.next(), "undo restores exactly");
    }
    assert_eq!(expected.next(), None, "every action was undone");
}

/// The lifecycle simulation: a model (the bytes up to a NUL, or the lifecycle example) and a
/// scenario (the rest) read and simulated; a run never panics and its trace writes out.
pub fn lifecycle(data: &[u8]) {
    let (doc, scenario) = match data.iter().position(|&b| b == 0) {
        Some(at) => (
            std::str::from_utf8(&data[..at]).ok().and_then(|t| document::read(t).ok()),
            &data[at + 1..],
        ),
        None => (document::read(include_str!("../examples/lifecycle.json")).ok(), data),
    };
    let (Some(doc), Ok(text)) = (doc, std::str::from_utf8(scenario)) else { return };
    let Ok(scenario) = clusterplan_lifecycle::scenario::read(text) else { return };
    if let Ok(sim) = clusterplan_lifecycle::simulate(&doc, &scenario) {
        let _ = sim.to_text();
        let _ = sim.to_json();
    }
}
