//! The inspector: a form for the selected item (every field of the document is editable here),
//! its diagnostics, and for a node the engine's ordered lists. With nothing selected it shows
//! the model's clusters, networks and services. Thin: every change is an [`EditAction`].

use crate::model::edit::{self, net, EditAction, ItemRef, RegistryOp};
use crate::model::state::{count, Action};
use crate::model::view::ViewAction;
use crate::ui::canvas::draw::Marks;
use crate::ui::fields::TextField;
use crate::ui::results::PlanRef;
use clusterplan_engine::document::{Cluster, Network, Node, Quorum, Router, Service, Subnet};
use clusterplan_engine::sorting;
use clusterplan_engine::{Document, Item};
use std::collections::BTreeSet;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, Debug)]
pub struct InspectorProps {
    pub doc: Rc<Document>,
    pub selection: Rc<Vec<ItemRef>>,
    pub plan: PlanRef,
    pub marks: Rc<Marks>,
    /// A read-only shared view: the fields show the model but are disabled.
    #[prop_or_default]
    pub read_only: bool,
    /// The routers (names) and subnets (prefixes) the user failed (the view's failure set).
    #[prop_or_default]
    pub failed_routers: BTreeSet<String>,
    #[prop_or_default]
    pub failed_subnets: BTreeSet<String>,
    pub dispatch: Callback<Action>,
}

impl PartialEq for InspectorProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &o.doc)
            && self.selection == o.selection
            && self.plan == o.plan
            && Rc::ptr_eq(&self.marks, &o.marks)
            && self.read_only == o.read_only
            && self.failed_routers == o.failed_routers
            && self.failed_subnets == o.failed_subnets
            && self.dispatch == o.dispatch
    }
}

/// Context shared by the forms.
struct Ctx<'a> {
    doc: &'a Document,
    /// The same document, shared (checks of typed values hold on to it).
    shared: &'a Rc<Document>,
    plan: &'a PlanRef,
    marks: &'a Marks,
    failed_routers: &'a BTreeSet<String>,
    failed_subnets: &'a BTreeSet<String>,
    d: &'a Callback<Action>,
}

impl Ctx<'_> {
    fn edit(&self, f: impl Fn(String) -> EditAction + 'static) -> Callback<String> {
        self.d.reform(move |v| Action::Edit(f(v)))
    }
    /// The edit a typed value makes, and the check a field runs before committing it: the edit
    /// tried on the document (pure), refused with the edit's own reason.
    fn checked(
        &self,
        f: impl Fn(String) -> Result<EditAction, edit::EditError> + 'static,
    ) -> (Callback<String>, Callback<String, Option<String>>) {
        let f = Rc::new(f);
        let (g, doc) = (f.clone(), self.shared.clone());
        let check = Callback::from(move |v: String| match g(v) {
            Ok(action) => edit::apply(&doc, &action).err().map(|e| e.0),
            Err(e) => Some(e.0),
        });
        let d = self.d.clone();
        let commit = Callback::from(move |v: String| match f(v) {
            Ok(action) => d.emit(Action::Edit(action)),
            Err(e) => d.emit(Action::Refused(e.0)),
        });
        (commit, check)
    }
    fn click(&self, a: Action) -> Callback<MouseEvent> {
        self.d.reform(move |_| a.clone())
    }
    /// The "Fail this router" / "Restore this subnet" toggle (docs/spec.md §2): a view of the
    /// plan, not an edit of the document.
    fn fail_toggle(&self, kind: &str, failed: bool, action: ViewAction) -> Html {
        let text = format!("{} this {kind}", if failed { "Restore" } else { "Fail" });
        html! {
            <p class="fail-toggle">
                <button data-testid={format!("insp-fail-{kind}")} aria-pressed={failed.to_string()}
                    onclick={self.click(Action::View(action))}>{ text }</button>
                if failed { <span class="hint">{ format!(" The plan is compiled without this {kind}.") }</span> }
            </p>
        }
    }
    fn diagnostics(&self, item: &ItemRef) -> Html {
        let Some(mark) = self.marks.get(item) else { return html! {} };
        html! {
            <ul class={classes!("diagnostics", mark.class())} data-testid="inspector-diagnostics">
                { for mark.messages.iter().map(|m| html! { <li>{ m.clone() }</li> }) }
            </ul>
        }
    }
}

fn on_select(
    f: impl Fn(String) -> Option<Action> + 'static,
    d: &Callback<Action>,
) -> Callback<Event> {
    let d = d.clone();
    Callback::from(move |e: Event| {
        if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
            if let Some(a) = f(select.value()) {
                d.emit(a);
            }
        }
    })
}

