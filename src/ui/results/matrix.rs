//! The matrix: one row per client, one column per server, each cell the rank the client gives
//! the server. Rows are sortable and virtualised (only the rows in view are in the DOM), so a
//! 1,000-node service scrolls like a 10-node one. [`ranks`], [`sorted_rows`] and
//! [`visible_window`] are pure; [`MatrixView`] renders them.

use crate::model::view::{MatrixSort, MatrixSortKey, ViewAction};
use crate::ui::results::ServicePicker;
use crate::ui::results::{count, PlanRef};
use clusterplan_engine::plan::ServicePlan;
use clusterplan_engine::query;
use clusterplan_engine::sorting;
use clusterplan_engine::Plan;
use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::Range;
use yew::prelude::*;

/// Height of one row, in CSS pixels (the CSS uses the same number).
pub const ROW_HEIGHT: f64 = 24.0;
/// Height assumed for the scrolled area until it is measured, in CSS pixels.
pub const VIEWPORT_HEIGHT: f64 = 480.0;
/// Rows rendered beyond each edge of the viewport, so a fast scroll shows no gap.
pub const OVERSCAN: usize = 8;

/// `ranks(service)[list][server]`: the 1-based position of the server's first address in the
/// client's list (`None`: the server is not in the list).
pub fn ranks(service: &ServicePlan) -> Vec<Vec<Option<u32>>> {
    let mut entries = Vec::with_capacity(service.addresses.len());
    (0..service.lists.len())
        .map(|list| {
            service.lists.entries_into(list, &mut entries);
            let mut row = vec![None; service.servers.len()];
            for (position, entry) in entries.iter().enumerate() {
                if let Some(server) = service.addresses.get(entry.address()).and_then(|a| a.server)
                {
                    let cell = &mut row[server];
                    if cell.is_none() {
                        *cell = Some(position as u32 + 1);
                    }
                }
            }
            row
        })
        .collect()
}

/// The list indices in the order `sort` asks for; ties keep node-number order (the lists' own).
pub fn sorted_rows(
    plan: &Plan,
    service: &ServicePlan,
    ranks: &[Vec<Option<u32>>],
    sort: &MatrixSort,
) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..service.lists.len()).collect();
    let column = match &sort.key {
        MatrixSortKey::Server(uid) => service
            .servers
            .iter()
            .position(|s| plan.nodes.get(s.node).is_some_and(|n| &n.uid == uid)),
        _ => None,
    };
    let compare = |a: &usize, b: &usize| -> Ordering {
        match (&sort.key, column) {
            (MatrixSortKey::NodeNumber, _) => {
                service.lists[*a].number.cmp(&service.lists[*b].number)
            }
            (MatrixSortKey::NodeName, _) => {
                let name =
                    |l: usize| plan.nodes.get(service.lists[l].node).map(|n| n.name.as_str());
                name(*a).cmp(&name(*b))
            }
            // Unlisted (None) sorts after every rank, in both directions' base order.
            (MatrixSortKey::Server(_), Some(c)) => {
                let key = |l: usize| ranks[l][c].unwrap_or(u32::MAX);
                key(*a).cmp(&key(*b))
            }
            (MatrixSortKey::Server(_), None) => Ordering::Equal,
        }
    };
    sorting::sort_by(&mut rows, |a, b| {
        let order = compare(a, b);
        let order = if sort.descending { order.reverse() } else { order };
        order.then(a.cmp(b))
    });
    rows
}

