//! FIG 8 as data: step 0 (the operating system starts the DCM daemon) and the 24 steps that
//! follow, for a node's role and resource controllers, with the dependencies each satisfies;
//! and the first step a bootstrap cannot take (where it waits).

use super::dependencies::builtin_dependencies;
use super::types::{
    Actor, Component, Cycle, Dependency, DependencyKind, RegistryPhase, RegistryState, Role, Stage,
    Step, Wait,
};

/// The stage a step of FIG 8 works towards: the stage it completes, else its acting
/// component's (for the System Registry, the phase the step belongs to). Steps 0 to 4 start
/// processes (the DCM daemon runs from step 0) and work towards none.
fn step_stage(step: &Step) -> Option<Stage> {
    if step.number < 5 {
        return None;
    }
    if let Some(stage) = step.completes.first() {
        return Some(stage.clone());
    }
    step.actors.iter().find_map(|a| match a {
        Actor::Component(c) if *c == Component::SystemRegistry => {
            Some(Stage::registry(step.registry_phase.unwrap_or(RegistryPhase::ReadOnly)))
        }
        Actor::Component(c) => Some(Stage::of(c.clone())),
        Actor::OperatingSystem => None,
    })
}

/// The first step that cannot happen: registry phase 1 (step 5) without a registry server,
/// or a step working towards a stage that cannot finish (in or behind a cycle).
pub(super) fn waits(
    steps: &[Step],
    finished: &[Stage],
    registry_wait: Option<String>,
    cycle: Option<&Cycle>,
) -> Option<Wait> {
    if let Some(reason) = registry_wait {
        return Some(Wait { step: 5, reason });
    }
    steps.iter().find_map(|step| {
        let stage = step_stage(step)?;
        if finished.contains(&stage) {
            return None;
        }
        let why = match cycle {
            Some(c) => format!("the dependency cycle {}", c.path()),
            None => "a stage that cannot finish".to_owned(),
        };
        Some(Wait {
            step: step.number,
            reason: format!("{stage} cannot finish: it waits on {why}"),
        })
    })
}

/// FIG 8 (step 0 and steps 1-24) for a node with the given role and resource controllers and the
/// built-in dependencies only: the steps [`node_bootstrap`](super::node_bootstrap) gives such a node when the user added
/// no dependency. The lifecycle simulation runs these steps.
pub fn fig8_sequence(registry_server: bool, controllers: &[String]) -> Vec<Step> {
    fig8_steps(registry_server, controllers, &builtin_dependencies(controllers))
}

