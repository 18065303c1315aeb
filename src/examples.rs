//! The built-in example documents (the gallery), shipped inside the app.

use clusterplan_engine::Document;

/// One example of the gallery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    json: &'static str,
}

pub const FIG24: Example = Example {
    id: "fig24",
    title: "FIG 24: rotation among equidistant servers",
    json: include_str!("../examples/seed-fig24.json"),
};

pub const FIG22: Example = Example {
    id: "fig22",
    title: "FIG 22: network priorities",
    json: include_str!("../examples/seed-fig22.json"),
};

pub const ALL: &[Example] = &[FIG24, FIG22];

impl Example {
    /// The example's document. The shipped files are tested to read (see the tests below).
    pub fn document(&self) -> Document {
        clusterplan_engine::document::read(self.json).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_reads() {
        for example in ALL {
            clusterplan_engine::document::read(example.json)
                .unwrap_or_else(|e| panic!("example {} does not read: {e}", example.id));
        }
    }
}
