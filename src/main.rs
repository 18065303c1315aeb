//! Entry point of the browser app: mounts the Yew [`clusterplan::app::App`] on the page body.

fn main() {
    yew::Renderer::<clusterplan::app::App>::new().render();
}
