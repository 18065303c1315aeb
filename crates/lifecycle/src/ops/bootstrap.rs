//! `bootstrap` (FIG 8, `docs/spec.md §6`): the 24 steps on every node whose current cluster it
//! is, in lock step, with the registry's phase 1 (step 5) and phase 2 (steps 15-16) across the
//! registry servers. The steps come from the engine's FIG 8 table
//! ([`clusterplan_engine::bootstrap::fig8_sequence`]); no write reaches the global configuration
//! before phase 2. A node whose step fails stops its components and does not come online; the
//! bootstrap is committed when the registry reached phase 2 and at least one node came online.

use crate::sim::{Entry, Sim};
use crate::trace::{Access, Verdict};
use crate::world::{self, Process};
use clusterplan_engine::bootstrap::{fig8_sequence, Step};
use clusterplan_engine::sorting;
use serde_json::json;

pub(crate) const FIG: &str = "FIG 8";

/// One node's run through FIG 8.
#[derive(Debug, Clone)]
pub(crate) struct NodeRun {
    pub uid: String,
    pub number: u32,
    pub server: bool,
    pub controllers: Vec<String>,
    pub steps: Vec<Step>,
    /// Why the node dropped out, once it did.
    pub out: Option<String>,
    /// The registry server its last global read came from.
    pub read_from: Option<String>,
    /// FIG 11 scenario 3: the hardware UID to write once writes are allowed.
    pub fix_uid: Option<String>,
}

impl NodeRun {
    pub fn new(sim: &Sim, cluster: &str, uid: &str, number: u32) -> NodeRun {
        let server = sim.net.is_registry_server(cluster, uid);
        let controllers = sim.net.controllers(uid);
        let steps = fig8_sequence(server, &controllers);
        NodeRun {
            uid: uid.into(),
            number,
            server,
            controllers,
            steps,
            out: None,
            read_from: None,
            fix_uid: None,
        }
    }

    fn here(&self, step: u8) -> bool {
        self.steps.iter().any(|s| s.number == step && s.here)
    }

    fn action(&self, step: u8) -> String {
        self.steps.iter().find(|s| s.number == step).map_or(String::new(), |s| s.action.clone())
    }
}

/// Runs the bootstrap of `cluster`.
pub(crate) fn run(sim: &mut Sim, cluster: &str) -> (Verdict, String) {
    let mut runs = Vec::new();
    let mut absent = Vec::new();
    let mut already = 0;
    for (uid, n) in &sim.world.nodes {
        if n.current().as_deref() != Some(cluster) {
            continue;
        }
        let Some(def) = n.definition(cluster) else { continue };
        if n.online_in().iter().any(|c| c == cluster) {
            already += 1;
            continue;
        }
        if !n.up {
            absent.push(format!("{uid} is down"));
            continue;
        }
        runs.push((def.node.number, uid.clone()));
    }
    sorting::sort(&mut runs);
    let mut runs: Vec<NodeRun> =
        runs.into_iter().map(|(num, uid)| NodeRun::new(sim, cluster, &uid, num)).collect();
    if runs.is_empty() {
        let why = if already > 0 {
            format!("cluster {cluster} is already online")
        } else {
            format!("no node that is up has {cluster} as its current cluster")
        };
        return (Verdict::Refused, why);
    }
    if !runs.iter().any(|r| r.server) {
        return (
            Verdict::Refused,
            format!("none of the registry servers of {cluster} can start (each is down, or its current cluster is another one): the cluster cannot come online"),
        );
    }
    sim.booting = Some(cluster.to_owned());
    for step in 0..=24u8 {
        sim.crash_point(FIG, step);
        for r in runs.iter_mut().filter(|r| r.out.is_none()) {
            if !sim.world.node(&r.uid).is_some_and(|n| n.up) {
                r.out = Some(format!("crashed before step {step}"));
            }
        }
        match step {
            5 => phase1(sim, cluster, &mut runs),
            15 => phase2_update(sim, cluster, &mut runs),
            16 => phase2_conclude(sim, cluster, &mut runs),
            _ => {
                for r in runs.iter_mut() {
                    if r.out.is_none() && !sim.world.node(&r.uid).is_some_and(|n| n.up) {
                        r.out = Some(format!("crashed during step {step}"));
                    }
                    if r.out.is_none() && r.here(step) {
                        node_step(sim, cluster, r, step, true);
                    }
                }
            }
        }
    }
    sim.booting = None;
    sim.note_parts(cluster);
    let online: Vec<&str> =
        runs.iter().filter(|r| r.out.is_none()).map(|r| r.uid.as_str()).collect();
    let mut left: Vec<String> = runs
        .iter()
        .filter_map(|r| r.out.as_ref().map(|why| format!("{} did not come online: {why}", r.uid)))
        .collect();
    left.extend(absent);
    let tail = if left.is_empty() { String::new() } else { format!("; {}", left.join("; ")) };
    if sim.cluster_writable(cluster) && !online.is_empty() {
        return (
            Verdict::Committed,
            format!("cluster {cluster} is online on {}{tail}", online.join(", ")),
        );
    }
    // No registry reached phase 2: nothing could be written; every node stops its components.
    for r in runs.iter_mut().filter(|r| r.out.is_none()) {
        drop_out(sim, cluster, r, 24, "the registry never reached phase 2".into());
    }
    for uid in sim.net.registry_servers(cluster) {
        if sim.registry(cluster, &uid).is_some() {
            sim.set_process(&uid, "registry", None);
        }
    }
    sim.emit(Some(FIG), None, None, "DCM", format!("the bootstrap of {cluster} is aborted: no registry server reached phase 2, so nothing was written and no node is online"));
    (Verdict::Aborted, format!("no registry server of {cluster} reached phase 2{tail}"))
}