fn on_check(f: impl Fn(bool) -> Action + 'static, d: &Callback<Action>) -> Callback<Event> {
    let d = d.clone();
    Callback::from(move |e: Event| {
        if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
            d.emit(f(input.checked()));
        }
    })
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let ctx = Ctx {
        doc: &props.doc,
        shared: &props.doc,
        plan: &props.plan,
        marks: &props.marks,
        failed_routers: &props.failed_routers,
        failed_subnets: &props.failed_subnets,
        d: &props.dispatch,
    };
    let body = match props.selection.as_slice() {
        [] => overview(&ctx),
        [item] => item_form(&ctx, item),
        items => html! {
            <section>
                <h2>{ format!("{} items selected", items.len()) }</h2>
                <p class="hint">{ "Drag one of them to move them all; Delete removes them with their links." }</p>
                <div class="buttons">
                    <button data-testid="insp-duplicate" onclick={ctx.click(Action::DuplicateSelection)}>{ "Duplicate" }</button>
                    <button data-testid="insp-delete" class="danger" onclick={ctx.click(Action::DeleteSelection)}>{ "Delete" }</button>
                </div>
                <ul class="plain">{ for items.iter().map(|i| html! { <li>{ describe(i) }</li> }) }</ul>
            </section>
        },
    };
    if props.read_only {
        // Every field and button inside a disabled fieldset is disabled (shown, not editable).
        return html! {
            <aside class="inspector" data-testid="inspector" aria-label="inspector">
                <p class="hint" data-testid="inspector-read-only">{ "Read-only: open it in the editor to change it." }</p>
                <fieldset class="read-only" disabled=true>{ body }</fieldset>
            </aside>
        };
    }
    html! { <aside class="inspector" data-testid="inspector" aria-label="inspector">{ body }</aside> }
}

fn describe(item: &ItemRef) -> String {
    match item {
        ItemRef::Node(u) => format!("node {u}"),
        ItemRef::Subnet(p) => format!("subnet {p}"),
        ItemRef::Router(r) => format!("router {r}"),
        ItemRef::Cluster(c) => format!("cluster {c}"),
        ItemRef::Network(n) => format!("network {n}"),
        ItemRef::Service { cluster, name } => format!("service {name} of cluster {cluster}"),
        ItemRef::Interface { uid, address } => format!("interface {address} of node {uid}"),
        ItemRef::RouterLink { router, subnet } => format!("link of router {router} to {subnet}"),
    }
}

fn item_form(ctx: &Ctx, item: &ItemRef) -> Html {
    let doc = ctx.doc;
    let form = match item {
        ItemRef::Node(uid) => doc.nodes.iter().find(|n| &n.uid == uid).map(|n| node_form(ctx, n)),
        ItemRef::Subnet(p) => {
            doc.subnets.iter().find(|s| &s.prefix == p).map(|s| subnet_form(ctx, s))
        }
        ItemRef::Router(r) => {
            doc.routers.iter().find(|x| &x.name == r).map(|r| router_form(ctx, r))
        }
        ItemRef::Cluster(id) => {
            doc.clusters.iter().find(|c| &c.id == id).map(|c| cluster_form(ctx, c))
        }
        ItemRef::Network(n) => {
            doc.networks.iter().find(|x| &x.name == n).map(|n| network_form(ctx, n))
        }
        ItemRef::Service { cluster, name } => doc
            .services
            .iter()
            .find(|s| &s.cluster == cluster && &s.name == name)
            .map(|s| service_form(ctx, s)),
        ItemRef::Interface { uid, address } => Some({
            let (commit, check) = interface_edit(ctx, doc, uid, address);
            html! {
            <section data-testid="inspector-interface">
                <h2>{ "Interface" }</h2>
                <p>{ format!("Node {uid}, on subnet {}.", net::subnet_of(doc, address).unwrap_or("(none)")) }</p>
                <TextField label="address" value={address.clone()} testid="insp-interface-address"
                    on_commit={commit} {check} />
                <div class="buttons">
                    <button onclick={ctx.click(Action::Select(vec![ItemRef::Node(uid.clone())]))}>{ "Select the node" }</button>
                    <button class="danger" data-testid="insp-delete" onclick={ctx.click(Action::DeleteSelection)}>{ "Remove the interface" }</button>
                </div>
            </section>
            }
        }),
        ItemRef::RouterLink { router, subnet } => Some(html! {
            <section>
                <h2>{ "Router link" }</h2>
                <p>{ format!("Router {router} is attached to subnet {subnet}.") }</p>
                <div class="buttons">
                    <button class="danger" data-testid="insp-delete" onclick={ctx.click(Action::DeleteSelection)}>{ "Detach" }</button>
                </div>
            </section>
        }),
    };
    form.unwrap_or_else(|| overview(ctx))
}

