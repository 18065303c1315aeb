//! The node view: the selected node's ordered list for every service it is a client of,
//! numbered, each entry with the engine's explanation (tier and priority, local, hops, group,
//! the strategy's formula with its numbers). [`node_lists`] is pure; [`NodeView`] renders it.

use crate::model::overlay::{hop_path, ordinal, serving, HopPath};
use crate::model::view::ServiceKey;
use crate::ui::results::DocRef;
use crate::ui::results::PlanRef;
use clusterplan_engine::plan::NodeIx;
use clusterplan_engine::Explanation;
use clusterplan_engine::Plan;
use std::collections::BTreeSet;
use yew::prelude::*;

/// One entry of a node's list.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeEntry {
    /// 1 = first choice.
    pub rank: usize,
    pub address: String,
    /// The server node owning the address: (node number, display name); `None` = nobody's.
    pub server: Option<(u32, String)>,
    /// Its server node is one the user failed.
    pub down: bool,
    /// Its server node is not online in the service's cluster: down for it without a failure.
    pub not_online: bool,
    /// The client is served by this entry (the first whose server is up and reachable).
    pub serving: bool,
    pub explanation: Explanation,
}

/// A node's list for one service.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeServiceList {
    pub service: usize,
    pub key: ServiceKey,
    /// The client's node number in the service's cluster.
    pub number: u32,
    pub entries: Vec<NodeEntry>,
    /// No entry can serve the client (with the failed servers down).
    pub unserved: bool,
    /// The node itself is one of the failed servers: a failed node is no client (docs/spec.md
    /// §4), so its list no longer counts and nothing serves it.
    pub failed: bool,
    /// The hop path to the entry serving the node now, as the canvas draws it (`None`: no
    /// address, unreachable, unserved, or the node failed).
    pub path: Option<HopPath>,
    /// The entry serving the node is not its first: `path` goes past its first choice.
    pub path_serving: bool,
}

/// The lists of the node with this uid, one per service it is a client of, in plan order, with
/// the server nodes whose uid is in `failed` down (the engine's failover says who serves it).
pub fn node_lists(plan: &Plan, uid: &str, failed: &BTreeSet<String>) -> Vec<NodeServiceList> {
    let Some(node): Option<NodeIx> = plan.nodes.iter().position(|n| n.uid == uid) else {
        return Vec::new();
    };
    plan.services
        .iter()
        .enumerate()
        .filter_map(|(s, service)| {
            let list_ix = service.list_index(node)?;
            let list = service.lists.get(list_ix)?;
            let now = serving(plan, service, list_ix, failed);
            let explanations = plan.explain_list(s, list_ix);
            let entries = list
                .entries
                .iter()
                .zip(explanations)
                .enumerate()
                .map(|(e, (entry, explanation))| {
                    let address = &service.addresses[entry.address()];
                    let server = address.server.map(|srv| {
                        let server = &service.servers[srv];
                        (server.number, plan.nodes[server.node].name.clone())
                    });
                    NodeEntry {
                        rank: e + 1,
                        address: address.ip.to_string(),
                        server,
                        down: address.server.is_some_and(|srv| now.down.contains(&srv)),
                        not_online: address.server.is_some_and(|srv| !service.servers[srv].online),
                        serving: now.entry == Some(e),
                        explanation,
                    }
                })
                .collect();
            Some(NodeServiceList {
                service: s,
                key: ServiceKey::new(&service.cluster, &service.service),
                number: list.number,
                entries,
                unserved: now.server.is_none() && !now.failed_client,
                failed: now.failed_client,
                path: now
                    .entry
                    .filter(|_| !now.failed_client)
                    .and_then(|e| list.entries.get(e))
                    .and_then(|e| hop_path(plan, node, service.addresses[e.address()].subnet)),
                path_serving: now.entry.is_some_and(|e| e > 0),
            })
        })
        .collect()
}

/// Up to how many nodes the node view's picker lists every node (a `<select>`). A larger model
/// gets a search field offering the nodes that match what is typed: a select of 10,000
/// options is no use to anyone and costs more elements than the rest of the page.
pub const PICKER_LISTS_UPTO: usize = 500;

