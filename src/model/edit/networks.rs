//! Edits of networks: adding one, its name, its service priorities.

use super::{next_name, refuse, trimmed, EditAction, EditError, ItemRef, Work};
use clusterplan_engine::document::Network;

/// Applies one network edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, created, .. } = work;
    match edit {
        EditAction::AddNetwork => {
            let name = if d.networks.is_empty() {
                "lan".to_owned()
            } else {
                next_name("net", |n| d.networks.iter().any(|x| x.name == n))
            };
            d.networks.push(Network { name: name.clone(), ..Default::default() });
            created.push(ItemRef::Network(name));
        }
        EditAction::RenameNetwork { name, new_name } => {
            let new_name = trimmed(new_name, "a network name")?;
            if new_name != *name && d.networks.iter().any(|n| n.name == new_name) {
                return refuse(format!("network {new_name} already exists"));
            }
            let Some(n) = d.networks.iter_mut().find(|n| &n.name == name) else {
                return refuse(format!("there is no network {name}"));
            };
            n.name = new_name.clone();
            for s in &mut d.subnets {
                if &s.network == name {
                    s.network = new_name.clone();
                }
            }
        }
        EditAction::SetPriority { network, service, priority } => {
            let Some(n) = d.networks.iter_mut().find(|n| &n.name == network) else {
                return refuse(format!("there is no network {network}"));
            };
            let service = trimmed(service, "a service name")?;
            match priority {
                Some(p) => n.priorities.insert(service, *p),
                None => n.priorities.remove(&service),
            };
        }
        _ => unreachable!("edit::apply sends only network edits here"),
    }
    Ok(())
}