/// Changes an interface's address (the edit renames the selected interface, so it stays
/// selected), checked before it is committed.
fn interface_edit(
    ctx: &Ctx,
    doc: &Document,
    uid: &str,
    address: &str,
) -> (Callback<String>, Callback<String, Option<String>>) {
    let index = doc
        .nodes
        .iter()
        .find(|n| n.uid == uid)
        .and_then(|n| n.addresses.iter().position(|a| a == address))
        .unwrap_or(0);
    let uid = uid.to_owned();
    ctx.checked(move |v| Ok(EditAction::SetAddress { uid: uid.clone(), index, address: v }))
}

fn item_buttons(ctx: &Ctx, duplicate: bool) -> Html {
    html! {
        <div class="buttons">
            if duplicate {
                <button data-testid="insp-duplicate" onclick={ctx.click(Action::DuplicateSelection)}>{ "Duplicate" }</button>
            }
            <button data-testid="insp-delete" class="danger" onclick={ctx.click(Action::DeleteSelection)}>{ "Delete" }</button>
        </div>
    }
}

fn node_form(ctx: &Ctx, n: &Node) -> Html {
    let (doc, d) = (ctx.doc, ctx.d);
    let uid = n.uid.clone();
    let index = net::SubnetIndex::new(doc);
    let interfaces = n.addresses.iter().enumerate().map(|(i, a)| {
        let (u, u2, a2) = (uid.clone(), uid.clone(), a.clone());
        let (commit, check) =
            ctx.checked(move |v| Ok(EditAction::SetAddress { uid: u.clone(), index: i, address: v }));
        let subnet = index.subnet_of(a).map_or_else(|| "no subnet".to_owned(), str::to_owned);
        html! {
            <div class="row">
                <TextField label={format!("interface {} ({subnet})", i + 1)} value={a.clone()}
                    testid={format!("insp-node-address-{i}")} on_commit={commit} {check} />
                <button class="icon" title="Remove this interface" data-testid={format!("insp-node-address-remove-{i}")}
                    onclick={ctx.click(Action::Edit(EditAction::RemoveAddress { uid: u2, address: a2 }))}>{ "×" }</button>
            </div>
        }
    });
    let attached: BTreeSet<&str> =
        sorting::btree_set(n.addresses.iter().filter_map(|a| index.subnet_of(a)));
    let free: Vec<&Subnet> =
        doc.subnets.iter().filter(|s| !attached.contains(s.prefix.as_str())).collect();
    let attach = {
        let u = uid.clone();
        on_select(
            move |prefix| {
                (!prefix.is_empty()).then(|| {
                    Action::Edit(EditAction::Link {
                        from: ItemRef::Node(u.clone()),
                        subnet: prefix,
                    })
                })
            },
            d,
        )
    };
    let mut cluster_ids: Vec<String> = doc.clusters.iter().map(|c| c.id.clone()).collect();
    for id in n.clusters.keys() {
        if !cluster_ids.contains(id) {
            cluster_ids.push(id.clone());
        }
    }
    let memberships = cluster_ids.iter().map(|id| {
        let number = n.clusters.get(id).copied();
        let cluster = doc.clusters.iter().find(|c| &c.id == id);
        let registry_pos = number.and_then(|num| cluster.and_then(|c| c.registry_servers.iter().position(|r| *r == num)));
        let (u1, u2, u3, c1, c2, c3) = (uid.clone(), uid.clone(), uid.clone(), id.clone(), id.clone(), id.clone());
        let next = edit::next_node_number(doc, id);
        let (number_commit, number_check) = ctx.checked(move |v| {
            Ok(EditAction::SetMembership {
                uid: u3.clone(),
                cluster: c3.clone(),
                number: Some(edit::parse_node_number(&v)?),
            })
        });
        let define = on_check(
            move |on| Action::Edit(EditAction::SetMembership { uid: u1.clone(), cluster: c1.clone(), number: on.then_some(next) }),
            d,
        );
        let online = on_check(
            move |on| Action::Edit(EditAction::SetOnline { uid: u2.clone(), cluster: on.then(|| c2.clone()) }),
            d,
        );
        let registry = number.map(|num| {
            let c = id.clone();
            on_check(
                move |on| {
                    let op = if on { RegistryOp::Add } else { RegistryOp::Remove };
                    Action::Edit(EditAction::RegistryServer { cluster: c.clone(), number: num, op })
                },
                d,
            )
        });
        html! {
            <fieldset class="membership" data-testid={format!("insp-node-membership-{id}")}>
                <legend>{ format!("cluster {id}") }{ cluster.map(|c| format!(" ({})", c.name)).unwrap_or_else(|| " (not defined)".into()) }</legend>
                <label class="check"><input type="checkbox" checked={number.is_some()} data-testid={format!("insp-node-cluster-{id}")} onchange={define} />{ "defined" }</label>
                if let Some(num) = number {
                    <TextField label="node number" kind="number" value={num.to_string()} testid={format!("insp-node-number-{id}")}
                        on_commit={number_commit} check={number_check} />
                    <label class="check"><input type="checkbox" checked={n.online.as_deref() == Some(id.as_str())}
                        data-testid={format!("insp-node-online-{id}")} onchange={online} />{ "online here (current cluster)" }</label>
                    <label class="check"><input type="checkbox" checked={registry_pos.is_some()}
                        data-testid={format!("insp-node-registry-{id}")} onchange={registry.unwrap_or_default()} />
                        { match registry_pos { Some(0) => "registry server (primary)".to_owned(), Some(i) => format!("registry server (#{})", i + 1), None => "registry server".to_owned() } }
                    </label>
                }
            </fieldset>
        }
    });
    let (u1, u2) = (uid.clone(), uid.clone());
    html! {
        <section data-testid="inspector-node">
            <h2>{ "Node" }</h2>
            { ctx.diagnostics(&ItemRef::Node(uid.clone())) }
            <TextField label="name" value={n.name.clone()} testid="insp-node-name"
                on_commit={ctx.edit(move |v| EditAction::SetNodeName { uid: u1.clone(), name: v })} />
            <TextField label="unique id (UID)" value={n.uid.clone()} testid="insp-node-uid"
                on_commit={ctx.edit(move |v| EditAction::RenameNode { uid: u2.clone(), new_uid: v })} />
            <h3>{ "Interfaces" }</h3>
            { for interfaces }
            if !free.is_empty() {
                <label class="field">
                    <span class="field-label">{ "attach to subnet (next free address)" }</span>
                    <select data-testid="insp-node-attach" onchange={attach}>
                        <option value="" selected=true>{ "choose a subnet…" }</option>
                        { for free.iter().map(|s| html! { <option value={s.prefix.clone()}>{ format!("{} ({})", s.prefix, s.network) }</option> }) }
                    </select>
                </label>
            }
            <h3>{ "Clusters" }</h3>
            if cluster_ids.is_empty() { <p class="hint">{ "No cluster yet: add one with + Cluster." }</p> }
            { for memberships }
            { node_lists(ctx, &n.uid) }
            { item_buttons(ctx, true) }
        </section>
    }
}

