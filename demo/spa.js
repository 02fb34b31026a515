// A single-page shop on the npm package (sdk/, served here from its build at /sdk/widget.js; an app
// would `import { init } from 'parley-chat/widget'`).
import * as chat from '/sdk/widget.js';

window.chat = chat;
const mount = () => chat.init({ server: location.origin, site: 'demo' });
mount();
document.getElementById('unmount').addEventListener('click', () => chat.unmount());
document.getElementById('mount').addEventListener('click', mount);

// the shop's router: links change the address and the title without a page load
const show = (name) => {
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · Northwind Tea`;
  document.querySelector('h1').textContent = name === 'home' ? 'Single-page shop' : name[0].toUpperCase() + name.slice(1);
};
for (const link of document.querySelectorAll('nav a'))
  link.addEventListener('click', (e) => {
    e.preventDefault();
    history.pushState({}, '', link.href);
    show(new URL(link.href).searchParams.get('page'));
  });
addEventListener('popstate', () => show(new URLSearchParams(location.search).get('page') ?? 'home'));
