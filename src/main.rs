//! Entry point of the browser app: mounts the Yew [`clusterplan::ui::app::App`] on the page body.

fn main() {
    yew::Renderer::<clusterplan::ui::app::App>::new().render();
}