/// The engine's ordered list of each service the node is a client of.
fn node_lists(ctx: &Ctx, uid: &str) -> Html {
    let plan = ctx.plan;
    let Some(node) = plan.nodes.iter().position(|n| n.uid == uid) else { return html! {} };
    let lists: Vec<Html> = plan
        .services
        .iter()
        .filter_map(|s| {
            let list = s.list_for_node(node)?;
            let addresses: Vec<String> = list.entries.iter().map(|e| s.addresses[e.address()].ip.to_string()).collect();
            Some(html! {
                <li data-testid={format!("node-list-{}-{}", s.cluster, s.service)}>
                    <span class="list-name">{ format!("{} (cluster {}), node {}:", s.service, s.cluster, list.number) }</span>
                    <span class="list-addresses" data-testid={format!("node-list-addresses-{}-{}", s.cluster, s.service)}>{ addresses.join(", ") }</span>
                </li>
            })
        })
        .collect();
    if lists.is_empty() {
        return html! { <p class="hint">{ "This node is a client of no service (it must be online in a cluster with services)." }</p> };
    }
    html! {
        <>
            <h3>{ "Ordered service lists" }</h3>
            <ol class="node-lists" data-testid="inspector-node-lists">{ for lists }</ol>
        </>
    }
}

fn subnet_form(ctx: &Ctx, s: &Subnet) -> Html {
    let (doc, d) = (ctx.doc, ctx.d);
    let prefix = s.prefix.clone();
    let p1 = prefix.clone();
    let p2 = prefix.clone();
    let (prefix_commit, prefix_check) =
        ctx.checked(move |v| Ok(EditAction::SetSubnetPrefix { prefix: p1.clone(), new_prefix: v }));
    let known = doc.networks.iter().any(|n| n.name == s.network);
    let network = on_select(
        move |v| {
            Some(Action::Edit(EditAction::SetSubnetNetwork { prefix: p2.clone(), network: v }))
        },
        d,
    );
    let index = net::SubnetIndex::new(doc);
    let members = doc
        .nodes
        .iter()
        .filter(|n| n.addresses.iter().any(|a| index.subnet_of(a) == Some(prefix.as_str())))
        .count();
    let routers = index.routers_of(&prefix);
    html! {
        <section data-testid="inspector-subnet">
            <h2>{ "Subnet" }</h2>
            { ctx.diagnostics(&ItemRef::Subnet(prefix.clone())) }
            { ctx.fail_toggle("subnet", ctx.failed_subnets.contains(&prefix), ViewAction::ToggleFailedSubnet(prefix.clone())) }
            <TextField label="prefix (CIDR)" value={s.prefix.clone()} testid="insp-subnet-prefix"
                on_commit={prefix_commit} check={prefix_check} />
            <label class="field">
                <span class="field-label">{ "network" }</span>
                <select data-testid="insp-subnet-network" onchange={network}>
                    if !known { <option value={s.network.clone()} selected=true>{ format!("{} (not defined)", s.network) }</option> }
                    { for doc.networks.iter().map(|n| html! { <option value={n.name.clone()} selected={n.name == s.network}>{ n.name.clone() }</option> }) }
                </select>
            </label>
            <p class="hint" data-testid="insp-subnet-summary">{ format!("{} attached; {}.", count(members, "node", "nodes"),
                if routers.is_empty() { "no router".to_owned() } else { format!("{}: {}", if routers.len() == 1 { "router" } else { "routers" }, routers.join(", ")) }) }</p>
            { item_buttons(ctx, true) }
        </section>
    }
}

