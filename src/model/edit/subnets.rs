//! Edits of subnets: adding one, its bar's width, its prefix (renumbering what is on it), its network.

use super::{addresses_on, ensure_network, net, refuse, EditAction, EditError, ItemRef, Work};
use crate::model::layout::{self, snap, Bar, Layout, Pt};
use clusterplan_engine::document::Subnet;
use clusterplan_engine::Document;

/// Applies one subnet edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, lay, created, renamed, .. } = work;
    match edit {
        EditAction::AddSubnet { at } => {
            let prefix = net::next_free_prefix(d);
            let network = ensure_network(d);
            d.subnets.push(Subnet { prefix: prefix.clone(), network, ..Default::default() });
            let p = snap(Pt::new(at.x - layout::SUBNET_W / 2.0, at.y), true);
            lay.subnets.insert(prefix.clone(), Bar { x: p.x, y: p.y, w: layout::SUBNET_W });
            created.push(ItemRef::Subnet(prefix));
        }
        EditAction::ResizeSubnet { prefix, w } => {
            let Some(b) = lay.subnets.get_mut(prefix) else {
                return refuse(format!("there is no subnet {prefix}"));
            };
            b.w = snap(Pt::new(*w, 0.0), true).x.max(layout::SUBNET_MIN_W);
        }
        EditAction::SetSubnetPrefix { prefix, new_prefix } => {
            set_subnet_prefix(d, lay, renamed, prefix, new_prefix)?
        }
        EditAction::SetSubnetNetwork { prefix, network } => {
            let Some(s) = d.subnets.iter_mut().find(|s| &s.prefix == prefix) else {
                return refuse(format!("there is no subnet {prefix}"));
            };
            s.network = network.clone();
        }
        _ => unreachable!("edit::apply sends only subnet edits here"),
    }
    Ok(())
}

/// A subnet's new prefix: checked strictly; the addresses of the nodes attached to it are
/// renumbered into the new prefix (same host part where it fits, else the next free one), and
/// every reference follows (routers, services, positions).
fn set_subnet_prefix(
    d: &mut Document,
    lay: &mut Layout,
    renamed: &mut Vec<(ItemRef, ItemRef)>,
    prefix: &str,
    new_prefix: &str,
) -> Result<(), EditError> {
    let to = net::check_prefix(new_prefix).map_err(EditError)?;
    let new_prefix = to.to_string();
    if !d.subnets.iter().any(|s| s.prefix == prefix) {
        return refuse(format!("there is no subnet {prefix}"));
    }
    if new_prefix == prefix {
        return Ok(());
    }
    if d.subnets.iter().any(|s| s.prefix != prefix && net::parse_prefix(&s.prefix) == Some(to)) {
        return refuse(format!("subnet {new_prefix} already exists"));
    }
    let attached = addresses_on(d, prefix);
    let mut moves: Vec<(String, String)> = Vec::new();
    if let (Some(from), false) = (net::parse_prefix(prefix), attached.is_empty()) {
        let addresses: Vec<String> = attached.iter().map(|(_, a)| a.clone()).collect();
        let Some(m) = net::renumber(&from, &to, &addresses, &net::used_addresses(d)) else {
            return refuse(format!(
                "{new_prefix} has no room for the {} addresses of the nodes on {prefix}",
                addresses.len()
            ));
        };
        moves = m;
    }
    let moved: std::collections::HashMap<&str, &str> =
        moves.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    for (uid, old) in &attached {
        let Some(new) = moved.get(old.as_str()) else { continue };
        if let Some(n) = d.nodes.iter_mut().find(|n| &n.uid == uid) {
            for a in &mut n.addresses {
                if a == old {
                    *a = (*new).to_owned();
                }
            }
        }
        renamed.push((
            ItemRef::Interface { uid: uid.clone(), address: old.clone() },
            ItemRef::Interface { uid: uid.clone(), address: (*new).to_owned() },
        ));
    }
    for s in &mut d.services {
        for a in &mut s.addresses {
            if let Some(new) = moved.get(a.as_str()) {
                *a = (*new).to_owned();
            }
        }
    }
    if let Some(s) = d.subnets.iter_mut().find(|s| s.prefix == prefix) {
        s.prefix = new_prefix.clone();
    }
    for r in &mut d.routers {
        for p in &mut r.subnets {
            if p == prefix {
                *p = new_prefix.clone();
            }
        }
    }
    if let Some(b) = lay.subnets.remove(prefix) {
        lay.subnets.insert(new_prefix.clone(), b);
    }
    renamed.push((ItemRef::Subnet(prefix.to_owned()), ItemRef::Subnet(new_prefix)));
    Ok(())
}
