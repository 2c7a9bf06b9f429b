// No protocol error in 20 consecutive sandbox conversations with keyword updates: each conversation types an idea
// (the reply carries an extract_keywords call inside its response, whose follow-up must wait for response.done),
// refines it, and removes a chip (the brief goes to the model as data). Every server event the page receives is
// watched: not one `error` event, no voice-buddy-error, no warning in any transcript. The page is a partner's (another
// origin than the Worker), as every real embed is.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, startPartnerSite, startWorker, until } from './support.mjs';

const IDEAS = [
  ['a fine-line wolf on my forearm', 'make it small'],
  ['a koi fish in watercolor on my calf', 'in full colour'],
  ['a traditional rose on my shoulder', 'add a dagger'],
  ['a geometric lion on my chest', 'black and grey please'],
  ['a small blackwork moth on my sternum', 'make it tiny'],
  ['a japanese dragon sleeve', 'with waves'],
  ['a minimalist mountain on my wrist', 'add a moon'],
  ['a dotwork mandala on my back', 'make it large'],
  ['a realism portrait of my dog on my thigh', 'in black and grey'],
  ['a neo traditional fox on my upper arm', 'add flowers'],
  ['a tiny heart on my finger', 'in red'],
  ['a compass and map on my forearm', 'fine-line style'],
  ['a snake wrapped around a dagger on my calf', 'traditional style'],
  ['a watercolor hummingbird on my hip', 'add hibiscus'],
  ['a skull with roses on my chest', 'make it bold'],
  ['lettering that says hope on my ribs', 'in script'],
  ['an owl on my shoulder', 'realism style'],
  ['a lotus flower on my ankle', 'small and delicate'],
  ['a tiger in japanese style on my back', 'with cherry blossoms'],
  ['a sun and moon on my wrist', 'fine line'],
];

describe('20 consecutive sandbox conversations with keyword updates', { timeout: 300_000 }, () => {
  let worker;
  let browser;
  let site;
  before(async () => {
    worker = await startWorker();
    browser = await launchBrowser();
    site = await startPartnerSite(worker, { id: 'conversations', key: 'pk_conversations' });
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await worker?.dispose();
  });

  it('not one protocol error, no voice-buddy-error, nothing shown as a warning', async () => {
    const page = await browser.newPage();
    // Every server event of every relay socket the page opens.
    await page.evaluateOnNewDocument(() => {
      window.__serverErrors = [];
      window.__vbErrors = [];
      document.addEventListener('voice-buddy-error', (e) => window.__vbErrors.push(e.detail));
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (m) => {
            if (typeof m.data !== 'string') return;
            const event = JSON.parse(m.data);
            if (event.type === 'error') window.__serverErrors.push(event.error);
          });
        }
      };
    });
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(site.url);
    await until(
      page,
      () => customElements.get('voice-buddy') && document.querySelector('voice-buddy')?.store?.$config.get(),
      null,
      'the partner page did not start',
    );

    for (const [n, [idea, refinement]] of IDEAS.entries()) {
      const replies = await page.evaluate(
        async (id, key, first, second) => {
          const el = document.createElement('voice-buddy');
          el.id = id;
          el.setAttribute('key', key);
          el.setAttribute('mode', 'text');
          document.body.append(el);
          const wait = async (check, what, ms = 15_000) => {
            const deadline = Date.now() + ms;
            while (!check()) {
              if (Date.now() > deadline)
                throw new Error(
                  `${id}: ${what}; transcript: ${JSON.stringify(el.transcript.map((e) => [e.kind, e.text]))}`,
                );
              await new Promise((r) => setTimeout(r, 20));
            }
          };
          await wait(() => el.store?.$config.get(), 'no bootstrap');
          const assistant = () => el.transcript.filter((e) => e.kind === 'assistant' && e.final).length;
          if (!(await el.sendText(first))) throw new Error(`${id}: the idea was not sent`);
          // The reply, its keyword call, and the follow-up that waited for the reply's response.done.
          await wait(() => el.store.$keywords.get() && assistant() >= 2, 'no keyword call with its follow-up');
          await wait(() => el.status === 'listening', 'the follow-up did not end');
          const before = assistant();
          await el.sendText(second);
          await wait(() => assistant() > before && el.status === 'listening', 'no reply to the refinement');
          // A chip edit: the brief goes to the model as data, and nothing answers it.
          const chips = el.shadowRoot.querySelector('[part~="keywords"]').shadowRoot;
          const remove = chips.querySelector('[part~="chip-remove"]');
          if (remove) remove.click();
          await new Promise((r) => setTimeout(r, 150));
          const transcript = el.transcript;
          el.disconnect();
          el.remove();
          return {
            assistant: assistant(),
            warnings: transcript.filter((e) => e.kind === 'notice' && e.tone !== 'info').map((e) => e.text),
          };
        },
        `conversation-${n + 1}`,
        'pk_conversations',
        idea,
        refinement,
      );
      assert.ok(replies.assistant >= 3, `conversation ${n + 1}: ${JSON.stringify(replies)}`);
      assert.deepEqual(replies.warnings, [], `conversation ${n + 1} showed a warning`);
    }
    assert.deepEqual(await page.evaluate(() => window.__serverErrors), [], 'a protocol error reached the page');
    assert.deepEqual(await page.evaluate(() => window.__vbErrors), []);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});
