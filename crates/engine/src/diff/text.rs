//! A design review in English: the phrases, labels and summary lines of the diff's data (the
//! CLI's text and Markdown, the app's Review tab and the JSON's `fields` and `words` all read
//! them here).

use super::data::{
    Change, Diff, Field, ListChange, ListStep, RouterWorst, ServerDiff, ServiceDiff, Side,
};
use crate::text::{count, ordinal, ratio};
use std::fmt::Write as _;

impl Change {
    pub fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

impl<T: std::fmt::Display> Side<T> {
    /// `5 -> 4`.
    pub fn text(&self) -> String {
        format!("{} -> {}", self.before, self.after)
    }
}

impl ListChange {
    /// The client as people name it: `node 17`, `node 17 (was 12)`, or its uid when it has no
    /// number on either side.
    pub fn client(&self) -> String {
        match (self.number.before, self.number.after) {
            (Some(b), Some(a)) if a != b => format!("node {a} (was {b})"),
            (_, Some(n)) | (Some(n), None) => format!("node {n}"),
            (None, None) => format!("node {}", self.uid),
        }
    }

    /// One line: `node 17: 10.0.1.3 moved from 2nd to 1st; first choice server 9 -> server 3`
    /// (a new client: `first choice server 3`).
    pub fn line(&self) -> String {
        let mut line = format!("{}: {}", self.client(), self.words.join("; "));
        let server = |s: Option<u32>| s.map_or("none".to_owned(), |n| format!("server {n}"));
        if self.number.before.is_none() {
            let _ = write!(line, "; first choice {}", server(self.server.after));
        } else if self.moved() {
            let _ = write!(
                line,
                "; first choice {} -> {}",
                server(self.server.before),
                server(self.server.after)
            );
        }
        line
    }
}

impl ServerDiff {
    /// The server as tables name it: its node number, `13 (new)`, `4 (gone)`, `11 (was 4)`.
    pub fn label(&self) -> String {
        match (self.number.before, self.number.after) {
            (None, Some(a)) => format!("{a} (new)"),
            (Some(b), None) => format!("{b} (gone)"),
            (Some(b), Some(a)) if a != b => format!("{a} (was {b})"),
            (_, Some(n)) => n.to_string(),
            (None, None) => self.uid.clone(),
        }
    }
}

/// A change in a figure: `+1`, `-2`, `0`.
pub fn signed(delta: i64) -> String {
    if delta > 0 {
        format!("+{delta}")
    } else {
        delta.to_string()
    }
}

impl ServiceDiff {
    /// `10 -> 11 clients, unserved 0 -> 0, balance 3.00 -> 2.55, worst-failure balance 2.78 ->
    /// 3.00`, and `(new service)` or `(service removed)`.
    pub fn figures(&self) -> String {
        let presence = match self.presence {
            Some(Change::Added) => " (new service)",
            Some(Change::Removed) => " (service removed)",
            _ => "",
        };
        format!(
            "{} -> {} clients, unserved {} -> {}, balance {} -> {}, worst-failure balance {} -> {}{presence}",
            self.clients.before,
            self.clients.after,
            self.unserved.before,
            self.unserved.after,
            ratio(self.balance_first_choice.before),
            ratio(self.balance_first_choice.after),
            ratio(self.balance_worst_failure.before),
            ratio(self.balance_worst_failure.after),
        )
    }

    /// `11 client lists changed, 2 clients move to another server`.
    pub fn lists_summary(&self) -> String {
        let mut line =
            format!("{} changed", count(self.lists.len(), "client list", "client lists"));
        if self.clients_moved > 0 {
            let _ = write!(
                line,
                ", {} to another server",
                count(self.clients_moved, "client moves", "clients move")
            );
        }
        line
    }

    /// `worst single router failure: r2 (largest load 5, 2 clients unserved) -> none`, when
    /// the diff holds it.
    pub fn router_line(&self) -> Option<String> {
        let side = |w: &Option<RouterWorst>| match w {
            Some(w) => format!(
                "{} (largest load {}, {} unserved)",
                w.router,
                w.largest,
                count(w.unserved, "client", "clients")
            ),
            None => "none".to_owned(),
        };
        let w = self.worst_router_failure.as_ref()?;
        Some(format!("worst single router failure: {} -> {}", side(&w.before), side(&w.after)))
    }

    /// `registry of cluster A`.
    pub fn title(&self) -> String {
        format!("{} of cluster {}", self.service, self.cluster)
    }
}

impl Diff {
    /// `under failure: routers r2; subnets 10.0.1.0/24` when the plans were compiled under a
    /// failure set.
    pub fn failures_line(&self) -> Option<String> {
        let f = &self.failures;
        let mut parts = Vec::new();
        for (what, names) in [("nodes", &f.nodes), ("routers", &f.routers), ("subnets", &f.subnets)]
        {
            if !names.is_empty() {
                parts.push(format!("{what} {}", names.join(", ")));
            }
        }
        (!parts.is_empty()).then(|| format!("under failure: {}", parts.join("; ")))
    }

