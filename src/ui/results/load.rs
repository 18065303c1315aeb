//! The load view: first-choice load per server with the ideal line and the balance ratio, the
//! load with the servers the user failed (through the engine's failover), who moved where, and
//! each server's worst single failure. [`load_model`] is pure; [`LoadView`] renders it.

use crate::model::view::ViewAction;
use crate::ui::results::ServicePicker;
use crate::ui::results::{count, PlanRef};
use clusterplan_engine::plan::{ideal_load, ServerIx, ServicePlan};
use clusterplan_engine::sorting;
use clusterplan_engine::text::ratio;
use clusterplan_engine::{query, Plan};
use std::collections::{BTreeMap, BTreeSet};
use yew::prelude::*;

/// One server's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadBar {
    pub server: ServerIx,
    pub uid: String,
    /// Node number in the service's cluster.
    pub number: u32,
    pub name: String,
    /// Clients that list it first.
    pub first: usize,
    /// Clients it serves with the failed servers down.
    pub now: usize,
    /// The user failed it.
    pub failed: bool,
    /// It is down for the service's cluster without a failure: online in another cluster (the
    /// cluster named) or in none (`Some(None)`), so it serves no one (docs/spec.md §4).
    pub not_online: Option<Option<String>>,
    /// Its largest load when any one other server fails, and that server's node number when
    /// its failure raises the load (`None`: no single failure adds to it).
    pub worst: usize,
    pub worst_when: Option<u32>,
}

impl LoadBar {
    /// Clients it gained (positive) or lost (negative) to the failures.
    pub fn delta(&self) -> i64 {
        self.now as i64 - self.first as i64
    }
}

/// Clients that moved between the same two servers (`to: None`: left unserved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveGroup {
    pub from: Option<u32>,
    pub to: Option<u32>,
    /// The moved clients' node numbers, ascending.
    pub clients: Vec<u32>,
}

/// Everything the load view shows for one service.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadModel {
    pub service: usize,
    /// Clients with no failure, and with the failed nodes gone (a failed node is no client).
    pub clients: usize,
    pub clients_now: usize,
    /// Servers online in the cluster and not failed.
    pub servers_up: usize,
    /// Clients per server with every server up (`None` without servers).
    pub ideal_first: Option<f64>,
    /// Clients per server still up.
    pub ideal_now: Option<f64>,
    /// Engine: max first-choice load / ideal.
    pub balance_first: Option<f64>,
    /// Max load now / ideal now.
    pub balance_now: Option<f64>,
    /// Engine: max worst-single-failure load / ideal with one server fewer.
    pub balance_worst: Option<f64>,
    pub unserved_first: usize,
    pub unserved_now: usize,
    pub bars: Vec<LoadBar>,
    /// Who moved where because of the failures, largest group first.
    pub moves: Vec<MoveGroup>,
    /// The largest number any bar shows (the bars' scale), at least 1.
    pub scale: usize,
}

/// Where one client stands: its first-choice server and the one serving it now (node numbers;
/// `None` = unserved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientStatus {
    pub number: u32,
    pub first: Option<u32>,
    pub now: Option<u32>,
    /// The client's own node is one of the failed servers: it is no client now.
    pub failed: bool,
}

/// The status of the client with this uid for service `service`, with the `failed` servers
/// down (the engine's failover); `None` when it is no client of the service.
pub fn client_status(
    plan: &Plan,
    service: usize,
    failed: &BTreeSet<String>,
    uid: &str,
) -> Option<ClientStatus> {
    let sp = plan.services.get(service)?;
    let list = sp.list_index(plan.node_by_uid(uid)?)?;
    let number = |s: Option<ServerIx>| s.and_then(|s| sp.servers.get(s)).map(|s| s.number);
    let now = query::serving(plan, sp, list, failed.iter().map(String::as_str));
    Some(ClientStatus {
        number: sp.lists[list].number,
        first: number(sp.load.serving.get(list).copied().flatten()),
        now: number(now.server),
        failed: now.failed_client,
    })
}

