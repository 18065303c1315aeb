//! Native tests of the edits: each rule the editor applies to the model.

use super::*;
use crate::model::examples;
use crate::model::layout;

fn ok(doc: &Document, edit: EditAction) -> Outcome {
    apply(doc, &edit).unwrap_or_else(|e| panic!("{edit:?} refused: {e}"))
}

fn node<'a>(doc: &'a Document, uid: &str) -> &'a Node {
    doc.nodes.iter().find(|n| n.uid == uid).unwrap()
}

/// Builds, from an empty document, what the e2e test draws: two subnets, a router, three nodes
/// and a service.
fn drawn() -> Document {
    let mut d = Document::default();
    d = ok(&d, EditAction::AddSubnet { at: Pt::new(200.0, 100.0) }).doc;
    d = ok(&d, EditAction::AddSubnet { at: Pt::new(200.0, 400.0) }).doc;
    assert_eq!(
        d.subnets.iter().map(|s| s.prefix.as_str()).collect::<Vec<_>>(),
        ["10.0.0.0/24", "10.0.1.0/24"]
    );
    assert_eq!(d.networks.len(), 1, "the first subnet makes a network");
    d = ok(&d, EditAction::AddRouter { at: Pt::new(50.0, 250.0), subnet: None }).doc;
    d = ok(
        &d,
        EditAction::Link { from: ItemRef::Router("r1".into()), subnet: "10.0.0.0/24".into() },
    )
    .doc;
    d = ok(
        &d,
        EditAction::Link { from: ItemRef::Router("r1".into()), subnet: "10.0.1.0/24".into() },
    )
    .doc;
    for (i, subnet) in ["10.0.0.0/24", "10.0.0.0/24", "10.0.1.0/24"].iter().enumerate() {
        d = ok(
            &d,
            EditAction::AddNode {
                at: Pt::new(100.0 * i as f64, 200.0),
                subnet: Some((*subnet).into()),
            },
        )
        .doc;
    }
    d = ok(&d, EditAction::RegistryServer { cluster: "A".into(), number: 3, op: RegistryOp::Add })
        .doc;
    d = ok(&d, EditAction::RegistryServer { cluster: "A".into(), number: 1, op: RegistryOp::Add })
        .doc;
    d = ok(&d, EditAction::AddService { cluster: None }).doc;
    d
}

#[test]
fn drawing_from_scratch_builds_a_valid_model() {
    let d = drawn();
    assert_eq!(d.clusters.len(), 1, "the first node makes cluster A");
    assert_eq!(d.clusters[0].id, "A");
    let numbers: Vec<u32> = d.nodes.iter().map(|n| n.clusters["A"]).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert!(d.nodes.iter().all(|n| n.online.as_deref() == Some("A")));
    let addresses: Vec<&str> = d.nodes.iter().map(|n| n.addresses[0].as_str()).collect();
    assert_eq!(addresses, ["10.0.0.1", "10.0.0.2", "10.0.1.1"], "next free address of each prefix");
    assert_eq!(d.routers[0].subnets, ["10.0.0.0/24", "10.0.1.0/24"]);
    assert_eq!(d.services[0].name, "registry");
    assert_eq!(d.services[0].addresses, ["10.0.1.1", "10.0.0.1"], "prefilled, primary first");
    let layout = Layout::read(&d);
    assert!(layout.covers(&d), "every drawn item has a position in the document");
    let (bar, n1) = (layout.subnets["10.0.0.0/24"], layout.nodes["n1"]);
    assert!(n1.y > bar.y + layout::SUBNET_H, "a node placed on a subnet sits below its bar");
    // And it survives the file format.
    let back =
        clusterplan_engine::document::read(&clusterplan_engine::document::write(&d)).unwrap();
    assert_eq!(back, d);
}