/// The node stops its components: it does not come online.
pub(crate) fn drop_out(sim: &mut Sim, cluster: &str, r: &mut NodeRun, step: u8, why: String) {
    if sim.world.node(&r.uid).is_some_and(|n| n.up) {
        sim.stop_components(&r.uid);
        sim.emit(
            Some(FIG),
            Some(step),
            Some(&r.uid),
            "DCM",
            format!(
                "{} does not come online in {cluster}: {why}; the DCM stops its components",
                r.uid
            ),
        );
    }
    r.out = Some(why);
}

fn component_name(key: &str) -> String {
    key.parse::<clusterplan_engine::bootstrap::Component>()
        .map_or_else(|_| key.to_owned(), |c| c.to_string())
}

/// One step of FIG 8 on one node. `faults`: the scenario's faults name FIG 8 steps (false when
/// a join runs these steps: its faults name FIG 15's).
pub(crate) fn node_step(sim: &mut Sim, cluster: &str, r: &mut NodeRun, step: u8, faults: bool) {
    let uid = r.uid.clone();
    let action = r.action(step);
    // A failed read (steps 6, 10, 12) is a lost message: the read goes to the next server of
    // the node's ordered list (`ask_registry`), as `docs/lifecycle.md` says.
    if faults && !matches!(step, 6 | 10 | 12) && sim.fails(step, &uid) {
        let why = format!("step {step} failed ({action})");
        drop_out(sim, cluster, r, step, why);
        return;
    }
    let c = Some(cluster);
    let ev = |sim: &mut Sim, process: &str, what: String, access: Option<Access>| {
        sim.emit_access(Some(FIG), Some(step), Some(&uid), process, what, access)
    };
    let local =
        |component: &str| Access::Local { component: component.into(), cluster: cluster.into() };
    let ready_entry = |sim: &mut Sim, key: &str, from: &Option<String>| {
        sim.set_process(&uid, key, Some(Process::new("ready", c)));
        sim.set_storage(
            &uid,
            &world::config_path(cluster, key),
            json!({ "number": r.number, "read_from": from }),
        );
    };
    match step {
        0 => {
            if sim.world.node(&uid).and_then(|n| n.process("dcm")).is_none() {
                sim.set_process(&uid, "dcm", Some(Process::new("running", None)));
            }
            ev(sim, "DCM", action, None);
        }
        1 => {
            sim.set_process(&uid, "registry", Some(Process::new("started", c)));
            ev(sim, "DCM", action, None);
        }
        2..=4 => {
            let key = ["liveness", "group-services", "resource-manager"][usize::from(step - 2)];
            sim.set_process(&uid, key, Some(Process::new("started", c)));
            ev(sim, "DCM", action, None);
        }
        6 | 10 | 12 => {
            let key = match step {
                6 => "dcm",
                10 => "liveness",
                _ => "group-services",
            };
            let answer = sim.ask_registry(&uid, cluster, faults.then_some(step), false);
            let Some(server) = answer.server.clone() else {
                let why = format!("step {step}: {}; it waits", answer.describe());
                drop_out(sim, cluster, r, step, why);
                return;
            };
            r.read_from = Some(server.clone());
            let access =
                Access::GlobalRead { component: key.into(), cluster: cluster.into(), server };
            ev(
                sim,
                &component_name(key),
                format!("reads the global configuration {}", answer.describe()),
                Some(access),
            );
        }
        7 => uid_check(sim, cluster, r),
        8 | 9 | 17 => {
            let key = match step {
                8 => "liveness",
                9 => "group-services",
                _ => "resource-manager",
            };
            if !sim.world.node(&uid).is_some_and(|n| n.ready("dcm", cluster)) {
                drop_out(
                    sim,
                    cluster,
                    r,
                    step,
                    "the DCM has not checked the local configuration".into(),
                );
                return;
            }
            ev(sim, &component_name(key), action, Some(local(key)));
        }
        11 => {
            let from = r.read_from.clone();
            ready_entry(sim, "liveness", &from);
            ev(sim, "Liveness", action, None);
        }
        13 | 19 => {
            let (key, needs) = if step == 13 {
                ("group-services", "liveness")
            } else {
                ("resource-manager", "group-services")
            };
            if !sim.world.node(&uid).is_some_and(|n| n.ready(needs, cluster)) {
                let why = format!("{} is not ready", component_name(needs));
                drop_out(sim, cluster, r, step, why);
                return;
            }
            let what = if step == 19 {
                let inc = r
                    .read_from
                    .as_ref()
                    .and_then(|s| sim.world.replica(cluster, s))
                    .map_or(0, |x| x.incarnation);
                format!("{action}: version (incarnation) {inc}")
            } else {
                action
            };
            ev(sim, &component_name(key), what, None);
        }
        14 | 20 => {
            let key = if step == 14 { "group-services" } else { "resource-manager" };
            let from = r.read_from.clone();
            ready_entry(sim, key, &from);
            ev(sim, &component_name(key), action, None);
        }
        18 => {
            if !fix_uid(sim, cluster, r, step) {
                return;
            }
            let what = "resource-manager".to_owned();
            read_and_write(sim, cluster, r, step, &what, faults);
        }
        21 => {
            for name in r.controllers.clone() {
                sim.set_process(
                    &uid,
                    &format!("controller:{name}"),
                    Some(Process::new("started", c)),
                );
            }
            ev(sim, "Resource Manager", action, None);
        }
        22 => {
            for name in r.controllers.clone() {
                let key = format!("controller:{name}");
                ev(sim, &component_name(&key), action.clone(), Some(local(&key)));
            }
        }
        23 => {
            for name in r.controllers.clone() {
                if r.out.is_none() {
                    read_and_write(sim, cluster, r, step, &format!("controller:{name}"), faults);
                }
            }
        }
        24 => {
            let from = r.read_from.clone();
            let names: Vec<String> =
                r.controllers.iter().map(|n| format!("controller:{n}")).collect();
            for key in &names {
                ready_entry(sim, key, &from);
            }
            let who: Vec<String> = names.iter().map(|k| component_name(k)).collect();
            ev(sim, &who.join(", "), action, None);
        }
        _ => {}
    }
}

