//! Edits of the diagram as a whole: links, moves, deletion, duplication, automatic layout.

use super::{
    addresses_on, net, next_name, next_node_number, node_mut, refuse, withdraw, EditAction,
    EditError, ItemRef, Work,
};
use crate::model::layout::{self, auto_layout, snap, Bar, Layout, Pt};
use clusterplan_engine::document::{Node, Router, Subnet};
use clusterplan_engine::sorting;
use clusterplan_engine::Document;
use std::collections::{BTreeSet, HashSet};

/// Applies one diagram edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, lay, created, .. } = work;
    match edit {
        EditAction::Link { from, subnet } => {
            if !d.subnets.iter().any(|s| &s.prefix == subnet) {
                return refuse(format!("there is no subnet {subnet}"));
            }
            match from {
                ItemRef::Node(uid) => {
                    let index = net::SubnetIndex::new(d);
                    let node = d.nodes.iter().find(|n| &n.uid == uid);
                    let Some(node) = node else { return refuse(format!("there is no node {uid}")) };
                    if node.addresses.iter().any(|a| index.subnet_of(a) == Some(subnet.as_str())) {
                        return refuse(format!("node {uid} already has an interface on {subnet}"));
                    }
                    let Some(address) = net::next_free_address(d, subnet) else {
                        return refuse(format!("subnet {subnet} has no free address"));
                    };
                    node_mut(d, uid)?.addresses.push(address.clone());
                    created.push(ItemRef::Interface { uid: uid.clone(), address });
                }
                ItemRef::Router(name) => {
                    let Some(r) = d.routers.iter_mut().find(|r| &r.name == name) else {
                        return refuse(format!("there is no router {name}"));
                    };
                    if r.subnets.contains(subnet) {
                        return refuse(format!("router {name} is already attached to {subnet}"));
                    }
                    r.subnets.push(subnet.clone());
                    created
                        .push(ItemRef::RouterLink { router: name.clone(), subnet: subnet.clone() });
                }
                _ => return refuse("only nodes and routers attach to subnets"),
            }
        }
        EditAction::Move { items, dx, dy, snap: on } => {
            let origin = |item: &ItemRef| -> Option<Pt> {
                match item {
                    ItemRef::Node(u) => lay.nodes.get(u).copied(),
                    ItemRef::Router(r) => lay.routers.get(r).copied(),
                    ItemRef::Subnet(p) => lay.subnets.get(p).map(|b| Pt::new(b.x, b.y)),
                    _ => None,
                }
            };
            let Some(first) = items.iter().find_map(origin) else {
                return refuse("nothing to move");
            };
            let target = snap(Pt::new(first.x + dx, first.y + dy), *on);
            let (dx, dy) = (target.x - first.x, target.y - first.y);
            for item in items {
                match item {
                    ItemRef::Node(u) => {
                        if let Some(p) = lay.nodes.get_mut(u) {
                            *p = Pt::new(p.x + dx, p.y + dy);
                        }
                    }
                    ItemRef::Router(r) => {
                        if let Some(p) = lay.routers.get_mut(r) {
                            *p = Pt::new(p.x + dx, p.y + dy);
                        }
                    }
                    ItemRef::Subnet(s) => {
                        if let Some(b) = lay.subnets.get_mut(s) {
                            b.x += dx;
                            b.y += dy;
                        }
                    }
                    _ => {}
                }
            }
        }
        EditAction::Delete(items) => delete(d, lay, items),
        EditAction::Duplicate(items) => *created = duplicate(d, lay, items),
        EditAction::AutoLayout => *lay = auto_layout(d),
        _ => unreachable!("edit::apply sends only diagram edits here"),
    }
    Ok(())
}

fn delete(d: &mut Document, lay: &mut Layout, items: &[ItemRef]) {
    let mut gone_addresses: HashSet<String> = HashSet::new();
    for item in items {
        match item {
            ItemRef::Node(uid) => {
                if let Some(node) = d.nodes.iter().find(|n| &n.uid == uid).cloned() {
                    gone_addresses.extend(node.addresses.iter().cloned());
                    for (cluster, number) in &node.clusters {
                        // Only when no other node still holds that number in the cluster.
                        let shared = d
                            .nodes
                            .iter()
                            .any(|n| n.uid != *uid && n.clusters.get(cluster) == Some(number));
                        if let (false, Some(c)) =
                            (shared, d.clusters.iter_mut().find(|c| &c.id == cluster))
                        {
                            c.registry_servers.retain(|r| r != number);
                        }
                    }
                    d.nodes.retain(|n| &n.uid != uid);
                    lay.nodes.remove(uid);
                }
            }
            ItemRef::Subnet(prefix) => {
                for (uid, address) in addresses_on(d, prefix) {
                    if let Some(n) = d.nodes.iter_mut().find(|n| n.uid == uid) {
                        n.addresses.retain(|a| *a != address);
                    }
                    gone_addresses.insert(address);
                }
                d.subnets.retain(|s| &s.prefix != prefix);
                for r in &mut d.routers {
                    r.subnets.retain(|s| s != prefix);
                }
                lay.subnets.remove(prefix);
            }
            ItemRef::Router(name) => {
                d.routers.retain(|r| &r.name != name);
                lay.routers.remove(name);
            }
            ItemRef::Cluster(id) => {
                d.clusters.retain(|c| &c.id != id);
                for n in &mut d.nodes {
                    n.clusters.remove(id);
                    if n.online.as_deref() == Some(id) {
                        n.online = None;
                    }
                }
                d.services.retain(|s| &s.cluster != id);
            }
            ItemRef::Network(name) => d.networks.retain(|n| &n.name != name),
            ItemRef::Service { cluster, name } => {
                d.services.retain(|s| !(&s.cluster == cluster && &s.name == name))
            }
            ItemRef::Interface { uid, address } => {
                if let Some(n) = d.nodes.iter_mut().find(|n| &n.uid == uid) {
                    n.addresses.retain(|a| a != address);
                    gone_addresses.insert(address.clone());
                }
            }
            ItemRef::RouterLink { router, subnet } => {
                if let Some(r) = d.routers.iter_mut().find(|r| &r.name == router) {
                    r.subnets.retain(|s| s != subnet);
                }
            }
        }
    }
    // An address another node still has stays published.
    gone_addresses.retain(|a| !d.nodes.iter().any(|n| n.addresses.contains(a)));
    withdraw(d, &gone_addresses);
}