fn router_form(ctx: &Ctx, r: &Router) -> Html {
    let (doc, d) = (ctx.doc, ctx.d);
    let name = r.name.clone();
    let n1 = name.clone();
    let rows = doc.subnets.iter().map(|s| {
        let (router, subnet) = (name.clone(), s.prefix.clone());
        let change = on_check(
            move |on| Action::Edit(EditAction::SetRouterLink { router: router.clone(), subnet: subnet.clone(), on }),
            d,
        );
        html! {
            <label class="check">
                <input type="checkbox" checked={r.subnets.contains(&s.prefix)} data-testid={format!("insp-router-subnet-{}", s.prefix)} onchange={change} />
                { format!("{} ({})", s.prefix, s.network) }
            </label>
        }
    });
    html! {
        <section data-testid="inspector-router">
            <h2>{ "Router" }</h2>
            { ctx.diagnostics(&ItemRef::Router(name.clone())) }
            { ctx.fail_toggle("router", ctx.failed_routers.contains(&name), ViewAction::ToggleFailedRouter(name.clone())) }
            <TextField label="name" value={r.name.clone()} testid="insp-router-name"
                on_commit={ctx.edit(move |v| EditAction::RenameRouter { name: n1.clone(), new_name: v })} />
            <h3>{ "Attached subnets" }</h3>
            if doc.subnets.is_empty() { <p class="hint">{ "No subnet yet." }</p> }
            { for rows }
            { item_buttons(ctx, true) }
        </section>
    }
}

/// The cluster's quorum rule (docs/lifecycle.md, "Under faults"), with what it changes.
fn quorum_field(ctx: &Ctx, c: &Cluster) -> Html {
    let id = c.id.clone();
    let quorum = c.quorum();
    let change = on_select(
        move |v| {
            let quorum = match v.as_str() {
                "majority" => Quorum::Majority,
                _ => Quorum::None,
            };
            Some(Action::Edit(EditAction::SetClusterQuorum { id: id.clone(), quorum }))
        },
        ctx.d,
    );
    let what = match quorum {
        Quorum::None => "When the network splits, every part of the registry serves and takes writes: a merge can lose one side's writes (the source's rule).",
        Quorum::Majority => "When the network splits, only a part holding more than half of the registry servers serves; the others wait, so no write is lost.",
    };
    html! {
        <>
            <label class="field">
                <span class="field-label">{ "quorum" }</span>
                <select data-testid="insp-cluster-quorum" onchange={change}>
                    <option value="none" selected={quorum == Quorum::None}>{ "none (the source's rule)" }</option>
                    <option value="majority" selected={quorum == Quorum::Majority}>{ "majority" }</option>
                </select>
            </label>
            <p class="hint" data-testid="insp-cluster-quorum-hint">{ what }</p>
        </>
    }
}