/// Steps 18 and 23: the component reads the global configuration, then writes its resource
/// configuration (phase 2 only: with no write-enabled server it waits and the node drops out).
fn read_and_write(
    sim: &mut Sim,
    cluster: &str,
    r: &mut NodeRun,
    step: u8,
    key: &str,
    faults: bool,
) {
    let uid = r.uid.clone();
    let name = component_name(key);
    let answer = sim.ask_registry(&uid, cluster, faults.then_some(step), false);
    let Some(server) = answer.server.clone() else {
        drop_out(
            sim,
            cluster,
            r,
            step,
            format!("step {step}: {name}: {}; it waits", answer.describe()),
        );
        return;
    };
    r.read_from = Some(server.clone());
    let access = Access::GlobalRead { component: key.into(), cluster: cluster.into(), server };
    sim.emit_access(
        Some(FIG),
        Some(step),
        Some(&uid),
        &name,
        format!("reads the global configuration {}", answer.describe()),
        Some(access),
    );
    let write = sim.ask_registry(&uid, cluster, None, true);
    let Some(server) = write.server.clone() else {
        drop_out(
            sim,
            cluster,
            r,
            step,
            format!("step {step}: {name} cannot write: {}; it waits for phase 2", write.describe()),
        );
        return;
    };
    let value = format!("configured by {uid}");
    let entries = [Entry::Resource(r.number, key.into(), Some(value))];
    let group = sim.replicate(cluster, &server, &entries);
    let access = Access::GlobalWrite {
        component: key.into(),
        cluster: cluster.into(),
        server: server.clone(),
    };
    sim.emit_access(
        Some(FIG),
        Some(step),
        Some(&uid),
        &name,
        format!(
            "writes its resource configuration for node {} {} (replicated to {})",
            r.number,
            write.through(),
            group.describe()
        ),
        Some(access),
    );
}