impl LoadModel {
    /// Whether the user failed any server.
    pub fn any_failed(&self) -> bool {
        self.bars.iter().any(|b| b.failed)
    }
}

/// The load view of service `service` of the plan, with the server nodes whose uid is in
/// `failed` down (uids that do not serve this service are ignored).
pub fn load_model(plan: &Plan, service: usize, failed: &BTreeSet<String>) -> Option<LoadModel> {
    let sp: &ServicePlan = plan.services.get(service)?;
    let down = sp.servers_by_uid(&plan.nodes, failed.iter().map(String::as_str));
    let failover = sp.failover(&down);
    let load = &sp.load;
    let number = |s: ServerIx| sp.servers[s].number;
    let bars: Vec<LoadBar> = sp
        .servers
        .iter()
        .enumerate()
        .map(|(i, server)| {
            let node = &plan.nodes[server.node];
            let (worst, worst_by) = load.worst_single_failure.get(i).copied().unwrap_or((0, None));
            LoadBar {
                server: i,
                uid: node.uid.clone(),
                number: server.number,
                name: node.name.clone(),
                first: load.first_choice.get(i).copied().unwrap_or(0),
                now: failover.load.get(i).copied().unwrap_or(0),
                failed: down.contains(&i),
                not_online: (!server.online).then(|| node.online.clone()),
                worst,
                worst_when: worst_by.map(number),
            }
        })
        .collect();
    let mut groups: BTreeMap<(Option<u32>, Option<u32>), Vec<u32>> = BTreeMap::new();
    for m in &failover.moved {
        groups
            .entry((m.from.map(number), m.to.map(number)))
            .or_default()
            .push(sp.lists[m.list].number);
    }
    let mut moves: Vec<MoveGroup> = groups
        .into_iter()
        .map(|((from, to), mut clients)| {
            clients.sort_unstable();
            MoveGroup { from, to, clients }
        })
        .collect();
    sorting::sort_by_key(&mut moves, |m| std::cmp::Reverse(m.clients.len()));
    let scale = bars.iter().flat_map(|b| [b.first, b.now, b.worst]).max().unwrap_or(0).max(1);
    Some(LoadModel {
        service,
        clients: load.clients,
        clients_now: failover.clients,
        servers_up: failover.servers_up,
        ideal_first: query::ideal_first_choice(sp),
        ideal_now: ideal_load(failover.clients, failover.servers_up),
        balance_first: load.balance_first_choice,
        balance_now: failover.balance,
        balance_worst: load.balance_worst_failure,
        unserved_first: load.unserved,
        unserved_now: failover.unserved,
        bars,
        moves,
        scale,
    })
}

/// Every single failure of a service at a glance: `rows[f]` is the load of each server (indexed
/// like the service's servers) when server `f` alone fails, from the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureTable {
    /// Node numbers of the servers (columns, and rows: the one that fails).
    pub numbers: Vec<u32>,
    pub rows: Vec<FailureRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FailureRow {
    /// Node number of the server that fails.
    pub failed: u32,
    pub uid: String,
    pub loads: Vec<usize>,
    /// Clients left unserved.
    pub unserved: usize,
    /// Column of the server that gets the most, and how many it gained over first choice.
    pub peak: Option<(usize, usize)>,
}

/// The single-failure table of a service, when it has at most `max_servers` servers (a bigger
/// table would not be read).
pub fn failure_table(plan: &Plan, service: usize, max_servers: usize) -> Option<FailureTable> {
    let sp = plan.services.get(service)?;
    if sp.servers.len() < 2 || sp.servers.len() > max_servers {
        return None;
    }
    let load = &sp.load;
    let rows = sp
        .servers
        .iter()
        .enumerate()
        .map(|(f, server)| {
            let loads = load.single_failures.row(f);
            let peak = loads
                .iter()
                .enumerate()
                .filter(|&(s, _)| s != f)
                .max_by_key(|&(s, l)| (*l, std::cmp::Reverse(s)))
                .map(|(s, l)| {
                    (s, l.saturating_sub(load.first_choice.get(s).copied().unwrap_or(0)))
                });
            FailureRow {
                failed: server.number,
                uid: plan.nodes[server.node].uid.clone(),
                loads,
                unserved: load.unserved_after_failure.get(f).copied().unwrap_or(0),
                peak,
            }
        })
        .collect();
    Some(FailureTable { numbers: sp.servers.iter().map(|s| s.number).collect(), rows })
}