    /// The whole diff in one sentence, for a summary line:
    /// `1 item added, 1 changed; 7 client lists changed, 4 clients move; 1 diagnostic gone`.
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return "no change".to_owned();
        }
        let mut parts = Vec::new();
        let of = |c: Change| self.items.iter().filter(|i| i.change == c).count();
        let (added, removed, changed) =
            (of(Change::Added), of(Change::Removed), of(Change::Changed));
        let mut items = Vec::new();
        for (n, word) in [(added, "added"), (removed, "removed"), (changed, "changed")] {
            if n > 0 {
                items.push(if items.is_empty() {
                    format!("{} {word}", count(n, "item", "items"))
                } else {
                    format!("{n} {word}")
                });
            }
        }
        if !items.is_empty() {
            parts.push(items.join(", "));
        }
        let lists: usize = self.services.iter().map(|s| s.lists.len()).sum();
        let moved: usize = self.services.iter().map(|s| s.clients_moved).sum();
        if lists > 0 {
            let services = self.services.iter().filter(|s| !s.lists.is_empty()).count();
            let mut text = format!("{} changed", count(lists, "client list", "client lists"));
            if services > 1 {
                let _ = write!(text, " in {services} services");
            }
            if moved > 0 {
                let _ = write!(
                    text,
                    ", {} to another server",
                    count(moved, "client moves", "clients move")
                );
            }
            parts.push(text);
        }
        let balance = self
            .services
            .iter()
            .filter(|s| s.balance_first_choice.changed())
            .map(|s| {
                format!(
                    "{} balance {} -> {}",
                    s.title(),
                    ratio(s.balance_first_choice.before),
                    ratio(s.balance_first_choice.after)
                )
            })
            .take(2);
        parts.extend(balance);
        let (appeared, gone) = (self.diagnostics_appeared.len(), self.diagnostics_gone.len());
        if appeared > 0 || gone > 0 {
            let mut text = Vec::new();
            if appeared > 0 {
                text.push(format!("{} appeared", count(appeared, "diagnostic", "diagnostics")));
            }
            if gone > 0 {
                text.push(if appeared > 0 {
                    format!("{gone} gone")
                } else {
                    format!("{} gone", count(gone, "diagnostic", "diagnostics"))
                });
            }
            parts.push(text.join(", "));
        }
        parts.join("; ")
    }
}

impl Field<'_> {
    /// The field's change as the item's line says it: `name: "a" -> "b"`,
    /// `addresses: +10.0.1.4, -10.0.1.5`.
    pub fn phrase(&self) -> String {
        let none = |v: Option<String>| v.unwrap_or_else(|| "none".to_owned());
        match self {
            Field::Text { name, before, after } => format!("{name}: {before:?} -> {after:?}"),
            Field::RegistryServers { before, after } => {
                format!("registry servers: {} -> {}", numbers(before), numbers(after))
            }
            Field::Priority { service, before, after } => format!(
                "priority of {service}: {} -> {}",
                none(before.map(|p| p.to_string())),
                none(after.map(|p| p.to_string()))
            ),
            Field::NodeNumber { cluster, before, after } => {
                format!("node number in cluster {cluster}: {before} -> {after}")
            }
            Field::Defined { cluster, number } => {
                format!("defined to cluster {cluster} as node {number}")
            }
            Field::Undefined { cluster, was } => {
                format!("no longer defined to cluster {cluster} (was node {was})")
            }
            Field::Online { before, after } => {
                format!("online: {} -> {}", before.unwrap_or("none"), after.unwrap_or("none"))
            }
            Field::Set { name, added, removed } => {
                let values = added.iter().map(|x| format!("+{x}"));
                let values: Vec<String> =
                    values.chain(removed.iter().map(|x| format!("-{x}"))).collect();
                format!("{name}: {}", values.join(", "))
            }
            Field::Extra { key, before, after } => format!(
                "{key}: {} -> {}",
                none(before.map(ToString::to_string)),
                none(after.map(ToString::to_string))
            ),
        }
    }
}

impl ListStep<'_> {
    /// The step as a list's change says it: `10.0.1.3 moved from 2nd to 1st`.
    pub fn phrase(&self) -> String {
        match self {
            ListStep::NowClient(list) => format!("now a client: {}", list.join(", ")),
            ListStep::NoLongerClient => "no longer a client".to_owned(),
            ListStep::Added { address, at } => format!("{address} added at {}", ordinal(*at)),
            ListStep::Moved { address, from, to } => {
                format!("{address} moved from {} to {}", ordinal(*from), ordinal(*to))
            }
            ListStep::Removed { address, was } => {
                format!("{address} removed (was {})", ordinal(*was))
            }
            ListStep::SameList => "same list".to_owned(),
        }
    }
}

/// Node numbers: `1, 2`, or `none`.
fn numbers(list: &[u32]) -> String {
    if list.is_empty() {
        return "none".to_owned();
    }
    list.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_read_as_the_item_lines_say_them() {
        let set = Field::Set {
            name: "addresses",
            added: vec!["10.0.1.4".to_owned()],
            removed: vec!["10.0.1.5".to_owned()],
        };
        assert_eq!(set.phrase(), "addresses: +10.0.1.4, -10.0.1.5");
        let servers = Field::RegistryServers { before: &[1, 2], after: &[] };
        assert_eq!(servers.phrase(), "registry servers: 1, 2 -> none");
        let number = Field::Defined { cluster: "A", number: 3 };
        assert_eq!(number.phrase(), "defined to cluster A as node 3");
    }
}