/// The rows to render for a viewport of `viewport` pixels scrolled by `scroll_top`, with
/// `overscan` extra rows each side, clamped to `0..rows`.
pub fn visible_window(
    scroll_top: f64,
    viewport: f64,
    row_height: f64,
    rows: usize,
    overscan: usize,
) -> Range<usize> {
    if rows == 0 || row_height <= 0.0 {
        return 0..0;
    }
    let first = (scroll_top.max(0.0) / row_height).floor() as usize;
    let visible = (viewport.max(0.0) / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(rows);
    let end = (first + visible + overscan).min(rows);
    start..end
}

#[derive(Debug, Properties, PartialEq)]
pub struct MatrixViewProps {
    pub plan: PlanRef,
    pub service: usize,
    pub sort: MatrixSort,
    /// uid of the selected node (its row is highlighted).
    pub selected: Option<String>,
    /// Server nodes the user failed (their columns are dimmed).
    pub failed: BTreeSet<String>,
    pub on_view: Callback<ViewAction>,
    /// Select a node by uid.
    pub on_select: Callback<String>,
}

/// Clients x servers, sortable by any column, virtualised.
#[function_component(MatrixView)]
pub fn matrix_view(props: &MatrixViewProps) -> Html {
    let scroll_top = use_state(|| 0.0f64);
    // The scrolled area fills what the panel leaves it: measured after each render.
    let viewport = use_state(|| VIEWPORT_HEIGHT);
    let scroller = use_node_ref();
    {
        let (viewport, scroller) = (viewport.clone(), scroller.clone());
        use_effect(move || {
            if let Some(element) = scroller.cast::<web_sys::Element>() {
                let height = f64::from(element.client_height());
                if height > 0.0 && (height - *viewport).abs() >= 1.0 {
                    viewport.set(height);
                }
            }
        });
    }
    // Ranks and row order change with the plan or the sort, not with scrolling.
    let table =
        use_memo((props.plan.clone(), props.service, props.sort.clone()), |(plan, s, sort)| {
            plan.services.get(*s).map(|service| {
                let ranks = ranks(service);
                let rows = sorted_rows(plan, service, &ranks, sort);
                (ranks, rows)
            })
        });
    let (Some(service), Some((ranks, rows))) =
        (props.plan.services.get(props.service), table.as_ref())
    else {
        return html! { <p class="empty">{ "No service in the model." }</p> };
    };
    let plan = &props.plan;
    let window = visible_window(*scroll_top, *viewport, ROW_HEIGHT, rows.len(), OVERSCAN);
    let onscroll = {
        let scroll_top = scroll_top.clone();
        Callback::from(move |e: Event| {
            let element: web_sys::Element = e.target_unchecked_into();
            scroll_top.set(element.scroll_top() as f64);
        })
    };
    let columns = format!("4.5rem 10rem repeat({}, 3.2rem)", service.servers.len());
    let arrow = |key: &MatrixSortKey| {
        if &props.sort.key == key {
            if props.sort.descending {
                " ▼"
            } else {
                " ▲"
            }
        } else {
            ""
        }
    };
    // Down: failed by the user, or not online in the service's cluster (docs/spec.md §4).
    let failed = service.servers_by_uid(&plan.nodes, props.failed.iter().map(String::as_str));
    let down: Vec<bool> =
        (0..service.servers.len()).map(|i| query::is_down(service, &failed, i)).collect();
    let header_button = |key: MatrixSortKey, label: String, title: String, failed: bool| {
        let text = format!("{label}{}", arrow(&key));
        let sorted = props.sort.key == key;
        let onclick = props.on_view.reform(move |_| ViewAction::SortMatrix(key.clone()));
        html! {
            <button class={classes!("matrix-head", sorted.then_some("sorted"), failed.then_some("failed"))} data-testid="matrix-sort" {title} {onclick}>{ text }</button>
        }
    };
    html! {
        <div class="matrix-view" data-testid="matrix-view">
            <div class="view-head">
                <ServicePicker plan={props.plan.clone()} service={props.service} on_view={props.on_view.clone()} />
                <span class="hint" data-testid="matrix-count">
                    { format!("{} x {}; cell = the rank the client gives the server. Click a column to sort.", count(rows.len(), "client", "clients"), count(service.servers.len(), "server", "servers")) }
                </span>
            </div>
            <div class="matrix-scroll" data-testid="matrix-scroll" ref={scroller} {onscroll}>
                <div class="matrix-grid matrix-header" style={format!("grid-template-columns:{columns}")}>
                    { header_button(MatrixSortKey::NodeNumber, "node".into(), "sort by node number".into(), false) }
                    { header_button(MatrixSortKey::NodeName, "name".into(), "sort by name".into(), false) }
                    { for service.servers.iter().zip(&down).map(|(s, &failed)| {
                        let node = &plan.nodes[s.node];
                        header_button(MatrixSortKey::Server(node.uid.clone()), s.number.to_string(),
                            format!("server {} ({}): sort by the rank clients give it{}", s.number, node.name, if failed { " (down)" } else { "" }), failed)
                    }) }
                </div>
                <div class="matrix-spacer" style={format!("height:{}px", rows.len() as f64 * ROW_HEIGHT)}>
                    <div class="matrix-window" style={format!("transform:translateY({}px)", window.start as f64 * ROW_HEIGHT)}>
                    { for rows[window.clone()].iter().map(|&l| {
                        let list = &service.lists[l];
                        let node = &plan.nodes[list.node];
                        let uid = node.uid.clone();
                        let selected = props.selected.as_deref() == Some(uid.as_str());
                        let onclick = props.on_select.reform(move |_| uid.clone());
                        html! {
                            <div class={classes!("matrix-grid", "matrix-row", selected.then_some("selected"))}
                                style={format!("grid-template-columns:{columns}")}
                                data-testid="matrix-row" data-node-number={list.number.to_string()} {onclick}>
                                <span class="num">{ list.number }</span>
                                <span class="name" title={node.name.clone()}>{ node.name.clone() }</span>
                                { for ranks[l].iter().zip(&down).map(|(rank, &failed)| match rank {
                                    Some(r) => html! { <span class={classes!("cell", rank_class(*r), failed.then_some("failed"))}>{ r }</span> },
                                    None => html! { <span class="cell none">{ "·" }</span> },
                                }) }
                            </div>
                        }
                    }) }
                    </div>
                </div>
            </div>
            <p class="muted small" data-testid="matrix-window">
                { format!("rows {}-{} of {} in the page", window.start + usize::from(!window.is_empty()), window.end, rows.len()) }
            </p>
        </div>
    }
}

fn rank_class(rank: u32) -> &'static str {
    match rank {
        1 => "r1",
        2 => "r2",
        3 => "r3",
        _ => "rn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{fig24, service};

    #[test]
    fn each_cell_is_the_position_of_the_servers_address_in_the_clients_list() {
        let (plan, _) = fig24();
        let registry = &plan.services[service(&plan, "registry")];
        let numbers: Vec<u32> = registry.servers.iter().map(|s| s.number).collect();
        assert_eq!(numbers, [2, 3, 5, 7, 9, 12]);
        let n5 = registry.lists.clients().iter().position(|l| l.number == 5).unwrap();
        // FIG 24: node 5 lists 1, 9, 3, 7, 2, 12 (servers 5, 9, 3, 7, 2, 12).
        assert_eq!(ranks(registry)[n5], [Some(5), Some(3), Some(1), Some(4), Some(2), Some(6)]);
    }

    #[test]
    fn rows_sort_by_number_name_or_a_servers_rank_in_both_directions() {
        let (plan, _) = fig24();
        let registry = &plan.services[service(&plan, "registry")];
        let r = ranks(registry);
        let numbers =
            |rows: &[usize]| rows.iter().map(|&l| registry.lists[l].number).collect::<Vec<_>>();
        let sorted =
            |key, descending| sorted_rows(&plan, registry, &r, &MatrixSort { key, descending });
        assert_eq!(
            numbers(&sorted(MatrixSortKey::NodeNumber, false)),
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 12]
        );
        assert_eq!(
            numbers(&sorted(MatrixSortKey::NodeNumber, true)),
            [12, 9, 8, 7, 6, 5, 4, 3, 2, 1]
        );
        let names = |rows: &[usize]| -> Vec<String> {
            rows.iter().map(|&l| plan.nodes[registry.lists[l].node].name.clone()).collect()
        };
        let by_name = names(&sorted(MatrixSortKey::NodeName, false));
        let mut expected = by_name.clone();
        expected.sort();
        assert_eq!(by_name, expected);
        let column = 2; // server 5
        for descending in [false, true] {
            let rows = sorted(MatrixSortKey::Server("n5".into()), descending);
            let ranks: Vec<u32> = rows.iter().map(|&l| r[l][column].unwrap()).collect();
            let mut expected = ranks.clone();
            expected.sort();
            if descending {
                expected.reverse();
            }
            assert_eq!(ranks, expected);
            assert_eq!(ranks.len(), 10);
        }
        // The nodes of server 5's subnet rank it first (0 hops), ties in node-number order.
        let rows = sorted(MatrixSortKey::Server("n5".into()), false);
        assert_eq!(numbers(&rows[..5]), [1, 4, 5, 6, 8]);
    }

    #[test]
    fn the_window_covers_the_viewport_plus_overscan_and_stays_in_range() {
        assert_eq!(visible_window(0.0, 480.0, 24.0, 1000, 8), 0..29);
        assert_eq!(visible_window(2400.0, 480.0, 24.0, 1000, 8), 92..129);
        assert_eq!(visible_window(1e9, 480.0, 24.0, 1000, 8), 1000..1000);
        assert_eq!(visible_window(23_900.0, 480.0, 24.0, 1000, 8), 987..1000);
        assert_eq!(visible_window(0.0, 480.0, 24.0, 5, 8), 0..5);
        assert_eq!(visible_window(0.0, 480.0, 24.0, 0, 8), 0..0);
    }
}