/// FIG 11 inside FIG 8 step 7: the DCM compares the hardware UID, its local copy and the global
/// copy it read at step 6. It cannot write the global configuration yet: a scenario 3
/// correction waits for phase 2; scenarios 2 and 4 clean the local definition and the node
/// stops.
fn uid_check(sim: &mut Sim, cluster: &str, r: &mut NodeRun) {
    let uid = r.uid.clone();
    let global = r
        .read_from
        .as_ref()
        .and_then(|s| sim.world.replica(cluster, s))
        .and_then(|x| x.nodes.get(&r.number).cloned());
    let Some(node) = sim.world.node(&uid) else { return };
    let hardware = node.hardware_uid.clone();
    let local = node.definition(cluster).map(|d| d.node.uid).unwrap_or_default();
    let scenario = crate::ops::uid_scenario(&hardware, &local, global.as_deref());
    let compared = crate::ops::compared(&hardware, &local, global.as_deref(), scenario);
    match scenario {
        1 | 3 => {
            sim.set_process(&uid, "dcm", Some(Process::new("ready", Some(cluster))));
            let what = if scenario == 1 {
                format!("{compared}: the local configuration is consistent; the bootstrap goes on")
            } else {
                r.fix_uid = Some(hardware);
                format!("{compared}: the hardware was replaced; the correction of the local and global UID waits for phase 2 (no write before it)")
            };
            sim.emit(Some(FIG), Some(7), Some(&uid), "DCM", what);
        }
        _ => {
            sim.erase_local(&uid, cluster);
            sim.emit(
                Some(FIG),
                Some(7),
                Some(&uid),
                "DCM",
                format!("{compared}: the node was deleted while away; the DCM cleans its local definition of {cluster}"),
            );
            drop_out(
                sim,
                cluster,
                r,
                7,
                format!("FIG 11 scenario {scenario}: its definition was deleted"),
            );
        }
    }
}

/// FIG 11 scenario 3, once writes are allowed: local and global UID corrected to the hardware's.
fn fix_uid(sim: &mut Sim, cluster: &str, r: &mut NodeRun, step: u8) -> bool {
    let Some(hardware) = r.fix_uid.take() else { return true };
    match crate::ops::correct_uid(sim, cluster, &r.uid, r.number, &hardware, None) {
        Ok(()) => true,
        Err(why) => {
            drop_out(sim, cluster, r, step, why);
            false
        }
    }
}

/// Step 5, registry phase 1, per part (`docs/spec.md §6`): the registry servers that started
/// and reach each other exchange incarnation numbers; in each part that has its quorum the
/// highest copy serves reads and the others are stale; a part without it waits.
fn phase1(sim: &mut Sim, cluster: &str, runs: &mut [NodeRun]) {
    let order = sim.net.registry_servers(cluster);
    let mut started: Vec<String> = Vec::new();
    for s in &order {
        let Some(r) = runs.iter_mut().find(|r| &r.uid == s && r.out.is_none() && r.server) else {
            continue;
        };
        if sim.registry(cluster, s).is_none_or(|p| p.state != "started") {
            continue;
        }
        if sim.fails(5, s) {
            sim.set_process(s, "registry", Some(Process::new("failed", Some(cluster))));
            sim.emit(Some(FIG), Some(5), Some(s), "System Registry", "phase 1 fails (its message is lost): this registry server is left out and serves nothing");
            continue;
        }
        started.push(r.uid.clone());
    }
    if sim.cluster_writable(cluster) {
        // The cluster is online already (these servers were left out of its bootstrap): they
        // join the running registry's part, phase 1 over the whole part.
        sim.booting = None;
        sim.regroup(cluster);
        sim.booting = Some(cluster.to_owned());
        return;
    }
    let inc = |sim: &Sim, s: &str| sim.world.replica(cluster, s).map_or(0, |x| x.incarnation);
    let total = order.len();
    for part in sim.parts(cluster) {
        let part: Vec<String> = part.into_iter().filter(|s| started.contains(s)).collect();
        if part.is_empty() {
            continue;
        }
        for s in &part {
            let others: Vec<&str> = part.iter().filter(|o| *o != s).map(String::as_str).collect();
            let to = if others.is_empty() {
                "no other registry server".to_owned()
            } else {
                others.join(", ")
            };
            sim.emit(
                Some(FIG),
                Some(5),
                Some(s),
                "System Registry",
                format!("phase 1: sends its incarnation number {} to {to}", inc(sim, s)),
            );
        }
        if !sim.has_quorum(cluster, part.len()) {
            for s in &part {
                sim.set_process(s, "registry", Some(Process::new("waiting", Some(cluster))));
            }
            sim.emit(Some(FIG), Some(5), part.first().map(String::as_str), "System Registry", format!("phase 1: the part {} holds {} of the {total} registry servers of {cluster}, no majority (quorum majority): it waits and serves nothing", part.join(", "), part.len()));
            continue;
        }
        sim.phase1(cluster, &part, false);
    }
}