fn cluster_form(ctx: &Ctx, c: &Cluster) -> Html {
    let (doc, d) = (ctx.doc, ctx.d);
    let id = c.id.clone();
    let (i1, i2) = (id.clone(), id.clone());
    let node_of = |num: u32| doc.nodes.iter().find(|n| n.clusters.get(&id) == Some(&num));
    let servers = c.registry_servers.iter().enumerate().map(|(i, &num)| {
        let op = |op| ctx.click(Action::Edit(EditAction::RegistryServer { cluster: id.clone(), number: num, op }));
        let who = node_of(num).map_or_else(|| "no such node".to_owned(), |n| n.label());
        html! {
            <li data-testid={format!("insp-registry-{num}")}>
                <span>{ format!("{num}: {who}") }{ if i == 0 { " — primary" } else { "" } }</span>
                <span class="row-buttons">
                    <button class="icon" title="Make primary" aria-label={format!("make {num} primary")} disabled={i == 0} onclick={op(RegistryOp::MakePrimary)}>{ "★" }</button>
                    <button class="icon" title="Up" aria-label={format!("move {num} up")} disabled={i == 0} onclick={op(RegistryOp::Up)}>{ "↑" }</button>
                    <button class="icon" title="Down" aria-label={format!("move {num} down")} disabled={i + 1 == c.registry_servers.len()} onclick={op(RegistryOp::Down)}>{ "↓" }</button>
                    <button class="icon" title="Remove" aria-label={format!("remove {num}")} onclick={op(RegistryOp::Remove)}>{ "×" }</button>
                </span>
            </li>
        }
    });
    let mut members: Vec<(u32, &Node)> =
        doc.nodes.iter().filter_map(|n| n.clusters.get(&id).map(|num| (*num, n))).collect();
    sorting::sort_by_key(&mut members, |(num, _)| *num);
    let candidates: Vec<&(u32, &Node)> =
        members.iter().filter(|(num, _)| !c.registry_servers.contains(num)).collect();
    let add = {
        let id = id.clone();
        on_select(
            move |v| {
                v.parse().ok().map(|number| {
                    Action::Edit(EditAction::RegistryServer {
                        cluster: id.clone(),
                        number,
                        op: RegistryOp::Add,
                    })
                })
            },
            d,
        )
    };
    let services: Vec<&Service> = doc.services.iter().filter(|s| s.cluster == id).collect();
    html! {
        <section data-testid="inspector-cluster">
            <h2>{ "Cluster" }</h2>
            { ctx.diagnostics(&ItemRef::Cluster(id.clone())) }
            <TextField label="id" value={c.id.clone()} testid="insp-cluster-id"
                on_commit={ctx.edit(move |v| EditAction::RenameCluster { id: i1.clone(), new_id: v })} />
            <TextField label="name" value={c.name.clone()} testid="insp-cluster-name"
                on_commit={ctx.edit(move |v| EditAction::SetClusterName { id: i2.clone(), name: v })} />
            { quorum_field(ctx, c) }
            <h3>{ "Registry servers (primary first)" }</h3>
            <ol class="registry">{ for servers }</ol>
            if !candidates.is_empty() {
                <select data-testid="insp-cluster-add-registry" aria-label="add a registry server" onchange={add}>
                    <option value="" selected=true>{ "add a registry server…" }</option>
                    { for candidates.iter().map(|(num, n)| html! { <option value={num.to_string()}>{ format!("{num}: {}", n.name) }</option> }) }
                </select>
            }
            <h3>{ format!("Nodes ({})", members.len()) }</h3>
            <ul class="plain members">
                { for members.iter().take(50).map(|(num, n)| {
                    let select = ctx.click(Action::Select(vec![ItemRef::Node(n.uid.clone())]));
                    html! { <li><button class="link-button" onclick={select}>{ format!("{num}: {}", n.name) }{ if n.online.as_deref() == Some(id.as_str()) { "" } else { " (not online here)" } }</button></li> }
                }) }
                if members.len() > 50 { <li>{ format!("… and {} more", members.len() - 50) }</li> }
            </ul>
            <h3>{ "Services" }</h3>
            <ul class="plain">
                { for services.iter().map(|s| {
                    let select = ctx.click(Action::Select(vec![ItemRef::Service { cluster: s.cluster.clone(), name: s.name.clone() }]));
                    html! { <li><button class="link-button" onclick={select}>{ format!("{} ({})", s.name, count(s.addresses.len(), "address", "addresses")) }</button></li> }
                }) }
            </ul>
            <button data-testid="insp-cluster-add-service" onclick={ctx.click(Action::Edit(EditAction::AddService { cluster: Some(id.clone()) }))}>{ "+ Service" }</button>
            { item_buttons(ctx, false) }
        </section>
    }
}

/// Names of every service of the document, and every service named in a routing table.
fn service_names(doc: &Document) -> BTreeSet<String> {
    sorting::btree_set(
        doc.services
            .iter()
            .map(|s| s.name.clone())
            .chain(doc.networks.iter().flat_map(|n| n.priorities.keys().cloned())),
    )
}

fn parse_priority(v: &str) -> Option<i64> {
    v.trim().parse().ok()
}

fn network_form(ctx: &Ctx, n: &Network) -> Html {
    let name = n.name.clone();
    let n1 = name.clone();
    let rows = service_names(ctx.doc).into_iter().map(|service| {
        let value = n.priorities.get(&service).map(|p| p.to_string()).unwrap_or_default();
        let (network, s) = (name.clone(), service.clone());
        html! {
            <TextField label={format!("priority of {service}")} kind="number" value={value} placeholder="none"
                testid={format!("insp-priority-{service}")}
                on_commit={ctx.edit(move |v| EditAction::SetPriority { network: network.clone(), service: s.clone(), priority: parse_priority(&v) })} />
        }
    });
    html! {
        <section data-testid="inspector-network">
            <h2>{ "Network" }</h2>
            { ctx.diagnostics(&ItemRef::Network(name.clone())) }
            <TextField label="name" value={n.name.clone()} testid="insp-network-name"
                on_commit={ctx.edit(move |v| EditAction::RenameNetwork { name: n1.clone(), new_name: v })} />
            <h3>{ "Service routing table (higher is preferred; empty = no priority)" }</h3>
            { for rows }
            <p class="hint">{ format!("Subnets on it: {}.", ctx.doc.subnets.iter().filter(|s| s.network == n.name).count()) }</p>
            { item_buttons(ctx, false) }
        </section>
    }
}