#[test]
fn linking_twice_or_to_nothing_is_refused() {
    let d = drawn();
    let again = apply(
        &d,
        &EditAction::Link { from: ItemRef::Node("n1".into()), subnet: "10.0.0.0/24".into() },
    );
    assert!(again.unwrap_err().0.contains("already has an interface"));
    let nowhere = apply(
        &d,
        &EditAction::Link { from: ItemRef::Node("n1".into()), subnet: "10.9.9.0/24".into() },
    );
    assert!(nowhere.is_err());
    let second =
        ok(&d, EditAction::Link { from: ItemRef::Node("n1".into()), subnet: "10.0.1.0/24".into() });
    assert_eq!(node(&second.doc, "n1").addresses, ["10.0.0.1", "10.0.1.2"]);
    assert_eq!(
        second.created,
        [ItemRef::Interface { uid: "n1".into(), address: "10.0.1.2".into() }]
    );
}

#[test]
fn deleting_a_node_takes_its_links_publications_and_registry_entry() {
    let d = drawn();
    let out = ok(&d, EditAction::Delete(vec![ItemRef::Node("n3".into())]));
    assert!(!ItemRef::Node("n3".into()).exists(&out.doc));
    assert_eq!(out.doc.services[0].addresses, ["10.0.0.1"]);
    assert_eq!(out.doc.clusters[0].registry_servers, [1]);
    assert!(!Layout::read(&out.doc).nodes.contains_key("n3"));
}

#[test]
fn deleting_a_subnet_takes_the_interfaces_on_it_and_router_links() {
    let d = drawn();
    let out = ok(&d, EditAction::Delete(vec![ItemRef::Subnet("10.0.0.0/24".into())]));
    assert!(node(&out.doc, "n1").addresses.is_empty());
    assert_eq!(node(&out.doc, "n3").addresses, ["10.0.1.1"]);
    assert_eq!(out.doc.routers[0].subnets, ["10.0.1.0/24"]);
    assert_eq!(out.doc.services[0].addresses, ["10.0.1.1"]);
}

#[test]
fn deleting_a_cluster_undefines_its_nodes_and_drops_its_services() {
    let d = drawn();
    let out = ok(&d, EditAction::Delete(vec![ItemRef::Cluster("A".into())]));
    assert!(out.doc.nodes.iter().all(|n| n.clusters.is_empty() && n.online.is_none()));
    assert!(out.doc.services.is_empty());
}

#[test]
fn renames_follow_every_reference() {
    let d = drawn();
    let d = ok(&d, EditAction::RenameCluster { id: "A".into(), new_id: "web".into() }).doc;
    assert!(d
        .nodes
        .iter()
        .all(|n| n.clusters.contains_key("web") && n.online.as_deref() == Some("web")));
    assert_eq!(d.services[0].cluster, "web");
    let d = ok(
        &d,
        EditAction::SetSubnetPrefix {
            prefix: "10.0.0.0/24".into(),
            new_prefix: "10.0.0.0/16".into(),
        },
    )
    .doc;
    assert_eq!(d.routers[0].subnets[0], "10.0.0.0/16");
    assert!(Layout::read(&d).subnets.contains_key("10.0.0.0/16"));
    let d = ok(&d, EditAction::RenameNetwork { name: "lan".into(), new_name: "admin".into() }).doc;
    assert!(d.subnets.iter().all(|s| s.network == "admin"));
    let d = ok(
        &d,
        EditAction::SetPriority {
            network: "admin".into(),
            service: "registry".into(),
            priority: Some(3),
        },
    )
    .doc;
    let d = ok(
        &d,
        EditAction::RenameService {
            cluster: "web".into(),
            name: "registry".into(),
            new_name: "sr".into(),
        },
    )
    .doc;
    assert_eq!(
        d.networks[0].priorities.get("sr"),
        Some(&3),
        "the routing table follows the service"
    );
    let d = ok(&d, EditAction::RenameNode { uid: "n1".into(), new_uid: "alpha".into() }).doc;
    assert!(Layout::read(&d).nodes.contains_key("alpha"));
    let d = ok(&d, EditAction::RenameRouter { name: "r1".into(), new_name: "core".into() }).doc;
    assert!(Layout::read(&d).routers.contains_key("core"));
    // Conflicts are refused with the name.
    let err = apply(&d, &EditAction::RenameNode { uid: "alpha".into(), new_uid: "n2".into() })
        .unwrap_err();
    assert!(err.0.contains("n2"));
    assert!(apply(&d, &EditAction::RenameCluster { id: "web".into(), new_id: " ".into() }).is_err());
}

