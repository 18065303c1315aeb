//! FIG 6 (data) and FIG 7 (functional) dependencies as data: the built-in dependencies of a
//! node's components (docs/spec.md §5).

use super::types::{Component, Dependency, DependencyKind};

/// The built-in dependencies of FIG 6 and FIG 7 for a node with the given resource controllers.
///
/// FIG 7's 705 (Liveness stores its configuration in the registry) is left out on purpose: spec
/// §5 gives Liveness no functional dependency but the DCM, and FIG 8 has Liveness ready at step
/// 11, before the registry accepts writes (step 16). The Resource Manager's and the
/// controllers' dependency on the global configuration is for writes (FIG 8 steps 18 and 23:
/// they "make any modifications desired"), so they wait for the registry's phase 2.
pub fn builtin_dependencies(controllers: &[String]) -> Vec<Dependency> {
    use Component::*;
    use DependencyKind::*;
    let b = Dependency::builtin;
    let mut deps = vec![
        // FIG 6: data.
        b(Dcm, SystemRegistry, Data, false, "FIG 6 (602)",
          "the DCM checks its local cluster definition against the global configuration before the node joins"),
        b(Liveness, Dcm, Data, false, "FIG 6 (604)",
          "Liveness reads the local cluster configuration (node number, registry servers) from the DCM"),
        b(GroupServices, Dcm, Data, false, "FIG 6 (604)",
          "Group Services reads the local cluster configuration from the DCM"),
        b(ResourceManager, Dcm, Data, false, "FIG 6 (604)",
          "the Resource Manager reads the local cluster configuration from the DCM"),
        b(Liveness, SystemRegistry, Data, false, "FIG 6 (D)",
          "Liveness reads the global configuration from a registry server"),
        b(GroupServices, SystemRegistry, Data, false, "FIG 6 (D)",
          "Group Services reads the global configuration from a registry server"),
        b(ResourceManager, SystemRegistry, Data, true, "FIG 6 (D), FIG 8 step 18",
          "the Resource Manager reads the global configuration and makes its modifications to it"),
        // FIG 7: functional.
        b(Dcm, SystemRegistry, Functional, false, "FIG 7 (700)",
          "the DCM stores global data in the System Registry"),
        b(SystemRegistry, GroupServices, Functional, true, "FIG 7 (702)",
          "the System Registry propagates its replicated writes with Group Services' membership (writes only)"),
        b(Liveness, Dcm, StartedBy, false, "FIG 7 (704)", "the DCM daemon starts Liveness"),
        b(GroupServices, Dcm, StartedBy, false, "FIG 7 (706)", "the DCM daemon starts Group Services"),
        b(GroupServices, Liveness, Functional, false, "FIG 7 (708)",
          "Group Services needs the availability of the communication paths from Liveness"),
        b(ResourceManager, Dcm, StartedBy, false, "FIG 7 (710)",
          "the DCM daemon starts the Resource Manager"),
        b(ResourceManager, GroupServices, Functional, false, "FIG 7 (712)",
          "the Resource Manager finds the version of its configuration database with Group Services' membership"),
    ];
    for name in controllers {
        let c = || ResourceController(name.clone());
        deps.extend([
            Dependency {
                why: format!("controller {name} reads the local cluster configuration from the DCM"),
                ..b(c(), Dcm, Data, false, "FIG 8 step 22", "")
            },
            Dependency {
                why: format!("controller {name} reads the global configuration and makes its modifications to it"),
                ..b(c(), SystemRegistry, Data, true, "FIG 6 (D), FIG 8 step 23", "")
            },
            Dependency {
                why: format!("controller {name} depends on the DCM"),
                ..b(c(), Dcm, Functional, false, "FIG 7 (714)", "")
            },
            Dependency {
                why: format!("controller {name} is started by, and plugs into, the Resource Manager"),
                ..b(c(), ResourceManager, Functional, false, "FIG 7 (716)", "")
            },
        ]);
    }
    deps
}