fn service_form(ctx: &Ctx, s: &Service) -> Html {
    let (doc, d) = (ctx.doc, ctx.d);
    let (cluster, name) = (s.cluster.clone(), s.name.clone());
    let (c1, n1, c2, n2) = (cluster.clone(), name.clone(), cluster.clone(), name.clone());
    let move_to = on_select(
        move |v| {
            Some(Action::Edit(EditAction::SetServiceCluster {
                cluster: c2.clone(),
                name: n2.clone(),
                new_cluster: v,
            }))
        },
        d,
    );
    // Every address of the nodes defined to the cluster, and those the service has already.
    let mut choices: Vec<(String, String)> = doc
        .nodes
        .iter()
        .filter_map(|n| n.clusters.get(&cluster).map(|num| (n, *num)))
        .flat_map(|(n, num)| {
            n.addresses.iter().map(move |a| (a.clone(), format!("number {num}, {}", n.label())))
        })
        .collect();
    for a in &s.addresses {
        if !choices.iter().any(|(x, _)| x == a) {
            choices.push((a.clone(), "not an address of this cluster's nodes".into()));
        }
    }
    sorting::sort_by(&mut choices, |a, b| net::address_order(&a.0, &b.0));
    let rows = choices.iter().map(|(a, who)| {
        let (c, n, addr) = (cluster.clone(), name.clone(), a.clone());
        let change = on_check(
            move |on| Action::Edit(EditAction::SetServiceAddress { cluster: c.clone(), name: n.clone(), address: addr.clone(), on }),
            d,
        );
        html! {
            <label class="check">
                <input type="checkbox" checked={s.addresses.contains(a)} data-testid={format!("insp-service-address-{a}")} onchange={change} />
                { format!("{a} — {who}") }
            </label>
        }
    });
    let priorities = doc.networks.iter().map(|net| {
        let value = net.priorities.get(&s.name).map(|p| p.to_string()).unwrap_or_default();
        let (network, service) = (net.name.clone(), s.name.clone());
        html! {
            <TextField label={format!("priority on network {}", net.name)} kind="number" value={value} placeholder="none"
                testid={format!("insp-service-priority-{}", net.name)}
                on_commit={ctx.edit(move |v| EditAction::SetPriority { network: network.clone(), service: service.clone(), priority: parse_priority(&v) })} />
        }
    });
    let mut clusters: Vec<&str> = doc.clusters.iter().map(|c| c.id.as_str()).collect();
    if !clusters.contains(&cluster.as_str()) {
        clusters.push(&cluster);
    }
    html! {
        <section data-testid="inspector-service">
            <h2>{ "Service" }</h2>
            { ctx.diagnostics(&ItemRef::Service { cluster: cluster.clone(), name: name.clone() }) }
            <TextField label="name" value={s.name.clone()} testid="insp-service-name"
                on_commit={ctx.edit(move |v| EditAction::RenameService { cluster: c1.clone(), name: n1.clone(), new_name: v })} />
            <label class="field">
                <span class="field-label">{ "cluster" }</span>
                <select data-testid="insp-service-cluster" onchange={move_to}>
                    { for clusters.iter().map(|c| html! { <option value={c.to_string()} selected={*c == cluster}>{ c.to_string() }</option> }) }
                </select>
            </label>
            <h3>{ "Published at (server addresses)" }</h3>
            if choices.is_empty() { <p class="hint">{ "No node of this cluster has an address yet." }</p> }
            { for rows }
            <button data-testid="insp-service-fill-registry" title="The addresses of the cluster's registry server nodes, primary first"
                onclick={ctx.click(Action::Edit(EditAction::FillFromRegistry { cluster: cluster.clone(), name: name.clone() }))}>
                { "Use the registry server nodes' addresses" }
            </button>
            <h3>{ "Priority per network" }</h3>
            { for priorities }
            { item_buttons(ctx, false) }
        </section>
    }
}

/// Lists shown in the overview at most (the results' matrix shows any number).
const OVERVIEW_LISTS: usize = 120;