/// Servers beyond which the single-failure table is not drawn.
pub const FAILURE_TABLE_MAX: usize = 24;

fn percent(value: f64, scale: usize) -> String {
    format!("{:.2}%", (value / scale as f64 * 100.0).clamp(0.0, 100.0))
}

#[derive(Debug, Properties, PartialEq)]
pub struct LoadViewProps {
    pub plan: PlanRef,
    pub service: usize,
    pub failed: BTreeSet<String>,
    /// uid of the selected node: its first choice and current server are pointed out.
    #[prop_or_default]
    pub selected: Option<String>,
    pub on_view: Callback<ViewAction>,
}

/// Bars per server; click one to fail it (or bring it back).
#[function_component(LoadView)]
pub fn load_view(props: &LoadViewProps) -> Html {
    let Some(model) = load_model(&props.plan, props.service, &props.failed) else {
        return html! { <p class="empty">{ "No service in the model." }</p> };
    };
    let service = &props.plan.services[model.service];
    let clear = props.on_view.reform(|_| ViewAction::ClearFailed);
    let ideal = model.ideal_now;
    let status = props
        .selected
        .as_deref()
        .and_then(|uid| client_status(&props.plan, props.service, &props.failed, uid));
    html! {
        <div class="load-view" data-testid="load-view">
            <div class="view-head">
                <ServicePicker plan={props.plan.clone()} service={props.service} on_view={props.on_view.clone()} />
                <span class="hint">{ "Click a server to fail it; click again to bring it back." }</span>
                if model.any_failed() {
                    <button data-testid="clear-failed" onclick={clear}>{ "Bring all back up" }</button>
                }
            </div>
            <div class="stats">
                { stat("clients", if model.clients_now != model.clients { format!("{} (was {})", model.clients_now, model.clients) } else { model.clients.to_string() }, "load-clients", "clients of the service: the nodes online in its cluster (a failed node is no client)") }
                { stat("servers up", format!("{} of {}", model.servers_up, model.bars.len()), "load-servers-up", "server nodes online in the cluster and not failed") }
                { stat("ideal", ratio(ideal), "load-ideal", "clients / servers up: the dashed line") }
                { stat("balance, first choice", ratio(model.balance_first), "balance-first", "max first-choice load / ideal (1.00 = perfect)") }
                { stat("balance, worst single failure", ratio(model.balance_worst), "balance-worst", "max load after the worst single failure / ideal with one server fewer") }
                if model.any_failed() {
                    { stat("balance now", ratio(model.balance_now), "balance-now", "max load with the failed servers down / ideal") }
                }
                { stat("unserved", if model.any_failed() { format!("{} (was {})", model.unserved_now, model.unserved_first) } else { model.unserved_first.to_string() }, "load-unserved", "clients with no reachable server up") }
            </div>
            if let Some(status) = &status {
                <p class="client-status" data-testid="client-status">
                    { format!("Selected node {}: ", status.number) }
                    { match (status.first, status.now) {
                        _ if status.failed => "it has failed: a failed node is no client, so it counts nowhere.".to_owned(),
                        (Some(f), Some(n)) if f == n => format!("served by server {n}, its first choice."),
                        (Some(f), Some(n)) => format!("first choice server {f} is down; now served by server {n}."),
                        (Some(f), None) => format!("first choice server {f} is down and no other server is up: unserved."),
                        (None, _) => "no server can serve it: unserved.".to_owned(),
                    } }
                </p>
            }
            <div class="bars" role="group" aria-label="load per server: press a server to fail it or bring it back">
                { for model.bars.iter().map(|bar| {
                    let uid = bar.uid.clone();
                    let onclick = props.on_view.reform(move |_| ViewAction::ToggleFailed(uid.clone()));
                    let delta = bar.delta();
                    let title = match &bar.not_online {
                        Some(elsewhere) => format!("server {}: {}, so it is down for cluster {} and serves no one", bar.number, not_online_text(elsewhere), service.cluster),
                        None => format!(
                            "server {}: {} first-choice; {} now; at most {} when one other server fails{}",
                            bar.number, count(bar.first, "client", "clients"), bar.now, bar.worst,
                            bar.worst_when.map_or(" (no single failure adds to it)".to_owned(), |w| format!(" (server {w})"))
                        ),
                    };
                    html! {
                        <button class={classes!("bar-row", bar.failed.then_some("failed"), bar.not_online.is_some().then_some("not-online"), (delta > 0).then_some("gained"), status.as_ref().is_some_and(|st| st.now == Some(bar.number)).then_some("serves-selected"))}
                            data-testid="load-bar" data-server-number={bar.number.to_string()} data-uid={bar.uid.clone()}
                            data-first={bar.first.to_string()} data-now={bar.now.to_string()} data-worst={bar.worst.to_string()}
                            data-failed={bar.failed.to_string()} data-online={bar.not_online.is_none().to_string()} aria-pressed={bar.failed.to_string()} {title} {onclick}>
                            <span class="bar-label">
                                <strong>{ format!("server {}", bar.number) }</strong>
                                if !bar.name.is_empty() && bar.name != format!("server {}", bar.number) {
                                    <span class="muted">{ format!(" {}", bar.name) }</span>
                                }
                            </span>
                            <span class="bar-track">
                                <span class="bar first" style={format!("width:{}", percent(bar.first as f64, model.scale))}></span>
                                <span class="bar now" style={format!("width:{}", percent(bar.now as f64, model.scale))}></span>
                                <span class="bar worst" style={format!("left:{}", percent(bar.worst as f64, model.scale))} title="worst single failure"></span>
                                if let Some(i) = ideal {
                                    <span class="ideal" style={format!("left:{}", percent(i, model.scale))}></span>
                                }
                            </span>
                            <span class="bar-numbers">
                                if bar.failed {
                                    <span class="down">{ "FAILED" }</span>
                                } else if let Some(elsewhere) = &bar.not_online {
                                    <span class="down" data-testid="not-online">{ format!("DOWN: {}", not_online_text(elsewhere)) }</span>
                                } else {
                                    <span class="now-number">{ bar.now }</span>
                                    if delta != 0 {
                                        <span class={classes!("delta", if delta > 0 { "up" } else { "down" })}>{ format!(" ({delta:+})") }</span>
                                    }
                                }
                                <span class="muted">{ format!(" · first {} · worst {}", bar.first, bar.worst) }</span>
                                if let Some(w) = bar.worst_when { <span class="muted">{ format!(" (if {w} fails)") }</span> }
                                else if bar.not_online.is_none() && bar.worst > 0 { <span class="muted">{ " (no single failure adds to it)" }</span> }
                            </span>
                        </button>
                    }
                }) }
            </div>
            <p class="r-legend">
                <span class="r-legend-item"><span class="r-swatch first"></span>{ "first choice" }</span>
                <span class="r-legend-item"><span class="r-swatch now"></span>{ "with the failed servers down" }</span>
                <span class="r-legend-item"><span class="r-swatch ideal"></span>{ "ideal (clients / servers up)" }</span>
                <span class="r-legend-item"><span class="r-swatch worst"></span>{ "worst single failure" }</span>
            </p>
            if !model.moves.is_empty() {
                <div class="moves" data-testid="load-moves">
                    <h3>{ format!("{} moved", count(model.moves.iter().map(|m| m.clients.len()).sum::<usize>(), "client", "clients")) }</h3>
                    <ul>
                    { for model.moves.iter().map(|m| html! {
                        <li data-testid="move-group">
                            <strong>{ m.clients.len() }</strong>
                            { format!(" from server {} to {}: ", m.from.map_or("-".into(), |n| n.to_string()),
                                m.to.map_or("nobody (unserved)".into(), |n| format!("server {n}"))) }
                            <span class="muted">{ clients_text(&m.clients) }</span>
                        </li>
                    }) }
                    </ul>
                </div>
            }
            if let Some(table) = failure_table(&props.plan, props.service, FAILURE_TABLE_MAX) {
                <div class="failure-table-wrap">
                    <h3>{ "Every single failure" }</h3>
                    <p class="hint">{ "Each row: one server fails (click to fail it); each cell: the clients a server then serves. Orange: more than its first choice; the row's peak is outlined." }</p>
                    <table class="failure-table" data-testid="failure-table">
                        <thead><tr>
                            <th>{ "fails ↓ / serves →" }</th>
                            { for table.numbers.iter().map(|n| html! { <th>{ n }</th> }) }
                            <th>{ "unserved" }</th>
                        </tr></thead>
                        <tbody>
                        { for table.rows.iter().enumerate().map(|(f, row)| {
                            let uid = row.uid.clone();
                            let onclick = props.on_view.reform(move |_| ViewAction::ToggleFailed(uid.clone()));
                            let active = props.failed.contains(&row.uid);
                            html! {
                                <tr class={classes!(active.then_some("active"))} data-testid="failure-row" data-failed={row.failed.to_string()} {onclick}>
                                    <th>{ format!("server {}", row.failed) }</th>
                                    { for row.loads.iter().enumerate().map(|(s, l)| {
                                        let first = model.bars.get(s).map_or(0, |b| b.first);
                                        let class = classes!(
                                            (s == f).then_some("down"),
                                            (s != f && *l > first).then_some("gain"),
                                            row.peak.is_some_and(|(p, _)| p == s).then_some("peak"),
                                        );
                                        html! { <td {class}>{ if s == f { "×".to_owned() } else { l.to_string() } }</td> }
                                    }) }
                                    <td class={classes!((row.unserved > 0).then_some("bad"))}>{ row.unserved }</td>
                                </tr>
                            }
                        }) }
                        </tbody>
                    </table>
                </div>
            }
            <p class="muted small">{ format!("Service {} of cluster {}: {}, {}.", service.service, service.cluster, count(model.clients, "client", "clients"), count(model.bars.len(), "server", "servers")) }</p>
        </div>
    }
}

