//! Validated model (stage 2): ids resolved, addresses parsed, subnets found by longest prefix.

use crate::diagnostics::Diagnostic;
use crate::document::Document;
use crate::plan::Plan;
use crate::strategy::Strategy;

// TEMPORARY scaffold: the engine work replaces this with the real model.
#[derive(Debug)]
pub struct Model;

impl Model {
    pub fn build(_doc: &Document) -> (Model, Vec<Diagnostic>) {
        (Model, Vec::new())
    }
    pub fn plan(&self, strategy: Strategy) -> Plan {
        Plan { strategy, ..Plan::default() }
    }
}