/// Every client's ordered list, as text (small models only).
fn all_lists(ctx: &Ctx) -> Html {
    let plan = ctx.plan;
    let total: usize = plan.services.iter().map(|s| s.lists.len()).sum();
    if total == 0 {
        return html! {};
    }
    if total > OVERVIEW_LISTS {
        return html! { <p class="hint">{ format!("{total} ordered lists: select a node, or see the results' matrix.") }</p> };
    }
    let services = plan.services.iter().map(|service| {
        let items = service.lists.iter().map(|list| {
            let node = &plan.nodes[list.node];
            let addresses: Vec<String> =
                list.entries.iter().map(|e| service.addresses[e.address()].ip.to_string()).collect();
            let select = ctx.click(Action::Select(vec![ItemRef::Node(node.uid.clone())]));
            html! {
                <li class="client-list" data-testid="client-list" data-service={service.service.clone()}
                    data-cluster={service.cluster.clone()} data-node-number={list.number.to_string()}
                    data-addresses={addresses.join(",")}>
                    <button class="link-button" onclick={select}>
                        <span class="node-number">{ list.number }</span>
                        <span class="addresses">{ addresses.join(", ") }</span>
                    </button>
                </li>
            }
        });
        html! {
            <>
                <h4>{ format!("{} (cluster {})", service.service, service.cluster) }</h4>
                <ol class="client-lists plain">{ for items }</ol>
            </>
        }
    });
    html! {
        <>
            <h3>{ "Ordered lists (node number: addresses)" }</h3>
            { for services }
        </>
    }
}

fn overview(ctx: &Ctx) -> Html {
    let doc = ctx.doc;
    let document_diagnostics: Vec<&str> = ctx
        .plan
        .diagnostics
        .iter()
        .filter(|d| matches!(d.item, Item::Document | Item::Address { node: None, .. }))
        .map(|d| d.message.as_str())
        .collect();
    let pick = |item: ItemRef| ctx.click(Action::Select(vec![item]));
    let mark = |item: &ItemRef| {
        ctx.marks.get(item).map(|m| html! { <span class={classes!("dot", m.class())} title={m.messages.join("\n")}>{ "!" }</span> })
    };
    html! {
        <section data-testid="inspector-overview">
            <h2>{ "Model" }</h2>
            <p class="hint">{ format!("{}, {}, {}. Select an item on the canvas to edit it.", count(doc.nodes.len(), "node", "nodes"), count(doc.subnets.len(), "subnet", "subnets"), count(doc.routers.len(), "router", "routers")) }</p>
            <TextField label="Description" rows={3} value={crate::model::edit::description(doc).to_owned()} testid="model-description"
                placeholder="A sentence about this model, for whoever opens it"
                on_commit={ctx.edit(EditAction::SetDescription)} />
            if !document_diagnostics.is_empty() {
                <ul class="diagnostics">{ for document_diagnostics.iter().map(|m| html! { <li>{ m.to_string() }</li> }) }</ul>
            }
            <h3>{ "Clusters" }</h3>
            <ul class="plain overview-list">
                { for doc.clusters.iter().enumerate().map(|(i, c)| {
                    let item = ItemRef::Cluster(c.id.clone());
                    let colour = crate::model::theme::cluster_var(i);
                    html! { <li><button class="link-button" data-testid={format!("overview-cluster-{}", c.id)} onclick={pick(item.clone())}>
                        <span class="swatch" style={format!("background:{colour}")}></span>{ format!("{} — {}", c.id, c.name) }</button>{ mark(&item) }</li> }
                }) }
            </ul>
            <button data-testid="overview-add-cluster" onclick={ctx.click(Action::Edit(EditAction::AddCluster))}>{ "+ Cluster" }</button>
            <h3>{ "Networks" }</h3>
            <ul class="plain overview-list">
                { for doc.networks.iter().enumerate().map(|(i, n)| {
                    let item = ItemRef::Network(n.name.clone());
                    let colour = crate::model::theme::network_var(i);
                    html! { <li><button class="link-button" data-testid={format!("overview-network-{}", n.name)} onclick={pick(item.clone())}>
                        <span class="swatch" style={format!("background:{colour}")}></span>{ n.name.clone() }</button>{ mark(&item) }</li> }
                }) }
            </ul>
            <button data-testid="overview-add-network" onclick={ctx.click(Action::Edit(EditAction::AddNetwork))}>{ "+ Network" }</button>
            <h3>{ "Services" }</h3>
            <ul class="plain overview-list">
                { for doc.services.iter().map(|s| {
                    let item = ItemRef::Service { cluster: s.cluster.clone(), name: s.name.clone() };
                    html! { <li><button class="link-button" data-testid={format!("overview-service-{}-{}", s.cluster, s.name)} onclick={pick(item.clone())}>
                        { format!("{} (cluster {}, {})", s.name, s.cluster, count(s.addresses.len(), "address", "addresses")) }</button>{ mark(&item) }</li> }
                }) }
            </ul>
            <button data-testid="overview-add-service" onclick={ctx.click(Action::Edit(EditAction::AddService { cluster: None }))}>{ "+ Service" }</button>
            { all_lists(ctx) }
        </section>
    }
}
