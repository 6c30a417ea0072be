// The banner that says the connection is down. Honest: it shows as soon as the browser reports
// the network gone (the `offline` event), or once the server could not be reached. Quiet: on a
// normal load the first connection attempt is still under way, and that is not "offline".
import { h } from './dom.js';

const BROWSER_OFFLINE = 'You are offline. Messages you write are kept and sent when the connection is back.';
const RECONNECTING = 'Offline: reconnecting… Messages you write are kept and sent when the connection is back.';

export function mountConnectionStatus(banner, client) {
  // Set once an attempt failed or a live connection dropped; cleared when it is back.
  let lost = false;
  const text = h('span', {});
  banner.replaceChildren(text);

  function render() {
    const browserOffline = navigator.onLine === false;
    const down = browserOffline || (lost && !client.online);
    banner.hidden = !down;
    text.textContent = browserOffline ? BROWSER_OFFLINE : RECONNECTING;
    document.body.classList.toggle('offline', down);
  }

  const unsubscribe = client.subscribe((topic) => {
    if (topic !== 'connection') return;
    if (client.online) lost = false;
    else if (client.conn.state === 'offline') lost = true;
    render();
  });
  window.addEventListener('online', render);
  window.addEventListener('offline', render);
  render();
  return () => {
    unsubscribe();
    window.removeEventListener('online', render);
    window.removeEventListener('offline', render);
    banner.hidden = true;
    document.body.classList.remove('offline');
  };
}
