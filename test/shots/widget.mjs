// Screenshots of the widget on a partner page, for a person to look at: `npm run build`, then
// `node test/shots/widget.mjs [outDir]`. A sandbox `wrangler dev` and a partner page on another origin; each look
// (light, dark, Arabic) at a laptop's 1280x800 and a phone's 390x844, in the states a visitor meets: the first
// screen, a conversation with chips, the concepts, and the floating launcher closed while the conversation goes on.
// Each look also gets a contact sheet (all its states side by side). Not a test: nothing is compared.
import { mkdirSync, writeFileSync } from 'node:fs';
import { launchBrowser, startPartnerSite, startWorker, until } from '../e2e/support.mjs';

const root = new URL('../..', import.meta.url).pathname;
const out = process.argv[2] ?? `${root}test/shots/out`;
mkdirSync(out, { recursive: true });

const LOOKS = [
  { name: 'light', attributes: '' },
  { name: 'dark', attributes: 'theme="dark"' },
  { name: 'arabic', attributes: 'lang="ar"' },
];
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
];
const IDEA = 'A fine-line wolf howling at the moon on my forearm, black and grey';

const worker = await startWorker();
const browser = await launchBrowser();
const shots = [];
try {
  let n = 0;
  for (const look of LOOKS) {
    const site = await startPartnerSite(worker, {
      id: `shots-${look.name}`,
      key: `pk_shots_${look.name}`,
      branding: { name: 'Ink & Iron', accentColor: '#1e3a8a' },
      attributes: look.attributes,
    });
    for (const vp of VIEWPORTS) {
      const page = await browser.newPage();
      await page.setViewport(vp);
      const shot = async (state) => {
        const file = `${out}/${look.name}-${vp.name}-${state}.png`;
        await new Promise((r) => setTimeout(r, 400)); // transitions settle
        await page.screenshot({ path: file });
        shots.push({ look: look.name, vp: vp.name, state, file });
      };
      await page.goto(site.url);
      await until(page, () => document.querySelector('voice-buddy')?.store?.$config.get(), null, 'no bootstrap');
      await shot('start');
      const input = await page.waitForSelector('voice-buddy >>> [part~="text-input"]');
      await input.type(IDEA);
      await input.press('Enter');
      await until(
        page,
        () => document.querySelector('voice-buddy').store.$keywords.get()?.subject.length > 0,
        null,
        'no chips',
      );
      await until(
        page,
        () => document.querySelector('voice-buddy').transcript.filter((e) => e.kind === 'assistant' && e.final).length,
        null,
        'no reply',
      );
      await shot('chips');
      const generate = 'voice-buddy >>> voice-buddy-keyword-chips >>> [part~="generate-button"]:not([disabled])';
      await (await page.waitForSelector(generate)).click();
      await until(
        page,
        () => document.querySelector('voice-buddy').store.$generations.get()[0]?.status === 'done',
        null,
        'no concepts',
        30_000,
      );
      await shot('concepts');
      await page.close();

      // Floating: the launcher with the conversation still live behind a closed panel.
      const floating = await browser.newPage();
      await floating.setViewport(vp);
      await floating.goto(`${site.url}?variant=floating`);
      await until(floating, () => document.querySelector('voice-buddy')?.store?.$config.get(), null, 'no bootstrap');
      await (await floating.waitForSelector('voice-buddy >>> [part~="launcher"]')).click();
      await (await floating.waitForSelector('voice-buddy >>> [part~="connect-button"]')).click();
      await until(floating, () => document.querySelector('voice-buddy').status === 'listening', null, 'not live');
      const page2 = floating;
      await page2.screenshot({ path: `${out}/${look.name}-${vp.name}-floating-open.png` });
      shots.push({
        look: look.name,
        vp: vp.name,
        state: 'floating-open',
        file: `${out}/${look.name}-${vp.name}-floating-open.png`,
      });
      await page2.evaluate(() => {
        document.querySelector('voice-buddy').open = false;
      });
      const file = `${out}/${look.name}-${vp.name}-floating-live.png`;
      await new Promise((r) => setTimeout(r, 400));
      await page2.screenshot({ path: file });
      shots.push({ look: look.name, vp: vp.name, state: 'floating-live', file });
      await page2.close();
      n++;
    }
    await site.close();
  }
  // One contact sheet per look and viewport: every state side by side.
  const sheet = await browser.newPage();
  for (const look of LOOKS) {
    for (const vp of VIEWPORTS) {
      const mine = shots.filter((s) => s.look === look.name && s.vp === vp.name);
      const scale = vp.name === 'phone' ? 0.5 : 0.3;
      const html = `<body style="margin:0;display:flex;gap:6px;background:#888">${mine
        .map((s) => `<img src="file://${s.file}" width="${vp.width * scale}" title="${s.state}">`)
        .join('')}</body>`;
      const path = `${out}/sheet-${look.name}-${vp.name}.html`;
      writeFileSync(path, html);
      await sheet.setViewport({ width: Math.ceil(mine.length * (vp.width * scale + 6)), height: vp.height * scale });
      await sheet.goto(`file://${path}`);
      await sheet.screenshot({ path: `${out}/sheet-${look.name}-${vp.name}.png` });
    }
  }
  console.log(
    `${shots.length} screenshots and ${LOOKS.length * VIEWPORTS.length} contact sheets in ${out} (${n} runs)`,
  );
} finally {
  await browser.close();
  await worker.dispose();
}
