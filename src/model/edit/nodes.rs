//! Edits of nodes: adding one, its name and id, its interfaces, its clusters.

use super::{
    cluster_mut, ensure_cluster, net, next_name, next_node_number, node_mut, refuse, trimmed,
    withdraw, EditAction, EditError, ItemRef, Work,
};
use crate::model::layout::{self, snap, Pt};
use clusterplan_engine::document::Node;
use std::collections::HashSet;

/// Applies one node edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, lay, created, renamed, .. } = work;
    match edit {
        EditAction::AddNode { at, subnet } => {
            let cluster = ensure_cluster(d);
            let number = next_node_number(d, &cluster);
            let uid = next_name("n", |u| d.nodes.iter().any(|n| n.uid == u));
            let mut node = Node {
                uid: uid.clone(),
                name: format!("node {number}"),
                online: Some(cluster.clone()),
                ..Default::default()
            };
            node.clusters.insert(cluster, number);
            if let Some(prefix) = subnet {
                if let Some(a) = net::next_free_address(d, prefix) {
                    node.addresses.push(a);
                }
            }
            d.nodes.push(node);
            // Placed on a subnet: the next free slot along its bar (the bar grows to hold it).
            let p = match subnet.as_ref().and_then(|s| lay.subnets.get(s).map(|b| (s, *b))) {
                Some((prefix, bar)) => {
                    let p = lay.free_slot(bar);
                    if let Some(b) = lay.subnets.get_mut(prefix) {
                        b.w = b.w.max(p.x + layout::NODE_W - b.x);
                    }
                    p
                }
                None => {
                    snap(Pt::new(at.x - layout::NODE_W / 2.0, at.y - layout::NODE_H / 2.0), true)
                }
            };
            lay.nodes.insert(uid.clone(), p);
            created.push(ItemRef::Node(uid));
        }
        EditAction::SetNodeName { uid, name } => node_mut(d, uid)?.name = name.clone(),
        EditAction::RenameNode { uid, new_uid } => {
            let new_uid = trimmed(new_uid, "a node id")?;
            if new_uid != *uid && d.nodes.iter().any(|n| n.uid == new_uid) {
                return refuse(format!("node id {new_uid} is already used"));
            }
            node_mut(d, uid)?.uid = new_uid.clone();
            if let Some(p) = lay.nodes.remove(uid) {
                lay.nodes.insert(new_uid.clone(), p);
            }
            renamed.push((ItemRef::Node(uid.clone()), ItemRef::Node(new_uid)));
        }
        EditAction::SetAddress { uid, index, address } => {
            let ip = net::check_address(address).map_err(EditError)?;
            let address = ip.to_string();
            let holder = d.nodes.iter().find(|n| {
                n.uid != *uid && n.addresses.iter().any(|a| net::parse_addr(a) == Some(ip))
            });
            if let Some(other) = holder {
                let numbers: Vec<String> = other
                    .clusters
                    .iter()
                    .map(|(c, n)| {
                        if other.clusters.len() == 1 {
                            format!("node {n}")
                        } else {
                            format!("node {n} in {c}")
                        }
                    })
                    .collect();
                return refuse(if numbers.is_empty() {
                    // Named as every message names a node (no `()` when it has no name).
                    format!("{address} is already {}'s", other.label())
                } else {
                    format!("{address} is already node {}'s ({})", other.uid, numbers.join(", "))
                });
            }
            let node = node_mut(d, uid)?;
            let Some(slot) = node.addresses.get_mut(*index) else {
                return refuse(format!("node {uid} has no interface {index}"));
            };
            let old = std::mem::replace(slot, address.clone());
            renamed.push((
                ItemRef::Interface { uid: uid.clone(), address: old.clone() },
                ItemRef::Interface { uid: uid.clone(), address: address.clone() },
            ));
            for s in &mut d.services {
                for a in &mut s.addresses {
                    if *a == old {
                        *a = address.clone();
                    }
                }
            }
        }
        EditAction::RemoveAddress { uid, address } => {
            node_mut(d, uid)?.addresses.retain(|a| a != address);
            withdraw(d, &HashSet::from([address.clone()]));
        }
        EditAction::SetMembership { uid, cluster, number } => {
            let old = node_mut(d, uid)?.clusters.get(cluster).copied();
            match number {
                Some(n) => {
                    if *n == 0 {
                        return refuse("node numbers start at 1");
                    }
                    // As an address: one node per number in a cluster (the node number picks
                    // the registry servers; two nodes with one number would both be primary).
                    let holder = d
                        .nodes
                        .iter()
                        .find(|o| o.uid != *uid && o.clusters.get(cluster) == Some(n));
                    if let Some(other) = holder {
                        return refuse(format!(
                            "node number {n} is already used in cluster {cluster}, by {}",
                            other.label()
                        ));
                    }
                    let node = node_mut(d, uid)?;
                    node.clusters.insert(cluster.clone(), *n);
                    if node.online.is_none() {
                        node.online = Some(cluster.clone());
                    }
                    // A registry server keeps its role under its new number.
                    if let (Some(old), Ok(c)) = (old, cluster_mut(d, cluster)) {
                        for r in &mut c.registry_servers {
                            if *r == old {
                                *r = *n;
                            }
                        }
                    }
                }
                None => {
                    let node = node_mut(d, uid)?;
                    node.clusters.remove(cluster);
                    if node.online.as_deref() == Some(cluster) {
                        node.online = None;
                    }
                    if let (Some(old), Ok(c)) = (old, cluster_mut(d, cluster)) {
                        c.registry_servers.retain(|r| *r != old);
                    }
                }
            }
        }
        EditAction::SetOnline { uid, cluster } => node_mut(d, uid)?.online = cluster.clone(),
        _ => unreachable!("edit::apply sends only node edits here"),
    }
    Ok(())
}