/// How many matching nodes the search field offers at once.
pub const MATCHES_OFFERED: usize = 20;

/// How the picker names a node: `number: name` (its number in the cluster it is online in,
/// else in its first), or its uid when it has no number.
pub fn picker_label(n: &clusterplan_engine::plan::NodeInfo) -> String {
    match shown_number(n) {
        Some(x) => format!("{x}: {}", if n.name.is_empty() { &n.uid } else { &n.name }),
        None => n.uid.clone(),
    }
}

/// The node number a node is known by: in the cluster it is online in, else its first one.
fn shown_number(n: &clusterplan_engine::plan::NodeInfo) -> Option<u32> {
    n.clusters
        .iter()
        .find(|(c, _)| Some(c) == n.online.as_ref())
        .or(n.clusters.first())
        .map(|(_, x)| *x)
}

/// The nodes matching `text` (ignoring case), at most `limit`, in the plan's order, the node
/// it names exactly ([`named_node`]'s) first.
pub fn matching_nodes<'a>(
    plan: &'a Plan,
    text: &str,
    limit: usize,
) -> Vec<&'a clusterplan_engine::plan::NodeInfo> {
    let (exact, others) = matches(plan, text, limit);
    exact.into_iter().chain(others).take(limit).collect()
}

/// One pass over the nodes (each label made once): the node `text` names exactly, and up to
/// `limit` others whose uid or picker label contains it.
///
/// Exact names come first, by kind: a uid, then a name, then a node number, then the picker's
/// label (`42: node42`). The first kind that matches decides: one node is named, two or more
/// name none (a name or a number several nodes share). So `node1` finds node1 even though
/// node10 to node19 contain it, and `2` finds node number 2.
fn matches<'a>(
    plan: &'a Plan,
    text: &str,
    limit: usize,
) -> (Option<&'a clusterplan_engine::plan::NodeInfo>, Vec<&'a clusterplan_engine::plan::NodeInfo>) {
    let text = text.trim().to_lowercase();
    let mut others = Vec::new();
    if text.is_empty() {
        return (None, others);
    }
    let number: Option<u32> = text.parse().ok();
    // Per kind (uid, name, number, label): the first node named so, and whether another is.
    let mut named: [(Option<&clusterplan_engine::plan::NodeInfo>, bool); 4] = [(None, false); 4];
    for n in &plan.nodes {
        let (uid, label) = (n.uid.to_lowercase(), picker_label(n).to_lowercase());
        let exact = [
            uid == text,
            !n.name.is_empty() && n.name.to_lowercase() == text,
            number.is_some() && shown_number(n) == number,
            label == text,
        ];
        for (slot, hit) in named.iter_mut().zip(exact) {
            if hit {
                match slot.0 {
                    None => slot.0 = Some(n),
                    Some(_) => slot.1 = true,
                }
            }
        }
        // Every exact name is contained in the uid or the label, so this offers them too.
        if others.len() <= limit && (uid.contains(&text) || label.contains(&text)) {
            others.push(n);
        }
    }
    let exact = named
        .iter()
        .find(|(first, _)| first.is_some())
        .and_then(|(first, several)| first.filter(|_| !several));
    if let Some(e) = exact {
        others.retain(|o| o.uid != e.uid);
    }
    others.truncate(limit);
    (exact, others)
}

