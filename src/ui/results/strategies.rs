//! The strategies side by side (docs/spec.md §7): for every service, the engine's comparison of
//! `rotation` (the source's rule, the reference), `spread`, `rendezvous` and `shuffle` on the
//! same model: first-choice balance, the worst single failure, and the clients moved when a
//! server is removed or added. [`lowest`] is pure; [`StrategiesView`] renders the engine's
//! reports and lets the user compile with any of them.

use crate::model::view::ViewAction;
use crate::ui::results::{count, DocRef, PlanRef};
use clusterplan_engine::compare::{ServiceReport, StrategyReport};
use clusterplan_engine::query;
use clusterplan_engine::text::{ratio, NONE};
use clusterplan_engine::{compare, Plan, Strategy};
use std::rc::Rc;
use std::time::Duration;
use yew::prelude::*;

/// Which values are the lowest of the column (the best: every figure here is a cost). `None`
/// (not applicable) is never the best; ties are all marked.
pub fn lowest(values: &[Option<f64>]) -> Vec<bool> {
    let min = values.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    values.iter().map(|v| v.is_some_and(|v| (v - min).abs() < 1e-9)).collect()
}

/// The figures of one service under each strategy, in the reports' order.
pub fn service_rows(reports: &[StrategyReport], service: usize) -> Vec<(Strategy, &ServiceReport)> {
    reports.iter().filter_map(|r| r.services.get(service).map(|s| (r.strategy, s))).collect()
}

/// Clients of service `service` whose first choice a strategy can change: the engine's
/// [`query::first_choices_from_groups`].
pub fn first_choices_from_groups(plan: &Plan, service: usize) -> usize {
    plan.services.get(service).map_or(0, query::first_choices_from_groups)
}

/// When every strategy gives a service the same figures (first choice, worst single failure,
/// removal), a note saying why, from docs/spec.md §7; `None` when they differ. `from_groups`: see
/// [`first_choices_from_groups`].
pub fn agreement_note(rows: &[(Strategy, &ServiceReport)], from_groups: usize) -> Option<String> {
    let (_, first) = rows.first()?;
    let same = |r: &ServiceReport| {
        r.max_first_choice == first.max_first_choice
            && r.balance_first_choice == first.balance_first_choice
            && r.worst_single_failure == first.worst_single_failure
            && r.worst_failure_pair == first.worst_failure_pair
            && r.balance_worst_failure == first.balance_worst_failure
            && r.removal == first.removal
    };
    if rows.len() < 2 || !rows.iter().all(|(_, r)| same(r)) {
        return None;
    }
    let why = if from_groups == 0 {
        "here no client's first choice comes from such a group (each is the client's own address \
         or the only one at its nearest distance), so first-choice load cannot differ. They do \
         order the rest of the lists differently, which decides where clients go when a server \
         fails: on this model not enough to change these figures."
            .to_owned()
    } else {
        format!(
            "{} pick their first choice from such a group here, and the orders differ in where \
             clients go when a server fails, but on this model that changes none of these figures.",
            crate::ui::results::count(from_groups, "client", "clients")
        )
    };
    let addition = if rows.iter().all(|(_, r)| r.addition == first.addition) {
        ""
    } else {
        " Only an added server (a new group member) makes them differ."
    };
    Some(format!(
        "Every strategy gives the same figures. They reorder only inside groups of two or more \
         equidistant, non-local addresses (docs/spec.md §7); {why}{addition}"
    ))
}

#[derive(Debug, Properties, PartialEq)]
pub struct StrategiesViewProps {
    /// The plan in use (same services as the comparison), for why the strategies may agree.
    pub plan: PlanRef,
    pub document: DocRef,
    pub seed: u64,
    /// The strategy the plan is compiled with.
    pub current: Strategy,
    pub on_view: Callback<ViewAction>,
}