/// Where a server that is not online in the service's cluster is: `online in A`, `offline`.
fn not_online_text(elsewhere: &Option<String>) -> String {
    match elsewhere {
        Some(c) => format!("online in {c}"),
        None => "offline".to_owned(),
    }
}

fn stat(label: &'static str, value: String, testid: &'static str, title: &'static str) -> Html {
    html! {
        <div class="stat" {title}>
            <span class="stat-label">{ label }</span>
            <span class="stat-value" data-testid={testid}>{ value }</span>
        </div>
    }
}

/// `nodes 1, 4, 6` (the first 12, then `and N more`).
fn clients_text(clients: &[u32]) -> String {
    let shown: Vec<String> = clients.iter().take(12).map(|c| c.to_string()).collect();
    let more = clients.len().saturating_sub(12);
    let mut text =
        format!("node{} {}", if clients.len() == 1 { "" } else { "s" }, shown.join(", "));
    if more > 0 {
        text.push_str(&format!(" and {more} more"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{fig24, service};

    fn failed(uids: &[&str]) -> BTreeSet<String> {
        uids.iter().map(|u| (*u).to_owned()).collect()
    }

    #[test]
    fn with_nothing_failed_the_bars_are_the_engines_first_choice_load() {
        let (plan, _) = fig24();
        let s = service(&plan, "registry");
        let load = &plan.services[s].load;
        let model = load_model(&plan, s, &BTreeSet::new()).unwrap();
        assert_eq!(model.clients, 10);
        assert_eq!(model.bars.iter().map(|b| b.number).collect::<Vec<_>>(), [2, 3, 5, 7, 9, 12]);
        assert_eq!(model.bars.iter().map(|b| b.first).collect::<Vec<_>>(), load.first_choice);
        assert!(model.bars.iter().all(|b| b.now == b.first && !b.failed));
        assert_eq!(
            model.bars.iter().map(|b| b.worst).collect::<Vec<_>>(),
            load.worst_single_failure.iter().map(|w| w.0).collect::<Vec<_>>()
        );
        assert_eq!(model.ideal_first, Some(10.0 / 6.0));
        assert_eq!(model.balance_first, load.balance_first_choice);
        assert!(model.moves.is_empty() && !model.any_failed());
        assert_eq!(model.scale, model.bars.iter().map(|b| b.worst.max(b.first)).max().unwrap());
    }

    #[test]
    fn failing_one_server_gives_the_engines_single_failure_loads_and_who_moved() {
        let (plan, _) = fig24();
        let s = service(&plan, "registry");
        let load = &plan.services[s].load;
        for (f, server) in plan.services[s].servers.iter().enumerate() {
            let uid = plan.nodes[server.node].uid.as_str();
            let model = load_model(&plan, s, &failed(&[uid])).unwrap();
            let now: Vec<usize> = model.bars.iter().map(|b| b.now).collect();
            assert_eq!(now, load.single_failures.row(f), "server {} failed", server.number);
            assert_eq!(model.unserved_now, load.unserved_after_failure[f]);
            assert!(model.bars[f].failed && model.bars[f].now == 0);
            assert_eq!(model.servers_up, 5);
            // The failed node is no client: 9 clients over 5 servers.
            assert_eq!((model.clients, model.clients_now), (10, 9));
            assert_eq!(model.ideal_now, Some(1.8));
            // Every client of the failed server moved but the failed node itself (each server
            // serves itself first), and nobody else did.
            let moved: usize = model.moves.iter().map(|m| m.clients.len()).sum();
            assert_eq!(moved, load.first_choice[f] - 1);
            assert!(model.moves.iter().all(|m| m.from == Some(server.number)));
            assert!(model.moves.iter().all(|m| !m.clients.contains(&server.number)));
            let max_now = *now.iter().max().unwrap();
            assert_eq!(model.balance_now, Some(max_now as f64 / 1.8));
        }
    }

    #[test]
    fn failing_server_5_moves_its_five_clients_to_the_next_server_of_their_lists() {
        let (plan, _) = fig24();
        let s = service(&plan, "registry");
        let model = load_model(&plan, s, &failed(&["n5"])).unwrap();
        // Nodes 1, 4, 5, 6, 8 (subnet 10.0.0.0/24) list 10.0.0.1 first; their lists continue
        // with a rotation of 3, 7, 9 (m = 3): n mod 3 = 1, 1, 0, 2 picks 7, 7, 3, 9 for 1, 4,
        // 6, 8. Node 5 failed with its server: it is no client and moves nowhere.
        let mut moves = model.moves.clone();
        moves.sort_by_key(|m| m.to);
        assert_eq!(
            moves,
            [
                MoveGroup { from: Some(5), to: Some(3), clients: vec![6] },
                MoveGroup { from: Some(5), to: Some(7), clients: vec![1, 4] },
                MoveGroup { from: Some(5), to: Some(9), clients: vec![8] },
            ]
        );
    }

    #[test]
    fn uids_that_serve_nothing_fail_nothing_and_everything_failed_leaves_everyone_unserved() {
        let (plan, _) = fig24();
        let s = service(&plan, "registry");
        let model = load_model(&plan, s, &failed(&["n1", "nobody"])).unwrap();
        assert!(!model.any_failed());
        let all = failed(&["n2", "n3", "n5", "n7", "n9", "n12"]);
        let model = load_model(&plan, s, &all).unwrap();
        // The six servers failed are no clients: the four other nodes are left unserved.
        assert_eq!((model.servers_up, model.unserved_now, model.balance_now), (0, 4, None));
        assert_eq!(model.clients_now, 4);
        assert!(load_model(&plan, 99, &BTreeSet::new()).is_none());
    }

    #[test]
    fn the_failure_table_is_the_engines_single_failures_with_each_rows_peak() {
        let (plan, _) = fig24();
        let s = service(&plan, "registry");
        let load = &plan.services[s].load;
        let table = failure_table(&plan, s, FAILURE_TABLE_MAX).unwrap();
        assert_eq!(table.numbers, [2, 3, 5, 7, 9, 12]);
        for (f, row) in table.rows.iter().enumerate() {
            assert_eq!(row.loads, load.single_failures.row(f));
            assert_eq!(row.unserved, load.unserved_after_failure[f]);
        }
        // Server 5 fails: 7 gets 3 (1 + 2) and 9 gets 2 (node 5 is no client): 7 is the peak.
        let row5 = &table.rows[2];
        assert_eq!((row5.failed, row5.uid.as_str()), (5, "n5"));
        assert_eq!(row5.peak, Some((3, 2)));
        // The peak of each column over the rows is the server's worst single failure.
        for (c, worst) in load.worst_single_failure.iter().enumerate() {
            let max = table
                .rows
                .iter()
                .enumerate()
                .filter(|(f, _)| *f != c)
                .map(|(_, r)| r.loads[c])
                .max();
            assert_eq!(max, Some(worst.0));
        }
        assert_eq!(failure_table(&plan, s, 5), None, "too many servers to draw");
    }

    #[test]
    fn a_clients_status_follows_the_failures() {
        let (plan, _) = fig24();
        let s = service(&plan, "registry");
        let none = BTreeSet::new();
        assert_eq!(
            client_status(&plan, s, &none, "n1"),
            Some(ClientStatus { number: 1, first: Some(5), now: Some(5), failed: false })
        );
        // Node 1 (1 mod 3 = 1) falls to the second of 3, 7, 9: server 7.
        assert_eq!(
            client_status(&plan, s, &failed(&["n5"]), "n1"),
            Some(ClientStatus { number: 1, first: Some(5), now: Some(7), failed: false })
        );
        // Node 5 failed is no client: not "server 5 is down; now served by server 9".
        assert_eq!(
            client_status(&plan, s, &failed(&["n5"]), "n5"),
            Some(ClientStatus { number: 5, first: Some(5), now: None, failed: true })
        );
        let all = failed(&["n2", "n3", "n5", "n7", "n9", "n12"]);
        assert_eq!(client_status(&plan, s, &all, "n1").unwrap().now, None);
        assert_eq!(client_status(&plan, s, &none, "nobody"), None);
    }

    #[test]
    fn ratios_and_client_lists_read_well() {
        assert_eq!(ratio(Some(1.5)), "1.50");
        assert_eq!(ratio(None), "n/a");
        assert_eq!(clients_text(&[3]), "node 3");
        assert_eq!(
            clients_text(&(1..=14).collect::<Vec<_>>()),
            "nodes 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 2 more"
        );
    }
}

#[cfg(test)]
mod membership_tests {
    use super::*;
    use clusterplan_engine::{compile, document, Strategy};

    /// A server online in another cluster is down for this one: its bar is kept with 0 clients
    /// and says where it is, and the load is the CLI's (docs/spec.md §4).
    #[test]
    fn a_server_online_in_another_cluster_is_down_here() {
        let doc = document::read(include_str!("../../../examples/two-clusters-shared-node.json"))
            .unwrap();
        let plan = compile(&doc, Strategy::Rotation);
        let b = plan.service("B", "registry").unwrap().0;
        let model = load_model(&plan, b, &BTreeSet::new()).unwrap();
        let bars: Vec<(u32, usize, usize, Option<Option<String>>)> =
            model.bars.iter().map(|x| (x.number, x.first, x.worst, x.not_online.clone())).collect();
        assert_eq!(bars, [(1, 0, 0, Some(Some("A".to_owned()))), (2, 3, 3, None)]);
        assert_eq!((model.servers_up, model.ideal_first), (1, Some(3.0)));
        assert!(!model.any_failed());
    }
}
