//! Edits of services: adding one, its name, cluster and addresses.

use super::{
    ensure_cluster, next_name, refuse, registry_addresses, service_mut, trimmed, EditAction,
    EditError, ItemRef, Work,
};
use clusterplan_engine::document::Service;

/// Applies one service edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, created, .. } = work;
    match edit {
        EditAction::AddService { cluster } => {
            let cluster = match cluster {
                Some(c) if d.clusters.iter().any(|x| &x.id == c) => c.clone(),
                Some(c) => return refuse(format!("there is no cluster {c}")),
                None => ensure_cluster(d),
            };
            let has = |n: &str| d.services.iter().any(|s| s.cluster == cluster && s.name == n);
            let name =
                if has("registry") { next_name("service", has) } else { "registry".to_owned() };
            let addresses =
                if name == "registry" { registry_addresses(d, &cluster) } else { Vec::new() };
            d.services.push(Service {
                name: name.clone(),
                cluster: cluster.clone(),
                addresses,
                ..Default::default()
            });
            created.push(ItemRef::Service { cluster, name });
        }
        EditAction::RenameService { cluster, name, new_name } => {
            let new_name = trimmed(new_name, "a service name")?;
            if new_name != *name
                && d.services.iter().any(|s| &s.cluster == cluster && s.name == new_name)
            {
                return refuse(format!("cluster {cluster} already has a service {new_name}"));
            }
            service_mut(d, cluster, name)?.name = new_name.clone();
            // The routing tables follow, unless another service still goes by the old name.
            if !d.services.iter().any(|s| &s.name == name) {
                for n in &mut d.networks {
                    if let Some(p) = n.priorities.remove(name) {
                        n.priorities.entry(new_name.clone()).or_insert(p);
                    }
                }
            }
        }
        EditAction::SetServiceCluster { cluster, name, new_cluster } => {
            if d.services.iter().any(|s| &s.cluster == new_cluster && &s.name == name)
                && new_cluster != cluster
            {
                return refuse(format!("cluster {new_cluster} already has a service {name}"));
            }
            service_mut(d, cluster, name)?.cluster = new_cluster.clone();
        }
        EditAction::SetServiceAddress { cluster, name, address, on } => {
            let s = service_mut(d, cluster, name)?;
            if *on {
                if !s.addresses.contains(address) {
                    s.addresses.push(address.clone());
                }
            } else {
                s.addresses.retain(|a| a != address);
            }
        }
        EditAction::FillFromRegistry { cluster, name } => {
            let addresses = registry_addresses(d, cluster);
            service_mut(d, cluster, name)?.addresses = addresses;
        }
        _ => unreachable!("edit::apply sends only service edits here"),
    }
    Ok(())
}