#[test]
fn changing_an_address_or_number_keeps_services_and_registry_consistent() {
    let d = drawn();
    let d =
        ok(&d, EditAction::SetAddress { uid: "n1".into(), index: 0, address: "10.0.0.77".into() })
            .doc;
    assert!(d.services[0].addresses.contains(&"10.0.0.77".to_owned()));
    let taken = apply(
        &d,
        &EditAction::SetAddress { uid: "n1".into(), index: 0, address: "10.0.0.2".into() },
    );
    assert_eq!(taken.unwrap_err().0, "10.0.0.2 is already node n2's (node 2)");
    let d = ok(
        &d,
        EditAction::SetMembership { uid: "n3".into(), cluster: "A".into(), number: Some(9) },
    )
    .doc;
    assert_eq!(d.clusters[0].registry_servers, [9, 1]);
    // A number another node of the cluster has is refused, as a taken address is (the node
    // keeps its own, and the registry keeps one primary).
    let twice = apply(
        &d,
        &EditAction::SetMembership { uid: "n2".into(), cluster: "A".into(), number: Some(9) },
    );
    assert_eq!(
        twice.unwrap_err().0,
        "node number 9 is already used in cluster A, by node n3 (node 3)"
    );
    // Its own number again, or one free, is fine.
    ok(&d, EditAction::SetMembership { uid: "n3".into(), cluster: "A".into(), number: Some(9) });
    ok(&d, EditAction::SetMembership { uid: "n2".into(), cluster: "A".into(), number: Some(4) });
    let d =
        ok(&d, EditAction::SetMembership { uid: "n3".into(), cluster: "A".into(), number: None })
            .doc;
    assert_eq!(d.clusters[0].registry_servers, [1]);
    assert_eq!(node(&d, "n3").online, None);
}

#[test]
fn registry_list_operations() {
    let mut d = drawn();
    let op = |d: &Document, number, op| {
        ok(d, EditAction::RegistryServer { cluster: "A".into(), number, op }).doc
    };
    d = op(&d, 2, RegistryOp::Add);
    assert_eq!(d.clusters[0].registry_servers, [3, 1, 2]);
    d = op(&d, 2, RegistryOp::MakePrimary);
    assert_eq!(d.clusters[0].registry_servers, [2, 3, 1]);
    d = op(&d, 2, RegistryOp::Down);
    assert_eq!(d.clusters[0].registry_servers, [3, 2, 1]);
    d = op(&d, 1, RegistryOp::Up);
    assert_eq!(d.clusters[0].registry_servers, [3, 1, 2]);
    d = op(&d, 3, RegistryOp::Remove);
    assert_eq!(d.clusters[0].registry_servers, [1, 2]);
    d = ok(&d, EditAction::FillFromRegistry { cluster: "A".into(), name: "registry".into() }).doc;
    assert_eq!(d.services[0].addresses, ["10.0.0.1", "10.0.0.2"]);
}

