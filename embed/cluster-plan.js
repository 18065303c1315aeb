// <cluster-plan>: a live, read-only clusterplan diagram for documentation pages (docs/embed.md).
//
//   <script type="module" src="cluster-plan.js"></script>
//   <cluster-plan src="seed-fig24.json" node="n5"></cluster-plan>
//   <cluster-plan view="load" service="A/registry"><script type="application/json">{...}</script></cluster-plan>
//
// Attributes: src (the model's address) or the model inline in a JSON script child; view
// (diagram, lists, load, lesson); node (a node uid); service (cluster/name or name); strategy;
// lesson and event (view="lesson": a lesson of examples/scenarios/ opened at an event); theme
// (light, dark; default: the reader's system setting). The element fetches nothing but its
// model and its own files (the WASM and the stylesheet beside this script). Each element is
// independent; a broken model shows its reason inside the element, the rest of the page unharmed.
import init, { mount } from './clusterplan_embed.js';

const here = (file) => new URL(file, import.meta.url).href;
let ready = null;
const engine = () => (ready ??= init({ module_or_path: here('clusterplan_embed_bg.wasm') }));

class ClusterPlan extends HTMLElement {
  static observedAttributes = ['src', 'view', 'node', 'service', 'strategy', 'theme', 'lesson', 'event'];
  #mounted = null;
  #generation = 0;

  connectedCallback() {
    if (!this.shadowRoot) {
      const shadow = this.attachShadow({ mode: 'open' });
      const style = document.createElement('link');
      style.rel = 'stylesheet';
      style.href = here('cluster-plan.css');
      shadow.append(style);
    }
    this.#render();
  }

  disconnectedCallback() {
    this.#unmount();
  }

  attributeChangedCallback() {
    if (this.shadowRoot) this.#render();
  }

  #unmount() {
    this.#mounted?.destroy();
    this.#mounted = null;
    this.shadowRoot?.querySelector('.cluster-plan-root')?.remove();
  }

  async #model() {
    const src = this.getAttribute('src');
    if (src) {
      const response = await fetch(new URL(src, document.baseURI));
      if (!response.ok) throw new Error(`cannot load ${src}: ${response.status} ${response.statusText}`);
      return response.text();
    }
    const inline = this.querySelector('script[type="application/json"]');
    if (inline) return inline.textContent;
    throw new Error('no model: give src="model.json" or a <script type="application/json"> child');
  }

  async #render() {
    const generation = ++this.#generation;
    let model;
    let failure = null;
    try {
      [model] = await Promise.all([this.#model(), engine()]);
    } catch (e) {
      failure = e;
    }
    // A newer attribute change started another render: this one is stale.
    if (generation !== this.#generation || !this.isConnected) return;
    this.#unmount();
    const root = document.createElement('div');
    root.className = 'cluster-plan-root';
    const theme = this.getAttribute('theme');
    const dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
    root.dataset.theme = dark ? 'dark' : 'light';
    this.shadowRoot.append(root);
    if (!failure) {
      try {
        const names = ['view', 'node', 'service', 'strategy', 'lesson', 'event'];
        const attributes = Object.fromEntries(names.map((n) => [n, this.getAttribute(n) ?? undefined]));
        this.#mounted = mount(root, model, attributes);
        return;
      } catch (e) {
        failure = e;
      }
    }
    const message = document.createElement('p');
    message.className = 'cluster-plan-error';
    message.setAttribute('role', 'alert');
    message.textContent = `This clusterplan model cannot be shown: ${failure?.message ?? failure}`;
    root.append(message);
  }
}

if (!customElements.get('cluster-plan')) customElements.define('cluster-plan', ClusterPlan);