fn duplicate(d: &mut Document, lay: &mut Layout, items: &[ItemRef]) -> Vec<ItemRef> {
    const OFFSET: f64 = 40.0;
    let mut created = Vec::new();
    let mut used = net::used_addresses(d);
    // Subnets first, so duplicated nodes could land on them (they keep their original subnets).
    for item in items {
        match item {
            ItemRef::Subnet(prefix) => {
                let Some(s) = d.subnets.iter().find(|s| &s.prefix == prefix).cloned() else {
                    continue;
                };
                let new_prefix = net::next_free_prefix(d);
                d.subnets.push(Subnet { prefix: new_prefix.clone(), ..s });
                if let Some(b) = lay.subnets.get(prefix).copied() {
                    let spot = lay.free_spot(
                        Layout::subnet_rect(Bar { y: b.y + 2.0 * OFFSET, ..b }),
                        (0.0, 2.0 * OFFSET),
                    );
                    lay.subnets
                        .insert(new_prefix.clone(), Bar { x: spot.x, y: spot.y + 18.0, ..b });
                }
                created.push(ItemRef::Subnet(new_prefix));
            }
            ItemRef::Router(name) => {
                let Some(r) = d.routers.iter().find(|r| &r.name == name).cloned() else { continue };
                let new_name = next_name("r", |n| d.routers.iter().any(|r| r.name == n));
                d.routers.push(Router { name: new_name.clone(), ..r });
                if let Some(p) = lay.routers.get(name).copied() {
                    let r =
                        Layout::router_rect(Pt::new(p.x, p.y + 2.0 * layout::ROUTER_R + OFFSET));
                    let spot = lay.free_spot(r, (0.0, 2.0 * layout::ROUTER_R + OFFSET));
                    lay.routers.insert(
                        new_name.clone(),
                        Pt::new(spot.x + layout::ROUTER_R, spot.y + layout::ROUTER_R),
                    );
                }
                created.push(ItemRef::Router(new_name));
            }
            _ => {}
        }
    }
    let index_doc = d.clone();
    let index = net::SubnetIndex::new(&index_doc);
    for item in items {
        let ItemRef::Node(uid) = item else { continue };
        let Some(node) = d.nodes.iter().find(|n| &n.uid == uid).cloned() else { continue };
        let new_uid = next_name("n", |u| d.nodes.iter().any(|n| n.uid == u));
        let mut copy =
            Node { uid: new_uid.clone(), name: format!("{} copy", node.name), ..node.clone() };
        copy.clusters = node.clusters.keys().map(|c| (c.clone(), next_node_number(d, c))).collect();
        copy.addresses = node
            .addresses
            .iter()
            .filter_map(|a| index.subnet_of(a))
            .filter_map(|prefix| {
                let a = net::next_free_address_avoiding(prefix, &used)?;
                used.insert(a.parse().ok()?);
                Some(a)
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        sorting::sort_by(&mut copy.addresses, |a, b| net::address_order(a, b));
        let copy_subnets: Vec<&str> =
            copy.addresses.iter().filter_map(|a| index.subnet_of(a)).collect();
        d.nodes.push(copy);
        if let Some(p) = lay.nodes.get(uid).copied() {
            // Beside the original, or further along, where nothing is.
            let step = layout::NODE_W + layout::SLOT_GAP;
            let spot = lay.free_spot(Layout::node_rect(Pt::new(p.x + step, p.y)), (step, 0.0));
            lay.nodes.insert(new_uid.clone(), spot);
            // A copy that lands past the end of its subnets' bars stretches them, so its links
            // stay straight.
            for prefix in copy_subnets.iter() {
                if let Some(b) = lay.subnets.get_mut(*prefix) {
                    if spot.x >= b.x && spot.y > b.y {
                        b.w = b.w.max(spot.x + layout::NODE_W - b.x);
                    }
                }
            }
        }
        created.push(ItemRef::Node(new_uid));
    }
    created
}