#[test]
fn a_clusters_quorum_is_written_only_when_it_is_not_the_default() {
    let d = drawn();
    let set =
        |d: &Document, quorum| ok(d, EditAction::SetClusterQuorum { id: "A".into(), quorum }).doc;
    let majority = set(&d, Quorum::Majority);
    assert_eq!(majority.clusters[0].quorum, Some(Quorum::Majority));
    let text = clusterplan_engine::document::write(&majority);
    assert!(text.contains(r#""quorum": "majority""#), "{text}");
    let back = clusterplan_engine::document::read(&text).unwrap();
    assert_eq!(back.clusters[0].quorum(), Quorum::Majority);
    let none = set(&majority, Quorum::None);
    assert_eq!(none.clusters[0].quorum, None, "none, the source's rule, is written as no field");
    assert!(!clusterplan_engine::document::write(&none).contains("quorum"));
    assert!(apply(&d, &EditAction::SetClusterQuorum { id: "Z".into(), quorum: Quorum::Majority })
        .is_err());
}

#[test]
fn move_snaps_the_first_item_and_keeps_offsets() {
    let d = drawn();
    let before = Layout::read(&d);
    let items = vec![ItemRef::Node("n1".into()), ItemRef::Node("n2".into())];
    let out = ok(&d, EditAction::Move { items, dx: 13.0, dy: 7.0, snap: true });
    let after = Layout::read(&out.doc);
    let (a1, a2) = (after.nodes["n1"], after.nodes["n2"]);
    assert_eq!(a1, layout::snap(a1, true), "first item on the grid");
    let (b1, b2) = (before.nodes["n1"], before.nodes["n2"]);
    assert!(
        ((a2.x - a1.x) - (b2.x - b1.x)).abs() < 1e-9
            && ((a2.y - a1.y) - (b2.y - b1.y)).abs() < 1e-9
    );
}

#[test]
fn duplicate_gives_fresh_ids_numbers_and_addresses() {
    let d = drawn();
    let out = ok(
        &d,
        EditAction::Duplicate(vec![ItemRef::Node("n1".into()), ItemRef::Router("r1".into())]),
    );
    assert_eq!(out.created, [ItemRef::Router("r2".into()), ItemRef::Node("n4".into())]);
    let copy = node(&out.doc, "n4");
    assert_eq!(copy.clusters["A"], 4);
    assert_eq!(copy.addresses, ["10.0.0.3"]);
    assert_eq!(out.doc.routers[1].subnets, out.doc.routers[0].subnets);
    assert!(Layout::read(&out.doc).covers(&out.doc));
}

#[test]
fn service_addresses_and_priorities() {
    let d = drawn();
    let (c, n) = ("A".to_owned(), "registry".to_owned());
    let d = ok(
        &d,
        EditAction::SetServiceAddress {
            cluster: c.clone(),
            name: n.clone(),
            address: "10.0.0.2".into(),
            on: true,
        },
    )
    .doc;
    assert_eq!(d.services[0].addresses.len(), 3);
    let d = ok(
        &d,
        EditAction::SetServiceAddress {
            cluster: c.clone(),
            name: n.clone(),
            address: "10.0.1.1".into(),
            on: false,
        },
    )
    .doc;
    assert_eq!(d.services[0].addresses, ["10.0.0.1", "10.0.0.2"]);
    let d = ok(&d, EditAction::AddService { cluster: Some(c.clone()) }).doc;
    assert_eq!(d.services[1].name, "service1");
    assert!(d.services[1].addresses.is_empty());
    let d = ok(
        &d,
        EditAction::SetPriority {
            network: "lan".into(),
            service: "registry".into(),
            priority: Some(2),
        },
    )
    .doc;
    let d = ok(
        &d,
        EditAction::SetPriority {
            network: "lan".into(),
            service: "registry".into(),
            priority: None,
        },
    )
    .doc;
    assert!(d.networks[0].priorities.is_empty());
}

#[test]
fn auto_layout_edit_positions_everything_and_unknown_fields_survive_edits() {
    let mut d = examples::FIG24.document();
    d.extra.remove(crate::model::layout::FIELD);
    d.nodes[0].extra.insert("rack".into(), "r7".into());
    let out = ok(&d, EditAction::AutoLayout);
    assert!(Layout::read(&out.doc).covers(&out.doc));
    assert_eq!(out.doc.nodes[0].extra["rack"], "r7");
    assert_eq!(out.doc.extra["description"], d.extra["description"]);
}

#[test]
fn item_refs_from_engine_items() {
    use clusterplan_engine::Item;
    assert_eq!(
        ItemRef::from_item(&Item::Node { uid: "a".into() }),
        Some(ItemRef::Node("a".into()))
    );
    assert_eq!(
        ItemRef::from_item(&Item::Address { address: "10.0.0.1".into(), node: Some("a".into()) }),
        Some(ItemRef::Node("a".into()))
    );
    assert_eq!(ItemRef::from_item(&Item::Document), None);
}

#[test]
fn a_new_prefix_renumbers_the_attached_nodes_and_every_reference_follows() {
    let d = examples::FIG24.document();
    let before = crate::model::layout::Layout::complete(&d);
    let edit = |p: &str| EditAction::SetSubnetPrefix {
        prefix: "10.0.2.0/24".into(),
        new_prefix: p.into(),
    };
    let out = ok(&d, edit("10.0.5.0/24"));
    let n = |uid: &str| node(&out.doc, uid).addresses.clone();
    // Nodes 12 and 2 (10.0.2.12, 10.0.2.20) keep their host parts in the new prefix.
    assert_eq!(n("n12"), ["10.0.5.12"]);
    assert_eq!(n("n2"), ["10.0.5.20"]);
    assert_eq!(n("n5"), ["10.0.0.1"], "other subnets are untouched");
    let registry = &out.doc.services[0].addresses;
    assert!(
        registry.contains(&"10.0.5.12".to_owned()) && registry.contains(&"10.0.5.20".to_owned())
    );
    assert!(!registry.iter().any(|a| a.starts_with("10.0.2.")));
    assert!(out.doc.routers.iter().any(|r| r.subnets.contains(&"10.0.5.0/24".to_owned())));
    assert!(!out.doc.routers.iter().any(|r| r.subnets.contains(&"10.0.2.0/24".to_owned())));
    let after = Layout::read(&out.doc);
    assert_eq!(after.subnets.get("10.0.5.0/24"), before.subnets.get("10.0.2.0/24"));
    assert!(!after.subnets.contains_key("10.0.2.0/24"));
    assert!(out
        .renamed
        .contains(&(ItemRef::Subnet("10.0.2.0/24".into()), ItemRef::Subnet("10.0.5.0/24".into()))));
    // The engine finds every node in a subnet, and node 5's list follows the new addresses.
    let plan = clusterplan_engine::compile(&out.doc, clusterplan_engine::Strategy::Rotation);
    assert!(
        !plan
            .diagnostics
            .iter()
            .any(|x| x.severity == clusterplan_engine::diagnostics::Severity::Error),
        "{:?}",
        plan.diagnostics
    );
    // Into a smaller prefix: host parts that do not fit get the next free addresses.
    let out = ok(&d, edit("10.0.9.0/29"));
    assert_eq!(node(&out.doc, "n12").addresses, ["10.0.9.1"]);
    assert_eq!(node(&out.doc, "n2").addresses, ["10.0.9.2"]);
    // No room: refused.
    let err = apply(&d, &edit("10.0.9.0/31")).err();
    assert!(err.is_none(), "a /31 has two addresses, enough for two nodes");
    assert!(apply(&d, &edit("10.0.9.0/32")).unwrap_err().0.contains("no room"));
    // Invalid prefixes are refused, naming the problem; the document is unchanged.
    for (bad, says) in [
        ("banana", "banana is not a prefix"),
        ("10.0.1.0/33", "/33 is longer"),
        ("10.0.1.5/24", "host bits"),
        ("10.0.1.0/24", "already exists"),
    ] {
        let e = apply(&d, &edit(bad)).unwrap_err().0;
        assert!(e.contains(says), "{bad}: {e}");
    }
}

#[test]
fn addresses_and_node_numbers_are_checked_with_a_reason() {
    let d = examples::FIG24.document();
    let set = |a: &str| EditAction::SetAddress { uid: "n1".into(), index: 0, address: a.into() };
    assert_eq!(
        apply(&d, &set("10.0.0.1")).unwrap_err().0,
        "10.0.0.1 is already node n5's (node 5)"
    );
    assert!(apply(&d, &set("10.0.0.999"))
        .unwrap_err()
        .0
        .contains("10.0.0.999 is not an IP address"));
    assert!(apply(&d, &set("banana")).is_err());
    assert_eq!(node(&ok(&d, set(" 10.0.0.50 ")).doc, "n1").addresses, ["10.0.0.50"]);
    assert_eq!(parse_node_number(" 7 ").unwrap(), 7);
    assert!(parse_node_number("-3")
        .unwrap_err()
        .0
        .contains("-3 is not a node number: node numbers start at 1"));
    assert!(parse_node_number("0").unwrap_err().0.contains("start at 1"));
    assert!(parse_node_number("x").unwrap_err().0.contains("whole number"));
    assert!(parse_node_number("99999999999").unwrap_err().0.contains("too large"));
}

#[test]
fn nodes_on_a_subnet_take_the_next_free_slot_and_the_bar_grows() {
    let mut d = Document::default();
    d = ok(&d, EditAction::AddSubnet { at: Pt::new(200.0, 100.0) }).doc;
    let bar = Layout::read(&d).subnets["10.0.0.0/24"];
    // Every click at the same spot: no two nodes overlap, all sit below the bar, in a row.
    for _ in 0..4 {
        d = ok(
            &d,
            EditAction::AddNode { at: Pt::new(210.0, 110.0), subnet: Some("10.0.0.0/24".into()) },
        )
        .doc;
    }
    let lay = Layout::read(&d);
    let rects: Vec<crate::model::layout::Rect> =
        lay.nodes.values().map(|p| Layout::node_rect(*p)).collect();
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            let inner = crate::model::layout::Rect {
                x: b.x + 1.0,
                y: b.y + 1.0,
                w: b.w - 2.0,
                h: b.h - 2.0,
            };
            assert!(!a.intersects(&inner), "{a:?} overlaps {b:?}");
        }
        assert!(a.y > bar.y + crate::model::layout::SUBNET_H);
    }
    let grown = lay.subnets["10.0.0.0/24"];
    let right = rects.iter().map(|r| r.x + r.w).fold(0.0, f64::max);
    assert!(grown.w >= right - grown.x, "the bar holds every node: {grown:?}, right end {right}");
    assert!(grown.w > bar.w);
    // A router dropped on the subnet sits beside it, level with the bar.
    let d = ok(
        &d,
        EditAction::AddRouter { at: Pt::new(210.0, 106.0), subnet: Some("10.0.0.0/24".into()) },
    )
    .doc;
    let r = Layout::read(&d).routers["r1"];
    assert!(r.x + crate::model::layout::ROUTER_R < grown.x, "left of the bar: {r:?}");
    assert_eq!(r.y, grown.y + crate::model::layout::SUBNET_H / 2.0);
}