/// FIG 8 for one node: step 0 and steps 1-24.
pub(super) fn fig8_steps(
    registry_server: bool,
    controllers: &[String],
    deps: &[Dependency],
) -> Vec<Step> {
    use Component::*;
    let ctrl: Vec<Component> = controllers.iter().map(|c| ResourceController(c.clone())).collect();
    let has_ctrl = !ctrl.is_empty();
    let ctrl_actors: Vec<Actor> = ctrl.iter().cloned().map(Actor::Component).collect();
    // Indices of the built-in dependencies matching (from, to, reference prefix).
    let sat = |from: &dyn Fn(&Component) -> bool, to: Component, refs: &[&str]| -> Vec<usize> {
        deps.iter()
            .enumerate()
            .filter(|(_, d)| {
                d.kind != DependencyKind::User
                    && from(&d.from)
                    && d.to == to
                    && refs.iter().any(|r| d.reference.starts_with(r))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let is = |c: Component| move |x: &Component| *x == c;
    let is_ctrl = |x: &Component| matches!(x, ResourceController(_));
    let comp = Actor::Component;
    let ro = RegistryPhase::ReadOnly;
    let rw = RegistryPhase::WriteEnabled;
    let all = Role::AllNodes;
    let servers = Role::RegistryServers;
    let ctrl_nodes = Role::ControllerNodes;

    #[allow(clippy::too_many_arguments)]
    fn step(
        number: u8,
        actors: Vec<Actor>,
        targets: Vec<Component>,
        role: Role,
        here: bool,
        action: &str,
        registry_phase: Option<RegistryPhase>,
        registry: RegistryState,
        completes: Vec<Stage>,
        satisfies: Vec<usize>,
    ) -> Step {
        Step {
            number,
            actors,
            targets,
            role,
            here,
            action: action.into(),
            registry_phase,
            registry,
            completes,
            satisfies,
        }
    }
    use RegistryState::{ReadOnly, Started, Stopped, WriteEnabled};
    let none = Vec::new;
    vec![
        step(0, vec![Actor::OperatingSystem], vec![Dcm], all, true,
             "the operating system, once booted, starts the DCM daemon (DCMD), which runs for the life of the node",
             None, Stopped, vec![], none()),
        step(1, vec![comp(Dcm)], vec![SystemRegistry], servers, registry_server,
             "the DCMD starts the System Registry process on the registry server nodes",
             None, Started, vec![], none()),
        step(2, vec![comp(Dcm)], vec![Liveness], all, true, "the DCMD starts Liveness",
             None, Started, vec![], sat(&is(Liveness), Dcm, &["FIG 7 (704)"])),
        step(3, vec![comp(Dcm)], vec![GroupServices], all, true, "the DCMD starts Group Services",
             None, Started, vec![], sat(&is(GroupServices), Dcm, &["FIG 7 (706)"])),
        step(4, vec![comp(Dcm)], vec![ResourceManager], all, true, "the DCMD starts the Resource Manager",
             None, Started, vec![], sat(&is(ResourceManager), Dcm, &["FIG 7 (710)"])),
        step(5, vec![comp(SystemRegistry)], vec![SystemRegistry], servers, registry_server,
             "System Registry phase 1: the registry servers exchange the incarnation numbers of their copies of the global configuration database and select the highest; the registry now serves reads, not writes",
             Some(ro), ReadOnly, vec![Stage::registry(ro)], none()),
        step(6, vec![comp(Dcm)], vec![SystemRegistry], all, true,
             "the DCMD reads the global cluster configuration from the System Registry",
             None, ReadOnly, vec![], sat(&is(Dcm), SystemRegistry, &["FIG 6 (602)", "FIG 7 (700)"])),
        step(7, vec![comp(Dcm)], vec![Dcm], all, true,
             "the DCMD verifies that its local configuration is consistent with the global one (it cannot write yet) and goes on with the bootstrap",
             None, ReadOnly, vec![Stage::of(Dcm)], none()),
        step(8, vec![comp(Liveness)], vec![Dcm], all, true,
             "Liveness asks the DCMD for the local cluster configuration, which says where the registry servers are",
             None, ReadOnly, vec![], sat(&is(Liveness), Dcm, &["FIG 6 (604)"])),
        step(9, vec![comp(GroupServices)], vec![Dcm], all, true,
             "Group Services retrieves the local cluster configuration from the DCMD",
             None, ReadOnly, vec![], sat(&is(GroupServices), Dcm, &["FIG 6 (604)"])),
        step(10, vec![comp(Liveness)], vec![SystemRegistry], all, true,
             "Liveness reads the global configuration from a registry server",
             None, ReadOnly, vec![], sat(&is(Liveness), SystemRegistry, &["FIG 6"])),
        step(11, vec![comp(Liveness)], vec![Liveness], all, true,
             "Liveness has all it depends on: it concludes its initialization and offers the liveness function",
             None, ReadOnly, vec![Stage::of(Liveness)], none()),
        step(12, vec![comp(GroupServices)], vec![SystemRegistry], all, true,
             "Group Services reads the global configuration from the System Registry",
             None, ReadOnly, vec![], sat(&is(GroupServices), SystemRegistry, &["FIG 6"])),
        step(13, vec![comp(GroupServices)], vec![Liveness], all, true,
             "Group Services uses the liveness function",
             None, ReadOnly, vec![], sat(&is(GroupServices), Liveness, &["FIG 7 (708)"])),
        step(14, vec![comp(GroupServices)], vec![GroupServices], all, true,
             "Group Services completes its initialization and offers the group membership function",
             None, ReadOnly, vec![Stage::of(GroupServices)], none()),
        step(15, vec![comp(SystemRegistry)], vec![GroupServices], servers, registry_server,
             "System Registry phase 2: with Group Services' membership, the copies with a lower incarnation number are updated",
             Some(rw), ReadOnly, vec![], sat(&is(SystemRegistry), GroupServices, &["FIG 7 (702)"])),
        step(16, vec![comp(SystemRegistry)], vec![SystemRegistry], servers, registry_server,
             "the System Registry concludes phase 2: replicated writes are enabled and the components may modify the global configuration",
             Some(rw), WriteEnabled, vec![Stage::registry(rw)], none()),
        step(17, vec![comp(ResourceManager)], vec![Dcm], all, true,
             "the Resource Manager retrieves the local configuration from the DCMD",
             None, WriteEnabled, vec![], sat(&is(ResourceManager), Dcm, &["FIG 6 (604)"])),
        step(18, vec![comp(ResourceManager)], vec![SystemRegistry], all, true,
             "the Resource Manager reads the global configuration from the System Registry and makes its modifications",
             None, WriteEnabled, vec![], sat(&is(ResourceManager), SystemRegistry, &["FIG 6"])),
        step(19, vec![comp(ResourceManager)], vec![GroupServices], all, true,
             "the Resource Manager uses Group Services' membership to find the version number of its configuration database",
             None, WriteEnabled, vec![], sat(&is(ResourceManager), GroupServices, &["FIG 7 (712)"])),
        step(20, vec![comp(ResourceManager)], vec![ResourceManager], all, true,
             "the Resource Manager has all it depends on and completes its initialization",
             None, WriteEnabled, vec![Stage::of(ResourceManager)], none()),
        step(21, vec![comp(ResourceManager)], ctrl.clone(), ctrl_nodes, has_ctrl,
             "the Resource Manager starts the configured resource controllers",
             None, WriteEnabled, vec![], sat(&is_ctrl, ResourceManager, &["FIG 7 (716)"])),
        step(22, ctrl_actors.clone(), vec![Dcm], ctrl_nodes, has_ctrl,
             "the resource controllers read the local cluster configuration from the DCMD",
             None, WriteEnabled, vec![], sat(&is_ctrl, Dcm, &["FIG 8 step 22", "FIG 7 (714)"])),
        step(23, ctrl_actors.clone(), vec![SystemRegistry], ctrl_nodes, has_ctrl,
             "the resource controllers read the global configuration from the System Registry and make their modifications",
             None, WriteEnabled, vec![], sat(&is_ctrl, SystemRegistry, &["FIG 6"])),
        step(24, ctrl_actors, ctrl.clone(), ctrl_nodes, has_ctrl,
             "the resource controllers conclude their initialization: every component is available",
             None, WriteEnabled, ctrl.into_iter().map(Stage::of).collect(), none()),
    ]
}