/// Step 15: with Group Services' membership on its node, each registry server of phase 1 joins
/// phase 2; a stale copy is updated to the chosen copy.
fn phase2_update(sim: &mut Sim, cluster: &str, runs: &mut [NodeRun]) {
    let servers: Vec<String> = sim.net.registry_servers(cluster);
    let parts = sim.parts(cluster);
    // The server holding the chosen copy in each server's part.
    let source_for = |sim: &Sim, s: &str| -> Option<String> {
        let part = parts.iter().find(|p| p.iter().any(|x| x == s))?;
        part.iter()
            .find(|x| {
                sim.registry(cluster, x).is_some_and(crate::sim::serves_reads)
                    && !sim.world.replica(cluster, x).is_some_and(|r| r.stale)
            })
            .cloned()
    };
    for s in &servers {
        let Some(r) = runs.iter().find(|r| &r.uid == s && r.out.is_none()) else { continue };
        let Some(state) = sim.registry(cluster, s).map(|p| p.state.clone()) else { continue };
        if state != "read-only" && state != "stale" {
            continue;
        }
        if sim.fails(15, s) {
            sim.emit(Some(FIG), Some(15), Some(s), "System Registry", format!("phase 2 fails on {s} (its membership message is lost): it stays {state} and waits"));
            continue;
        }
        if !sim.world.node(&r.uid).is_some_and(|n| n.ready("group-services", cluster)) {
            sim.emit(
                Some(FIG),
                Some(15),
                Some(s),
                "System Registry",
                format!("phase 2 waits: Group Services is not ready on {s}; it stays {state}"),
            );
            continue;
        }
        if state == "read-only" {
            sim.set_process(s, "registry", Some(Process::new("phase-2", Some(cluster))));
            sim.emit(
                Some(FIG),
                Some(15),
                Some(s),
                "System Registry",
                "phase 2: joins the membership group of Group Services; its copy is the chosen one",
            );
            continue;
        }
        let Some(src) = source_for(sim, s).filter(|src| sim.delivers(src, s)) else {
            sim.emit(
                Some(FIG),
                Some(15),
                Some(s),
                "System Registry",
                "phase 2: no registry server with the chosen copy answers: the copy stays stale",
            );
            continue;
        };
        let Some(chosen) = sim.world.replica(cluster, &src).map(|r| r.incarnation) else {
            continue;
        };
        let before = sim.world.replica(cluster, s).map_or(0, |x| x.incarnation);
        sim.copy_replica(cluster, s, &src);
        sim.set_process(s, "registry", Some(Process::new("phase-2", Some(cluster))));
        let access = Access::Phase2Update { cluster: cluster.into(), server: s.clone() };
        sim.emit_access(Some(FIG), Some(15), Some(s), "System Registry", format!("phase 2: updates its stale copy from {src} with Group Services' membership (incarnation {before} -> {chosen})"), Some(access));
        sim.report_lost(cluster, s);
    }
}

/// Step 16: the registry servers that did phase 2 conclude it: writes are enabled.
fn phase2_conclude(sim: &mut Sim, cluster: &str, runs: &mut [NodeRun]) {
    for s in sim.net.registry_servers(cluster) {
        if !runs.iter().any(|r| r.uid == s && r.out.is_none()) {
            continue;
        }
        if sim.registry(cluster, &s).is_none_or(|p| p.state != "phase-2") {
            continue;
        }
        if sim.fails(16, &s) {
            sim.set_process(&s, "registry", Some(Process::new("read-only", Some(cluster))));
            sim.emit(
                Some(FIG),
                Some(16),
                Some(&s),
                "System Registry",
                "phase 2 fails to conclude: this server stays read-only, out of the write group",
            );
            continue;
        }
        sim.set_process(&s, "registry", Some(Process::new("write-enabled", Some(cluster))));
        sim.emit(
            Some(FIG),
            Some(16),
            Some(&s),
            "System Registry",
            "concludes phase 2: replicated writes are enabled",
        );
    }
}