#[test]
fn a_duplicate_lands_on_a_free_spot() {
    let d = examples::FIG24.document();
    let out = ok(
        &d,
        EditAction::Duplicate(vec![
            ItemRef::Node("n5".into()),
            ItemRef::Router("r1".into()),
            ItemRef::Subnet("10.0.0.0/24".into()),
        ]),
    );
    let lay = Layout::read(&out.doc);
    // Node 5's copy sits in its subnet's row, and the bar reaches it.
    let copy = out
        .created
        .iter()
        .find_map(|c| match c {
            ItemRef::Node(u) => Some(lay.nodes[u]),
            _ => None,
        })
        .unwrap();
    let bar = lay.subnets["10.0.0.0/24"];
    assert!(copy.x + crate::model::layout::NODE_W <= bar.x + bar.w && copy.y == lay.nodes["n5"].y);
    for created in &out.created {
        let rect = match created {
            ItemRef::Node(u) => Layout::node_rect(lay.nodes[u]),
            ItemRef::Router(r) => Layout::router_rect(lay.routers[r]),
            ItemRef::Subnet(p) => Layout::subnet_rect(lay.subnets[p]),
            _ => continue,
        };
        let mut others = lay.clone();
        match created {
            ItemRef::Node(u) => {
                others.nodes.remove(u);
            }
            ItemRef::Router(r) => {
                others.routers.remove(r);
            }
            ItemRef::Subnet(p) => {
                others.subnets.remove(p);
            }
            _ => {}
        }
        assert!(
            others.is_free(crate::model::layout::Rect {
                x: rect.x + 8.5,
                y: rect.y + 8.5,
                w: rect.w - 17.0,
                h: rect.h - 17.0
            }),
            "{created:?} at {rect:?} overlaps"
        );
    }
}