/// The node a typed `text` names: the one named exactly so (uid, name, number or label), else
/// the only node matching it; `None` when none or several do.
pub fn named_node(plan: &Plan, text: &str) -> Option<String> {
    match matches(plan, text, 2) {
        (Some(exact), _) => Some(exact.uid.clone()),
        (None, others) => match others.as_slice() {
            [only] => Some(only.uid.clone()),
            _ => None,
        },
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct NodeFinderProps {
    pub plan: PlanRef,
    pub selected: Option<String>,
    pub on_select: Callback<String>,
}

/// The picker of a large model: a search field offering the nodes matching what is typed
/// (number, name or uid); Enter or a chosen offer selects the node it names.
#[function_component(NodeFinder)]
pub fn node_finder(props: &NodeFinderProps) -> Html {
    let typed = use_state(String::new);
    let missing = use_state(|| false);
    let oninput = {
        let (typed, missing) = (typed.clone(), missing.clone());
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            missing.set(false);
            typed.set(input.value());
        })
    };
    let onchange = {
        let (plan, on_select, missing) =
            (props.plan.clone(), props.on_select.clone(), missing.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            match named_node(&plan, &input.value()) {
                Some(uid) => on_select.emit(uid),
                None => missing.set(!input.value().trim().is_empty()),
            }
        })
    };
    let offers = matching_nodes(&props.plan, &typed, MATCHES_OFFERED);
    let shown =
        props.selected.as_deref().and_then(|uid| props.plan.nodes.iter().find(|n| n.uid == uid));
    html! {
        <label class="node-picker">{ "node " }
            <input type="search" data-testid="node-find" list="node-offers" {oninput} {onchange}
                placeholder={shown.map_or_else(|| format!("find one of {} nodes: number, name or uid", props.plan.nodes.len()), picker_label)}
                aria-invalid={missing.to_string()} />
            <datalist id="node-offers">
                { for offers.iter().map(|n| html! { <option value={n.uid.clone()} label={picker_label(n)} /> }) }
            </datalist>
            if *missing {
                <span class="field-error" role="alert" data-testid="node-find-error">
                    { format!("No single node is named \"{}\": type more of its number, name or uid.", typed.trim()) }
                </span>
            }
        </label>
    }
}

#[derive(Debug, Properties, PartialEq)]
pub struct NodeViewProps {
    pub plan: PlanRef,
    /// uid of the selected node.
    pub selected: Option<String>,
    /// Server nodes the user failed (uids).
    pub failed: BTreeSet<String>,
    /// The document, for router names.
    pub document: DocRef,
    /// Select a node by uid.
    pub on_select: Callback<String>,
    /// The list being built step by step, if any (shown under its list).
    #[prop_or_default]
    pub walk: Option<crate::model::view::WalkView>,
    #[prop_or_default]
    pub on_view: Callback<crate::model::view::ViewAction>,
}

/// `path to the first choice: 10.0.0.0/24 → r1 → 10.0.1.0/24 (1 router)`, or within the node's
/// own subnet.
pub fn path_text(plan: &Plan, doc: &clusterplan_engine::Document, path: &HopPath) -> String {
    path_text_to(plan, doc, path, "the first choice")
}

/// The path of a list as the node view says it: to the first choice, or with servers failed to
/// the server serving the node now.
pub fn list_path_text(
    plan: &Plan,
    doc: &clusterplan_engine::Document,
    list: &NodeServiceList,
) -> Option<String> {
    let path = list.path.as_ref()?;
    let to = if list.path_serving { "the server serving it now" } else { "the first choice" };
    Some(path_text_to(plan, doc, path, to))
}

