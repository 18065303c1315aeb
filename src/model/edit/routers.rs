//! Edits of routers: adding one, its name, its attachments.

use super::{next_name, refuse, trimmed, EditAction, EditError, ItemRef, Work};
use clusterplan_engine::document::Router;

/// Applies one router edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, lay, created, renamed, .. } = work;
    match edit {
        EditAction::AddRouter { at, subnet } => {
            let name = next_name("r", |n| d.routers.iter().any(|r| r.name == n));
            let subnets = subnet
                .iter()
                .filter(|p| d.subnets.iter().any(|s| &&s.prefix == p))
                .cloned()
                .collect();
            d.routers.push(Router { name: name.clone(), subnets, ..Default::default() });
            // Placed on a subnet: beside its bar (the end nearer the click), level with it, so
            // the link is short and straight and the label clear of it.
            let p = match subnet.as_ref().and_then(|s| lay.subnets.get(s)).copied() {
                Some(bar) => lay.router_beside(bar, at.x),
                None => *at,
            };
            lay.routers.insert(name.clone(), p);
            created.push(ItemRef::Router(name));
        }
        EditAction::RenameRouter { name, new_name } => {
            let new_name = trimmed(new_name, "a router name")?;
            if new_name != *name && d.routers.iter().any(|r| r.name == new_name) {
                return refuse(format!("router {new_name} already exists"));
            }
            let Some(r) = d.routers.iter_mut().find(|r| &r.name == name) else {
                return refuse(format!("there is no router {name}"));
            };
            r.name = new_name.clone();
            if let Some(p) = lay.routers.remove(name) {
                lay.routers.insert(new_name.clone(), p);
            }
            renamed.push((ItemRef::Router(name.clone()), ItemRef::Router(new_name)));
        }
        EditAction::SetRouterLink { router, subnet, on } => {
            let Some(r) = d.routers.iter_mut().find(|r| &r.name == router) else {
                return refuse(format!("there is no router {router}"));
            };
            if *on {
                if !r.subnets.contains(subnet) {
                    r.subnets.push(subnet.clone());
                }
            } else {
                r.subnets.retain(|s| s != subnet);
            }
        }
        _ => unreachable!("edit::apply sends only router edits here"),
    }
    Ok(())
}