#[test]
fn the_description_is_set_trimmed_replaced_and_removed_when_emptied() {
    let d = examples::FIG24.document();
    assert!(description(&d).starts_with("The source's FIG 24 worked example"));
    let set = ok(&d, EditAction::SetDescription("  Rack A of the Paris site.\n".into())).doc;
    assert_eq!(description(&set), "Rack A of the Paris site.");
    // Everything else is untouched, and the document still reads back with it.
    assert_eq!(set.nodes, d.nodes);
    let text = clusterplan_engine::document::write(&set);
    assert_eq!(description(&clusterplan_engine::document::read(&text).unwrap()), description(&set));
    let removed = ok(&set, EditAction::SetDescription("   ".into())).doc;
    assert!(!removed.extra.contains_key(DESCRIPTION));
    assert_eq!(description(&removed), "");
}

#[test]
fn touches_layout_is_the_list_apply_used_to_keep_by_hand() {
    let s = || "x".to_owned();
    let at = Pt::new(0.0, 0.0);
    let every = [
        EditAction::AddSubnet { at },
        EditAction::AddRouter { at, subnet: None },
        EditAction::AddNode { at, subnet: None },
        EditAction::AddCluster,
        EditAction::AddNetwork,
        EditAction::AddService { cluster: None },
        EditAction::Link { from: ItemRef::Node(s()), subnet: s() },
        EditAction::Move { items: Vec::new(), dx: 1.0, dy: 1.0, snap: false },
        EditAction::ResizeSubnet { prefix: s(), w: 100.0 },
        EditAction::Delete(Vec::new()),
        EditAction::Duplicate(Vec::new()),
        EditAction::AutoLayout,
        EditAction::SetDescription(s()),
        EditAction::SetScenario(None),
        EditAction::SetNodeName { uid: s(), name: s() },
        EditAction::RenameNode { uid: s(), new_uid: s() },
        EditAction::SetAddress { uid: s(), index: 0, address: s() },
        EditAction::RemoveAddress { uid: s(), address: s() },
        EditAction::SetMembership { uid: s(), cluster: s(), number: None },
        EditAction::SetOnline { uid: s(), cluster: None },
        EditAction::SetSubnetPrefix { prefix: s(), new_prefix: s() },
        EditAction::SetSubnetNetwork { prefix: s(), network: s() },
        EditAction::RenameRouter { name: s(), new_name: s() },
        EditAction::SetRouterLink { router: s(), subnet: s(), on: true },
        EditAction::RenameCluster { id: s(), new_id: s() },
        EditAction::SetClusterName { id: s(), name: s() },
        EditAction::SetClusterQuorum { id: s(), quorum: Quorum::Majority },
        EditAction::RegistryServer { cluster: s(), number: 1, op: RegistryOp::Add },
        EditAction::RenameNetwork { name: s(), new_name: s() },
        EditAction::SetPriority { network: s(), service: s(), priority: None },
        EditAction::RenameService { cluster: s(), name: s(), new_name: s() },
        EditAction::SetServiceCluster { cluster: s(), name: s(), new_cluster: s() },
        EditAction::SetServiceAddress { cluster: s(), name: s(), address: s(), on: true },
        EditAction::FillFromRegistry { cluster: s(), name: s() },
    ];
    // The `needs_layout` list `apply` kept by hand before `touches_layout`.
    let old = |e: &EditAction| {
        matches!(
            e,
            EditAction::AddSubnet { .. }
                | EditAction::AddRouter { .. }
                | EditAction::AddNode { .. }
                | EditAction::Move { .. }
                | EditAction::ResizeSubnet { .. }
                | EditAction::Delete(_)
                | EditAction::Duplicate(_)
                | EditAction::AutoLayout
                | EditAction::RenameNode { .. }
                | EditAction::SetSubnetPrefix { .. }
                | EditAction::RenameRouter { .. }
        )
    };
    for e in &every {
        assert_eq!(e.touches_layout(), old(e), "{e:?}");
    }
    assert_eq!(every.iter().filter(|e| e.touches_layout()).count(), 11);
}
