//! `clusterplan`: the planner's command-line tool (scaffold; replaced by the CLI work).
fn main() {}
