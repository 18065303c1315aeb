//! The Review tab: what a change does, from the engine's diff of the compared model and the
//! editor's model: the summary, load before -> after per server (paired bars), the client
//! lists that changed, the items and the diagnostics that appeared or went away. The data is
//! [`crate::model::review`]'s; [`ReviewView`] renders it.

use crate::model::review::*;
use crate::model::state::Action;
use clusterplan_engine::Diagnostic;
use yew::prelude::*;

#[derive(Debug, Properties, PartialEq)]
pub struct ReviewViewProps {
    /// The diff, when comparing.
    pub diff: Option<DiffRef>,
    /// Where the compared model came from, in words.
    #[prop_or_default]
    pub source: String,
    /// The compared model is the one after the change.
    #[prop_or_default]
    pub reversed: bool,
    pub selected: Option<String>,
    pub dispatch: Callback<Action>,
}

/// The Review tab.
#[function_component(ReviewView)]
pub fn review_view(props: &ReviewViewProps) -> Html {
    let d = &props.dispatch;
    let Some(diff) = &props.diff else {
        return html! {
            <div class="review empty" data-testid="review-empty">
                <p>{ "Compare this model with another one to see what the change does: the lists that change, every server's load before and after, the diagnostics that appear or go away." }</p>
                <button data-testid="review-compare" onclick={d.reform(|_: MouseEvent| Action::CompareDialog(true))}>{ "Compare with…" }</button>
            </div>
        };
    };
    let model = review_model(&diff.0);
    let (before, after) = if props.reversed {
        ("this model".to_owned(), props.source.clone())
    } else {
        (props.source.clone(), "this model".to_owned())
    };
    let select = |uid: String| d.reform(move |_: MouseEvent| Action::SelectNode(Some(uid.clone())));
    let services = model.services.iter().map(|s| {
        let rows = s.rows.iter().map(|r| {
            html! {
                <div class="review-row" role="listitem" data-testid={format!("review-server-{}-{}", s.key, r.uid)}
                    data-first-before={r.first.0.to_string()} data-first-after={r.first.1.to_string()}
                    data-worst-before={r.worst.0.to_string()} data-worst-after={r.worst.1.to_string()}>
                    <span class="bar-label"><strong>{ format!("server {}", r.label) }</strong></span>
                    <span class="review-bars" title="first-choice load: before (upper bar), after (lower bar); dotted: worst single failure">
                        <span class="bar-track before"><span class="bar before" style={format!("width:{:.2}%", r.bars.0)}></span>
                            <span class="bar worst" style={format!("left:{:.2}%", r.worst_at.0)}></span></span>
                        <span class="bar-track after"><span class="bar after" style={format!("width:{:.2}%", r.bars.1)}></span>
                            <span class="bar worst" style={format!("left:{:.2}%", r.worst_at.1)}></span></span>
                    </span>
                    <span class="bar-numbers">
                        <span data-testid="review-first">{ format!("{} → {}", r.first.0, r.first.1) }</span>
                        <span class={classes!("delta", delta_class(&r.first_delta))}>{ format!(" ({})", r.first_delta) }</span>
                        <span class="muted">{ " · worst failure " }</span>
                        <span data-testid="review-worst">{ format!("{} → {}", r.worst.0, r.worst.1) }</span>
                        <span class={classes!("delta", delta_class(&r.worst_delta))}>{ format!(" ({})", r.worst_delta) }</span>
                    </span>
                </div>
            }
        });
        let lists = s.lists.iter().map(|(uid, line, moved)| {
            let selected = props.selected.as_deref() == Some(uid.as_str());
            html! {
                <li class={classes!(moved.then_some("moved"), selected.then_some("selected"))} data-testid={format!("review-list-{}-{}", s.key, uid)}>
                    <button class="link" title="select this node" onclick={select(uid.clone())}>{ line.replace("->", "→") }</button>
                </li>
            }
        });
        html! {
            <section class="review-service" data-testid={format!("review-service-{}", s.key)}>
                <h3>{ s.title.clone() }</h3>
                <p class="muted">{ s.figures.replace("->", "→") }</p>
                <p class="review-legend small muted">
                    <span class="swatch before"></span>{ " before the change " }
                    <span class="swatch after"></span>{ " after it (first-choice clients) " }
                    <span class="swatch worst"></span>{ " worst single failure" }
                </p>
                <div class="bars" role="list">{ for rows }</div>
                if !s.lists.is_empty() {
                    <h4>{ s.lists_summary.clone() }</h4>
                    <ul class="review-lists">{ for lists }</ul>
                    if s.more_lists > 0 {
                        <p class="muted">{ format!("… and {} more (clusterplan diff --json lists them all)", s.more_lists) }</p>
                    }
                }
            </section>
        }
    });
    let items = model.items.iter().map(|(item, line)| {
        let onclick = item.clone().map(|i| d.reform(move |_: MouseEvent| Action::Select(vec![i.clone()])));
        html! { <li><button class="link" disabled={onclick.is_none()} {onclick}>{ line.replace("->", "→") }</button></li> }
    });
    let diagnostics = |title: &str, testid: &str, list: &[Diagnostic]| {
        if list.is_empty() {
            return html! {};
        }
        html! {
            <section data-testid={testid.to_owned()}>
                <h4>{ title.to_owned() }</h4>
                <ul class="review-diagnostics">
                    { for list.iter().map(|x| html! { <li class={x.severity.to_string()}>{ x.to_string() }</li> }) }
                </ul>
            </section>
        }
    };
    html! {
        <div class="review" data-testid="review">
            <div class="view-head">
                <strong class="review-summary" data-testid="review-summary">{ model.summary.replace("->", "→") }</strong>
                <span class="hint" data-testid="review-sides">{ format!("before: {before} · after: {after}") }</span>
                <button data-testid="review-swap" title="Exchange before and after" onclick={d.reform(|_: MouseEvent| Action::SwapComparison)}>{ "Swap" }</button>
                <button data-testid="review-compare" onclick={d.reform(|_: MouseEvent| Action::CompareDialog(true))}>{ "Compare with…" }</button>
                <button data-testid="review-stop" onclick={d.reform(|_: MouseEvent| Action::StopComparing)}>{ "Stop comparing" }</button>
            </div>
            { for services }
            if model.unchanged > 0 {
                <p class="muted">{ crate::ui::results::count(model.unchanged, "service unchanged", "services unchanged") }</p>
            }
            if !model.items.is_empty() {
                <section data-testid="review-items">
                    <h4>{ "Items" }</h4>
                    <ul class="review-items">{ for items }</ul>
                </section>
            }
            { diagnostics("Diagnostics that appeared", "review-appeared", &model.appeared) }
            { diagnostics("Diagnostics that went away", "review-gone", &model.gone) }
        </div>
    }
}
