//! The Hops tab (docs/spec.md §2): the subnet x subnet hop matrix as a table a screen reader
//! reads (its headers the subnets' prefixes, the routers crossed on hover), and the selected
//! node's distance to every server address. The data is [`crate::model::hops`]'s.

use crate::model::hops::{distance_rows, hop_table, MATRIX_UPTO};
use crate::ui::results::{DocRef, PlanRef};
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Debug, Properties, PartialEq)]
pub struct HopsViewProps {
    pub plan: PlanRef,
    /// The document the plan was compiled from (its routers name the paths' steps).
    pub document: DocRef,
    /// The uid of the selected node, if any.
    pub selected: Option<String>,
    /// The subnets the user failed (marked in the headers).
    pub failed_subnets: BTreeSet<String>,
}

/// The hop matrix and the selected node's distances.
#[function_component(HopsView)]
pub fn hops_view(props: &HopsViewProps) -> Html {
    let table =
        use_memo((props.plan.clone(), props.document.clone()), |(plan, doc)| hop_table(plan, doc));
    let header = |prefix: &String| {
        if props.failed_subnets.contains(prefix) {
            format!("{prefix} (failed)")
        } else {
            prefix.clone()
        }
    };
    let matrix = match table.as_ref() {
        Some(table) if table.subnets.is_empty() => {
            html! { <p class="empty">{ "The model has no subnet yet." }</p> }
        }
        Some(table) => html! {
            <table class="hops-matrix" data-testid="hops-matrix">
                <caption>{ "Router hops from each subnet (rows) to each subnet (columns); hover a cell for the routers crossed." }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "from \\ to" }</th>
                        { for table.subnets.iter().map(|s| html! { <th scope="col">{ header(s) }</th> }) }
                    </tr>
                </thead>
                <tbody>
                { for table.subnets.iter().zip(&table.rows).map(|(s, row)| html! {
                    <tr>
                        <th scope="row">{ header(s) }</th>
                        { for row.iter().map(|c| html! {
                            <td class={classes!(c.unreachable.then_some("unreachable"))} title={c.title.clone()}>{ c.text.clone() }</td>
                        }) }
                    </tr>
                }) }
                </tbody>
            </table>
        },
        None => html! {
            <p class="note" data-testid="hops-too-large">
                { format!("The model has more than {MATRIX_UPTO} subnets: the matrix is not shown. Select a node to see its distance to every server address.") }
            </p>
        },
    };
    let distances = props.selected.as_deref().and_then(|uid| {
        let rows = distance_rows(&props.plan, uid)?;
        let name = props
            .plan
            .node_by_uid(uid)
            .and_then(|n| props.plan.nodes.get(n))
            .map(|n| super::node_name(n).to_owned())
            .unwrap_or_default();
        Some(html! {
            <table class="hops-distances" data-testid="hops-distances">
                <caption>{ format!("Distance of {name} to every server address") }</caption>
                <thead><tr><th scope="col">{ "service" }</th><th scope="col">{ "address" }</th><th scope="col">{ "hops" }</th></tr></thead>
                <tbody>
                { for rows.iter().map(|r| html! {
                    <tr>
                        <td>{ r.service.clone() }</td>
                        <td>{ r.address.clone() }</td>
                        <td class={classes!(r.unreachable.then_some("unreachable"))}>{ r.text.clone() }</td>
                    </tr>
                }) }
                </tbody>
            </table>
        })
    });
    html! {
        // (Focusable: a keyboard reaches the tables to scroll them; they hold no control.)
        <div class="hops-view" role="region" aria-label="hop distances" tabindex="0">
            { matrix }
            { distances.unwrap_or_else(|| html! { <p class="hint">{ "Select a node to see its distance to every server address." }</p> }) }
        </div>
    }
}