/// One table per service, one row per strategy; the lowest cost of each column in green.
#[function_component(StrategiesView)]
pub fn strategies_view(props: &StrategiesViewProps) -> Html {
    // The comparison compiles the model four times and replays every server's removal: on a
    // big model it takes a while. It runs only while this tab is shown, again only when the
    // document or the seed changes, and after the tab has painted (it says it is comparing).
    let key = (props.document.clone(), props.seed);
    let done = use_state(|| None::<((DocRef, u64), Rc<Vec<StrategyReport>>)>);
    let latest = use_mut_ref(|| key.clone());
    {
        let (done, latest) = (done.clone(), latest.clone());
        use_effect_with(key.clone(), move |key| {
            *latest.borrow_mut() = key.clone();
            let key = key.clone();
            yew::platform::spawn_local(async move {
                yew::platform::time::sleep(Duration::from_millis(20)).await;
                if *latest.borrow() != key {
                    return; // superseded before it started
                }
                let reports = compare(&key.0, key.1);
                if *latest.borrow() == key {
                    done.set(Some((key, Rc::new(reports))));
                }
            });
        });
    }
    let reports: Option<Rc<Vec<StrategyReport>>> =
        done.as_ref().filter(|(k, _)| *k == key).map(|(_, r)| r.clone());
    let comparing = reports.is_none();
    let reports = reports.unwrap_or_default();
    let services = reports.first().map_or(0, |r| r.services.len());
    html! {
        <div class="strategies-view" data-testid="strategies-view">
            <div class="view-head">
                <span class="hint">
                    { "Each strategy reorders only the groups of equidistant addresses (tiers, local-first and hops stay). \
                       Lower is better in every column; rotation, the source's rule, is the reference. Click a row to use it." }
                </span>
                <super::SeedField label="shuffle seed " testid="compare-seed" seed={props.seed} on_view={props.on_view.clone()} />
            </div>
            if comparing {
                <p class="empty" data-testid="comparing">{ "Comparing the four strategies: the model is compiled under each, and every server's removal is replayed…" }</p>
            } else if services == 0 {
                <p class="empty">{ "The model has no service to compare on." }</p>
            }
            // Their own element: Yew matches a changing number of siblings from the end, which
            // would re-create the head above (and lose a seed being typed).
            <div class="strategy-services">
            { for (0..services).map(|s| {
                let rows = service_rows(&reports, s);
                let Some((_, first)) = rows.first() else { return html! {} };
                let best_first = lowest(&rows.iter().map(|(_, r)| r.balance_first_choice).collect::<Vec<_>>());
                let best_worst = lowest(&rows.iter().map(|(_, r)| r.balance_worst_failure).collect::<Vec<_>>());
                let best_removal = lowest(&rows.iter().map(|(_, r)| r.removal.as_ref().map(|m| m.max_moved as f64)).collect::<Vec<_>>());
                let best_addition = lowest(&rows.iter().map(|(_, r)| r.addition.as_ref().map(|a| a.moved as f64)).collect::<Vec<_>>());
                let note = agreement_note(&rows, first_choices_from_groups(&props.plan, s));
                let cell = |best: bool, testid: &'static str, text: String| html! {
                    <td class={classes!(best.then_some("best"))} data-testid={testid}>{ text }</td>
                };
                html! {
                    <section data-testid="strategy-service" data-service={first.service.clone()}>
                        <h3>{ format!("{} ", first.service) }<span class="muted">{ format!("cluster {}: {}, {}", first.cluster, count(first.clients, "client", "clients"), count(first.servers, "server", "servers")) }</span></h3>
                        <table class="strategies-table">
                            <thead><tr>
                                <th>{ "strategy" }</th>
                                <th title="max first-choice load / (clients / servers)">{ "first-choice balance" }<br/><span class="muted small">{ "max load" }</span></th>
                                <th title="largest load of a server when one other server fails / (clients / (servers - 1))">{ "worst single failure" }<br/><span class="muted small">{ "balance · load · which failure" }</span></th>
                                <th title="a server is removed: other clients whose first choice changes (max over servers, mean)">{ "server removed" }<br/><span class="muted small">{ "extra clients moved: max · mean" }</span></th>
                                <th title="a server is added next to the busiest: clients that move to it, and others that move anyway">{ "server added" }<br/><span class="muted small">{ "to the new one · extra moved" }</span></th>
                            </tr></thead>
                            <tbody>
                            { for rows.iter().enumerate().map(|(i, (strategy, r))| {
                                let strategy = *strategy;
                                let onclick = props.on_view.reform(move |_| ViewAction::SetStrategy(strategy));
                                let current = strategy.name() == props.current.name();
                                html! {
                                    <tr class={classes!(current.then_some("current"))} data-testid="strategy-row" data-strategy={strategy.name()} {onclick}>
                                        <td>
                                            <strong>{ strategy.name() }</strong>
                                            if strategy == Strategy::Rotation { <span class="reference">{ " the source's rule" }</span> }
                                            if let Strategy::Shuffle { seed } = strategy { <span class="reference">{ format!(" seed {seed}") }</span> }
                                            if current { <span class="reference">{ " (in use)" }</span> }
                                        </td>
                                        { cell(best_first[i], "cmp-first", format!("{} · {}", ratio(r.balance_first_choice), r.max_first_choice)) }
                                        { cell(best_worst[i], "cmp-worst", format!("{} · {}{}", ratio(r.balance_worst_failure), r.worst_single_failure,
                                            match r.worst_failure_pair {
                                                Some((f, o)) => format!(" (server {f} fails → server {o})"),
                                                None if r.servers > 1 => " (no single failure adds to it)".to_owned(),
                                                None => String::new(),
                                            })) }
                                        { cell(best_removal[i], "cmp-removal", r.removal.as_ref().map_or(NONE.into(), |m| format!("{} · {:.1} (worst: server {})", m.max_moved, m.mean_moved, m.worst_server))) }
                                        { cell(best_addition[i], "cmp-addition", r.addition.as_ref().map_or(NONE.into(), |a| format!("{} · {} (at {})", a.to_new, a.moved, a.address))) }
                                    </tr>
                                }
                            }) }
                            </tbody>
                        </table>
                        if let Some(note) = note {
                            <p class="agreement hint" data-testid="strategies-agree">{ note }</p>
                        }
                    </section>
                }
            }) }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{fig24, service};

    #[test]
    fn the_lowest_values_are_marked_ties_included_and_none_never() {
        assert_eq!(lowest(&[Some(2.0), Some(1.5), None, Some(1.5)]), [false, true, false, true]);
        assert_eq!(lowest(&[None, None]), [false, false]);
        assert_eq!(lowest(&[]), Vec::<bool>::new());
    }

    #[test]
    fn every_strategy_reports_every_service_of_the_model() {
        let (_, doc) = fig24();
        let reports = compare(&doc, 7);
        let rows = service_rows(&reports, 0);
        let names: Vec<&str> = rows.iter().map(|(s, _)| s.name()).collect();
        assert_eq!(names, ["rotation", "spread", "rendezvous", "shuffle"]);
        assert_eq!(rows[3].0, Strategy::Shuffle { seed: 7 });
        assert!(rows
            .iter()
            .all(|(_, r)| r.service == "registry" && r.clients == 10 && r.servers == 6));
        assert_eq!(service_rows(&reports, 1).len(), 4);
        assert!(service_rows(&reports, 2).is_empty());
    }

    #[test]
    fn when_the_strategies_agree_the_note_says_why() {
        let (plan, doc) = fig24();
        let reports = compare(&doc, 0);
        // FIG 24's registry: every first choice is local or alone at its distance (node 2 and
        // 12 own 10.0.2.x, nodes 3, 7, 9 their 10.0.1.x, the rest sit next to 10.0.0.1 alone).
        let registry = service(&plan, "registry");
        assert_eq!(first_choices_from_groups(&plan, registry), 0);
        let note = agreement_note(&service_rows(&reports, registry), 0).unwrap();
        assert!(note.starts_with("Every strategy gives the same figures."), "{note}");
        assert!(note.contains("groups of two or more equidistant, non-local addresses"), "{note}");
        assert!(note.contains("no client's first choice comes from such a group"), "{note}");
        // Rendezvous and shuffle place an added server's clients differently.
        assert!(
            note.ends_with("Only an added server (a new group member) makes them differ."),
            "{note}"
        );
        // `web`: 10.0.2.12 and 10.0.2.20 are one group for most clients; the first choices
        // differ, and so do the figures: no note.
        let web = service(&plan, "web");
        assert_eq!(first_choices_from_groups(&plan, web), 8);
        assert_eq!(agreement_note(&service_rows(&reports, web), 8), None);
        assert_eq!(agreement_note(&[], 0), None);
    }
}