fn path_text_to(
    plan: &Plan,
    doc: &clusterplan_engine::Document,
    path: &HopPath,
    to: &str,
) -> String {
    let subnet = |s: usize| plan.subnets.get(s).map_or("?", |x| x.prefix.as_str()).to_owned();
    let mut parts = vec![subnet(path.subnets[0])];
    for (router, next) in path.routers.iter().zip(&path.subnets[1..]) {
        parts.push(
            doc.routers.get(*router).map_or_else(|| format!("router {router}"), |r| r.name.clone()),
        );
        parts.push(subnet(*next));
    }
    match path.routers.len() {
        0 => format!("path to {to}: within {}", parts[0]),
        n => format!(
            "path to {to}: {} ({n} router{})",
            parts.join(" → "),
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// The equidistant group of an entry, for people: `group m=3 · index 2 · k = 0 (1st pick)` (k is
/// 0-based, as in the rule's formula; the ordinal says which pick that is).
pub fn group_text(e: &Explanation) -> String {
    format!(
        "group m={} · index {} · k = {} ({} pick)",
        e.group_size,
        e.group_index,
        e.pick,
        ordinal(e.pick as usize + 1)
    )
}

fn hops_text(e: &Explanation) -> String {
    match e.hops {
        _ if e.local => "local".into(),
        Some(1) => "1 hop".into(),
        Some(h) => format!("{h} hops"),
        None => "unreachable".into(),
    }
}

/// The walkthrough of this list is the one open.
fn walk_open(
    uid: &str,
    list: &NodeServiceList,
    walk: Option<&crate::model::view::WalkView>,
) -> bool {
    walk.is_some_and(|w| w.node == uid && w.service == list.key)
}

/// "Build it step by step" (or "close") for one list.
fn walk_button(
    uid: &str,
    list: &NodeServiceList,
    walk: Option<&crate::model::view::WalkView>,
    on_view: &Callback<crate::model::view::ViewAction>,
) -> Html {
    use crate::model::view::ViewAction;
    let open = walk_open(uid, list, walk);
    let target = (!open).then(|| (uid.to_owned(), list.key.clone()));
    let onclick = on_view.reform(move |_| ViewAction::WalkOpen(target.clone()));
    html! {
        <button class="walk-open" data-testid="walk-open" title="How this list is built, step by step, as FIG 22 and FIG 24 do it, each step marked on the canvas" {onclick}>
            { if open { "close the steps" } else { "build it step by step" } }
        </button>
    }
}

/// The walkthrough under its list, when it is the one open.
fn walk_panel(
    plan: &Plan,
    doc: &DocRef,
    uid: &str,
    list: &NodeServiceList,
    walk: Option<&crate::model::view::WalkView>,
    on_view: &Callback<crate::model::view::ViewAction>,
) -> Html {
    let Some(walk) = walk.filter(|_| walk_open(uid, list, walk)) else { return html! {} };
    match crate::ui::results::walkthrough::derive(plan, &doc.0, walk) {
        Some(w) => crate::ui::results::walkthrough::panel(&w, walk.step, on_view),
        None => html! {},
    }
}

/// The selected node's lists, explained; a picker when no node is selected.
#[function_component(NodeView)]
pub fn node_view(props: &NodeViewProps) -> Html {
    let plan = &props.plan;
    let picker = if plan.nodes.len() > PICKER_LISTS_UPTO {
        html! { <NodeFinder plan={plan.clone()} selected={props.selected.clone()} on_select={props.on_select.clone()} /> }
    } else {
        let on_select = props.on_select.clone();
        let onchange = Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if !select.value().is_empty() {
                on_select.emit(select.value());
            }
        });
        html! {
            <label class="node-picker">{ "node " }
                <select data-testid="node-picker" {onchange}>
                    <option value="" selected={props.selected.is_none()}>{ "(select a node)" }</option>
                    { for plan.nodes.iter().map(|n| html! {
                        <option value={n.uid.clone()} selected={props.selected.as_deref() == Some(n.uid.as_str())}>{ picker_label(n) }</option>
                    }) }
                </select>
            </label>
        }
    };
    let Some(uid) = props.selected.as_deref() else {
        return html! {
            <div class="node-view" data-testid="node-view">
                <div class="view-head">{ picker }</div>
                <p class="empty">{ "Select a node (on the canvas or here) to see, for every service, which address it tries first, second, third, and why." }</p>
            </div>
        };
    };
    let node = plan.nodes.iter().find(|n| n.uid == uid);
    let lists = node_lists(plan, uid, &props.failed);
    html! {
        <div class="node-view" data-testid="node-view">
            <div class="view-head">
                { picker }
                <span class="muted">{ format!("strategy {}", plan.strategy) }</span>
            </div>
            if node.is_none() {
                <p class="empty">{ format!("No node {uid} in the model.") }</p>
            } else if lists.is_empty() {
                <p class="empty">{ "This node is a client of no service: it is online in no cluster with services." }</p>
            }
            { for lists.iter().map(|list| html! {
                <section class="node-list" data-testid="node-list" data-service={list.key.name.clone()} data-cluster={list.key.cluster.clone()}
                    data-addresses={list.entries.iter().map(|e| e.address.clone()).collect::<Vec<_>>().join(",")}>
                    <h3>{ format!("{} ", list.key.name) }<span class="muted">{ format!("cluster {}, as node {}", list.key.cluster, list.number) }</span>
                        { walk_button(uid, list, props.walk.as_ref(), &props.on_view) }</h3>
                    { walk_panel(plan, &props.document, uid, list, props.walk.as_ref(), &props.on_view) }
                    if let Some(text) = list_path_text(plan, &props.document, list) {
                        <p class="path" data-testid="first-path">{ text }</p>
                    }
                    if list.entries.is_empty() {
                        <p class="empty">{ "The service has no address." }</p>
                    } else if list.failed {
                        <p class="bad" data-testid="node-failed">{ "This node has failed: a failed node is no client, so its list no longer counts." }</p>
                    } else if list.unserved {
                        <p class="bad" data-testid="unserved">{ "Unserved: no server of this list is up and reachable." }</p>
                    }
                    <ol class="entries">
                    { for list.entries.iter().map(|entry| {
                        let e = &entry.explanation;
                        html! {
                            <li class={classes!("entry", (entry.rank == 1).then_some("first"), e.hops.is_none().then_some("unreachable"), entry.down.then_some("down"), entry.serving.then_some("serving"))}
                                data-testid="list-entry" data-rank={entry.rank.to_string()} data-address={entry.address.clone()}>
                                <span class="rank">{ entry.rank }</span>
                                <span class="address" data-testid="list-address">{ entry.address.clone() }</span>
                                <span class="server">
                                    { match &entry.server {
                                        Some((number, name)) if name.is_empty() || *name == format!("node {number}") => format!("on node {number}"),
                                        Some((number, name)) => format!("on node {number} · {name}"),
                                        None => "no server node owns it: serves no load".into(),
                                    } }
                                </span>
                                <span class="chips">
                                    if entry.down {
                                        <span class="chip failed" data-testid="entry-down">{ "failed" }</span>
                                    } else if entry.not_online {
                                        <span class="chip failed" data-testid="entry-not-online" title="its node is not online in the service's cluster, so it is down for it">{ "not online here" }</span>
                                    }
                                    if entry.serving && entry.rank > 1 {
                                        <span class="chip serving" data-testid="entry-serving">{ "serves it now" }</span>
                                    }
                                    <span class="chip tier" title="priority tier (FIG 22)">
                                        { match e.priority { Some(p) => format!("tier {} · priority {p}", e.tier), None => format!("tier {} · no priority", e.tier) } }
                                    </span>
                                    <span class={classes!("chip", if e.local { "local" } else { "hops" })}>{ hops_text(e) }</span>
                                    if !e.local {
                                        <span class="chip group" data-testid="group-chip" title="the equidistant group (FIG 24): m addresses sorted by address, indexed from 0; k counts the picks from the group from 0">
                                            { group_text(e) }
                                        </span>
                                    }
                                </span>
                                <code class="formula" data-testid="formula">{ e.formula.clone() }</code>
                                <span class="summary">{ e.summary.clone() }</span>
                            </li>
                        }
                    }) }
                    </ol>
                </section>
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::fig24;

    #[test]
    fn a_typed_number_name_or_uid_finds_its_node() {
        let plan = clusterplan_engine::compile(
            &clusterplan_engine::generate::data_centre(1000),
            clusterplan_engine::Strategy::Rotation,
        );
        let n42 = plan.nodes.iter().find(|n| n.uid == "n42").unwrap();
        let label = picker_label(n42);
        // Exactly named: by uid or by label, first among the others that contain it.
        assert_eq!(named_node(&plan, "n42").as_deref(), Some("n42"));
        assert_eq!(named_node(&plan, " N42 ").as_deref(), Some("n42"));
        assert_eq!(named_node(&plan, &label).as_deref(), Some("n42"));
        assert_eq!(matching_nodes(&plan, "n42", 5)[0].uid, "n42");
        assert!(matching_nodes(&plan, "N42", 50)
            .iter()
            .all(|n| n.uid.contains("n42") || picker_label(n).to_lowercase().contains("n42")));
        assert_eq!(matching_nodes(&plan, "n4", MATCHES_OFFERED).len(), MATCHES_OFFERED);
        // Several match and none is named so: no node; nothing typed: no offers.
        assert_eq!(named_node(&plan, "n4").as_deref(), Some("n4"), "n4 itself, not n40");
        let fours: Vec<&str> = plan
            .nodes
            .iter()
            .filter(|n| shown_number(n) == Some(4))
            .map(|n| n.uid.as_str())
            .collect();
        let expected = if let [only] = fours.as_slice() { Some(only.to_string()) } else { None };
        assert_eq!(named_node(&plan, "4"), expected, "the number 4 names the node numbered 4");
        assert_eq!(named_node(&plan, "no such node"), None);
        assert!(matching_nodes(&plan, "  ", 5).is_empty());
    }

    /// Every exact uid, name and number of the 10,000-node model names its node, although most
    /// are prefixes of others (`node1` of `node10`..., `2` of `20`...); a name or number that
    /// several nodes share names none, and all of them are offered.
    #[test]
    fn exact_uids_names_and_numbers_come_before_prefixes() {
        let plan = clusterplan_engine::compile(
            &clusterplan_engine::generate::data_centre(10_000),
            clusterplan_engine::Strategy::Rotation,
        );
        let mut names: std::collections::HashMap<String, usize> = Default::default();
        let mut numbers: std::collections::HashMap<u32, usize> = Default::default();
        let uids: std::collections::HashSet<String> =
            plan.nodes.iter().map(|n| n.uid.to_lowercase()).collect();
        for n in &plan.nodes {
            *names.entry(n.name.to_lowercase()).or_default() += 1;
            if let Some(x) = shown_number(n) {
                *numbers.entry(x).or_default() += 1;
            }
        }
        let (mut by_name, mut by_number) = (0, 0);
        // A node in 50 (each look-up reads the whole model), and the ones the issue named.
        let named_in_the_issue = ["node1", "node42", "499", "2"];
        let sample = plan.nodes.iter().enumerate().filter(|(i, n)| {
            i % 50 == 0
                || named_in_the_issue.iter().any(|t| n.name == *t || n.uid == *t)
                || shown_number(n)
                    .is_some_and(|x| named_in_the_issue.contains(&x.to_string().as_str()))
        });
        for (_, n) in sample {
            assert_eq!(named_node(&plan, &n.uid).as_deref(), Some(n.uid.as_str()));
            let name = n.name.to_lowercase();
            if !name.is_empty() && names[&name] == 1 && !uids.contains(&name) {
                assert_eq!(named_node(&plan, &n.name).as_deref(), Some(n.uid.as_str()), "{name}");
                by_name += 1;
            }
            let number = shown_number(n).unwrap();
            let text = number.to_string();
            if numbers[&number] == 1 && !uids.contains(&text) && !names.contains_key(&text) {
                assert_eq!(named_node(&plan, &text).as_deref(), Some(n.uid.as_str()), "{text}");
                by_number += 1;
            } else if numbers[&number] > 1 && !uids.contains(&text) && !names.contains_key(&text) {
                assert_eq!(named_node(&plan, &text), None, "number {text} is shared");
                let offered = matching_nodes(&plan, &text, MATCHES_OFFERED);
                assert!(offered.iter().any(|o| o.uid == n.uid) || offered.len() == MATCHES_OFFERED);
            }
        }
        assert!(by_name > 150 && by_number > 0, "{by_name} names, {by_number} numbers");
    }

    #[test]
    fn node_5_reads_fig_24s_list_with_every_entry_explained() {
        let (plan, _) = fig24();
        let lists = node_lists(&plan, "n5", &BTreeSet::new());
        assert_eq!(
            lists.iter().map(|l| l.key.name.as_str()).collect::<Vec<_>>(),
            ["registry", "web"]
        );
        let registry = &lists[0];
        assert_eq!(registry.number, 5);
        let addresses: Vec<&str> = registry.entries.iter().map(|e| e.address.as_str()).collect();
        assert_eq!(
            addresses,
            ["10.0.0.1", "10.0.1.9", "10.0.1.3", "10.0.1.7", "10.0.2.20", "10.0.2.12"]
        );
        assert_eq!(registry.entries.iter().map(|e| e.rank).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
        let first = &registry.entries[0];
        assert!(first.explanation.local);
        assert_eq!(first.server, Some((5, "node 5 (server 1)".to_owned())));
        let second = &registry.entries[1];
        assert_eq!((second.explanation.hops, second.explanation.group_size), (Some(1), 3));
        // The first pick from the group of three: k = 0, said as people count.
        assert_eq!(group_text(&second.explanation), "group m=3 · index 2 · k = 0 (1st pick)");
        assert_eq!(
            group_text(&registry.entries[3].explanation),
            "group m=3 · index 1 · k = 2 (3rd pick)"
        );
        assert!(
            second.explanation.formula.contains("((5 mod 3) + 0) mod 3 = 2"),
            "{}",
            second.explanation.formula
        );
        assert_eq!(second.server, Some((9, "server 9".to_owned())));
        let (_, doc) = fig24();
        assert_eq!(
            path_text(&plan, &doc, lists[1].path.as_ref().unwrap()),
            "path to the first choice: 10.0.0.0/24 → r1 → 10.0.1.0/24 → r2 → 10.0.2.0/24 (2 routers)"
        );
        assert_eq!(
            path_text(&plan, &doc, registry.path.as_ref().unwrap()),
            "path to the first choice: within 10.0.0.0/24"
        );
        let web: Vec<&str> = lists[1].entries.iter().map(|e| e.address.as_str()).collect();
        assert_eq!(web, ["10.0.2.20", "10.0.2.12"]);
    }

    #[test]
    fn with_its_first_choices_failed_the_node_is_served_by_the_next_one_up() {
        let (plan, _) = fig24();
        let set =
            |uids: &[&str]| uids.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<String>>();
        let registry = &node_lists(&plan, "n5", &BTreeSet::new())[0];
        assert!(registry.entries[0].serving && !registry.entries[0].down && !registry.unserved);
        // Node 6 lists 10.0.0.1 (n5), then 10.0.1.3, 10.0.1.7, 10.0.1.9 from index 6 mod 3 = 0;
        // with n5 and n3 failed, 10.0.1.7 (n7) serves it now.
        let registry = &node_lists(&plan, "n6", &set(&["n5", "n3"]))[0];
        let flags: Vec<(bool, bool)> =
            registry.entries.iter().map(|e| (e.down, e.serving)).collect();
        assert_eq!(
            flags,
            [
                (true, false),
                (true, false),
                (false, true),
                (false, false),
                (false, false),
                (false, false)
            ]
        );
        let (_, doc) = fig24();
        assert_eq!(
            list_path_text(&plan, &doc, registry).unwrap(),
            "path to the server serving it now: 10.0.0.0/24 → r1 → 10.0.1.0/24 (1 router)"
        );
        let registry = &node_lists(&plan, "n6", &set(&["n2", "n3", "n5", "n7", "n9", "n12"]))[0];
        assert!(registry.unserved && registry.entries.iter().all(|e| e.down && !e.serving));
        assert_eq!(registry.path, None);
        // Node 5 failed itself is no client: not "served by the next one up" (docs/spec.md §4).
        let registry = &node_lists(&plan, "n5", &set(&["n5"]))[0];
        assert!(registry.failed && !registry.unserved && registry.path.is_none());
        assert!(registry.entries.iter().all(|e| !e.serving));
    }

    #[test]
    fn an_unknown_node_has_no_lists() {
        let (plan, _) = fig24();
        assert!(node_lists(&plan, "nobody", &BTreeSet::new()).is_empty());
    }
}
