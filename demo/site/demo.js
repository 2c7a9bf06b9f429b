// The demo page's event log: shows what <voice-buddy> tells its host page.
const snippet = document.getElementById('snippet');
const embed = (src, extra = '') =>
  `<script src="${location.origin}${src}"${extra} async></script>\n<voice-buddy key="pk_demo"></voice-buddy>`;
snippet.textContent = embed('/voice-buddy.iife.js');
// The pinned embeds of this release, with its integrity hash (written by the build).
fetch('/release.json')
  .then((res) => (res.ok ? res.json() : null))
  .then((release) => {
    if (!release) return;
    document.getElementById('snippet-pinned').textContent = embed(
      `/v/${release.version}/voice-buddy.iife.js`,
      ` integrity="${release.integrity}" crossorigin="anonymous"`,
    );
    document.getElementById('snippet-major').textContent = embed(`/v/${release.major}/voice-buddy.iife.js`);
    document.getElementById('pinned').hidden = false;
  })
  .catch(() => {});

// One sentence about sandbox mode, when the server says it runs in it.
fetch('/v1/bootstrap?key=pk_demo')
  .then((res) => (res.ok ? res.json() : null))
  .then((config) => {
    if (config?.sandbox) document.getElementById('sandbox-note').hidden = false;
  })
  .catch(() => {});

const log = document.getElementById('event-log');
const EVENTS = [
  'voice-buddy-status-change',
  'voice-buddy-transcript',
  'voice-buddy-error',
  'voice-buddy-keywords',
  'voice-buddy-handoff',
  'voice-buddy-concept',
  'voice-buddy-avatar',
];

function describe(type, detail) {
  if (type === 'voice-buddy-transcript') {
    const e = detail.entry;
    return `${e.kind}${e.final ? '' : ' (partial)'}: ${e.text.slice(0, 80)}`;
  }
  return JSON.stringify(detail).slice(0, 160);
}

let lastPartial = null;
for (const type of EVENTS) {
  document.addEventListener(type, (event) => {
    const source = event.target?.id ?? 'widget';
    // Streaming deltas update one line instead of flooding the log.
    const key = type === 'voice-buddy-transcript' ? `${source}:${event.detail.entry.id}` : null;
    let li = key && lastPartial?.dataset.key === key ? lastPartial : null;
    if (!li) {
      li = document.createElement('li');
      li.dataset.key = key ?? '';
      log.prepend(li);
      while (log.children.length > 200) log.lastElementChild.remove();
    }
    lastPartial = key ? li : null;
    li.dataset.type = type;
    li.textContent = `${new Date().toLocaleTimeString()} · ${source} · ${type.replace('voice-buddy-', '')} · ${describe(type, event.detail)}`;
  });
}
document.getElementById('clear-log').addEventListener('click', () => {
  log.textContent = '';
  lastPartial = null;
});
