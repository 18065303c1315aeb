//! Edits of clusters: adding one, its id and name, its registry servers.

use super::{
    cluster_mut, next_cluster_id, refuse, trimmed, EditAction, EditError, ItemRef, RegistryOp, Work,
};
use clusterplan_engine::document::{Cluster, Quorum};

/// Applies one cluster edit to `work` (sent here by [`super::apply`]).
pub(super) fn apply(work: &mut Work, edit: &EditAction) -> Result<(), EditError> {
    let Work { d, created, .. } = work;
    match edit {
        EditAction::AddCluster => {
            let id = next_cluster_id(d);
            d.clusters.push(Cluster {
                name: format!("cluster {id}"),
                id: id.clone(),
                ..Default::default()
            });
            created.push(ItemRef::Cluster(id));
        }
        EditAction::RenameCluster { id, new_id } => {
            let new_id = trimmed(new_id, "a cluster id")?;
            if new_id != *id && d.clusters.iter().any(|c| c.id == new_id) {
                return refuse(format!("cluster id {new_id} is already used"));
            }
            if d.services.iter().any(|s| s.cluster == new_id) && new_id != *id {
                return refuse(format!("services already name a cluster {new_id}"));
            }
            cluster_mut(d, id)?.id = new_id.clone();
            for n in &mut d.nodes {
                if let Some(num) = n.clusters.remove(id) {
                    n.clusters.insert(new_id.clone(), num);
                }
                if n.online.as_deref() == Some(id) {
                    n.online = Some(new_id.clone());
                }
            }
            for s in &mut d.services {
                if &s.cluster == id {
                    s.cluster = new_id.clone();
                }
            }
        }
        EditAction::SetClusterName { id, name } => cluster_mut(d, id)?.name = name.clone(),
        EditAction::SetClusterQuorum { id, quorum } => {
            // The default is written as no field, so a document that never chose keeps none.
            cluster_mut(d, id)?.quorum = (*quorum != Quorum::None).then_some(*quorum);
        }
        EditAction::RegistryServer { cluster, number, op } => {
            let list = &mut cluster_mut(d, cluster)?.registry_servers;
            let pos = list.iter().position(|n| n == number);
            match (op, pos) {
                (RegistryOp::Add, None) => list.push(*number),
                (RegistryOp::Remove, Some(i)) => {
                    list.remove(i);
                }
                (RegistryOp::MakePrimary, Some(i)) => {
                    let n = list.remove(i);
                    list.insert(0, n);
                }
                (RegistryOp::MakePrimary, None) => list.insert(0, *number),
                (RegistryOp::Up, Some(i)) if i > 0 => list.swap(i, i - 1),
                (RegistryOp::Down, Some(i)) if i + 1 < list.len() => list.swap(i, i + 1),
                _ => {}
            }
        }
        _ => unreachable!("edit::apply sends only cluster edits here"),
    }
    Ok(())
}
