// Screenshots of the widget in German, Japanese and Arabic at desktop and phone size, in sandbox mode, after one
// typed turn (chips and a reply): `node test/e2e/lang-shots.mjs <dir>`. For looking at, not a test.
import { launchBrowser, startPartnerSite, startWorker, until } from './support.mjs';

const dir = process.argv[2] ?? '/tmp';
// The sandbox's keyword extractor reads English, so the idea is typed in English; the widget's text is the language's.
const IDEA = 'A wolf with a moon, fine line, on my forearm';
const worker = await startWorker();
const browser = await launchBrowser();
try {
  for (const lang of (process.env.LANGS ?? 'de,ja,ar').split(',')) {
    console.log(lang);
    const site = await startPartnerSite(worker, {
      id: `shots-${lang}`,
      key: `pk_shots_${lang}`,
      attributes: `lang="${lang}" mode="text"`,
    });
    for (const [w, h] of [
      [1280, 800],
      [390, 844],
    ]) {
      const page = await browser.newPage();
      await page.setViewport({ width: w, height: h });
      await page.goto(site.url);
      const el = 'document.querySelector("voice-buddy")';
      await until(page, `${el}?.shadowRoot?.querySelector('.root')?.lang === '${lang}'`, undefined, 'the catalogue');
      await until(page, `${el}.store.$config.get()`, undefined, 'bootstrap');
      await page.evaluate((text) => document.querySelector('voice-buddy').sendText(text), IDEA);
      await until(page, `${el}.transcript.some((e) => e.kind === 'assistant' && e.final)`, undefined, 'a reply').catch(
        async (e) => {
          console.log(
            await page.evaluate(() =>
              JSON.stringify({
                status: document.querySelector('voice-buddy').status,
                t: document.querySelector('voice-buddy').transcript,
              }),
            ),
          );
          throw e;
        },
      );
      await new Promise((r) => setTimeout(r, 500));
      await page.screenshot({ path: `${dir}/lang-${lang}-${w}x${h}.png` });
      await page.close();
    }
    void site.close(); // keep-alive sockets of the browser would hold an awaited close
  }
} finally {
  await browser.close();
  await worker.dispose();
}
