import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { AVATAR_TEXT } from '../../widget/avatar/texts.ts';
import { en, type Catalogue, type MessageKey, type PartKey } from '../../widget/i18n/en.ts';
import { LANGUAGES, type Language } from '../../widget/i18n/languages.ts';
import { Locale } from '../../widget/i18n/locale.ts';
import { loadCatalogue } from '../../widget/lazy.ts';
import { DESCRIBE_TEXT } from '../../widget/keywords/describe.ts';
import { CAPTION_TEXT } from '../../widget/parts/concept-gallery/concept-caption.ts';
import { SPEECH_TEXT } from '../../widget/tts/texts.ts';
import type { VoiceBuddy } from '../../widget/voice-buddy.ts';
import { API, baseConfig, FakeBackend } from './fakes/backend.ts';
import { mount, part } from './helpers.ts';

/** All English: the start-up catalogue and the lazy parts' own (their keys must not collide with it). */
const english: Record<MessageKey | PartKey, string> = {
  ...en,
  ...AVATAR_TEXT,
  ...SPEECH_TEXT,
  ...CAPTION_TEXT,
  ...DESCRIBE_TEXT,
};
const others = LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en');
const catalogue = async (lang: Exclude<Language, 'en'>): Promise<Catalogue> => (await loadCatalogue(lang)).default;

/** The named placeholders of a message, plural arguments included, without the plural branches' text. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  for (const m of message.matchAll(/\{(\w+)(?:, plural,|\})/g)) names.add(m[1]!);
  return [...names].sort();
}

/** The plural branches of a message, per argument. */
function pluralForms(message: string): string[] {
  const m = /\{\w+, plural, ((?:\w+ \{[^{}]*\}\s*)+)\}/.exec(message);
  return m ? [...m[1]!.matchAll(/(\w+) \{/g)].map((b) => b[1]!) : [];
}

/** The plural categories a language uses for the counts a widget shows (0 to 200 concepts or tokens per step). */
function categoriesInUse(lang: string): string[] {
  const rules = new Intl.PluralRules(lang);
  const seen = new Set<string>();
  for (let n = 0; n <= 200; n++) seen.add(rules.select(n));
  return [...seen].sort();
}

const text = (el: VoiceBuddy, name: string) => part(el, name)!.textContent.trim();
const root = (el: VoiceBuddy) => el.shadowRoot!.querySelector<HTMLElement>('.root')!;

describe('catalogues', () => {
  it('every catalogue has every key of English, no other, the same placeholders and the plural forms its language needs', async () => {
    const keys = Object.keys(english).sort();
    expect(keys, 'the lazy parts use keys of their own').to.have.length(
      Object.keys(en).length +
        Object.keys(AVATAR_TEXT).length +
        Object.keys(SPEECH_TEXT).length +
        Object.keys(CAPTION_TEXT).length +
        Object.keys(DESCRIBE_TEXT).length,
    );
    for (const lang of others) {
      const messages = await catalogue(lang);
      expect(Object.keys(messages).sort(), `${lang}: keys`).to.deep.equal(keys);
      for (const key of keys as Array<MessageKey | PartKey>) {
        const message = messages[key];
        expect(message.trim(), `${lang} ${key}: empty`).not.to.equal('');
        expect(placeholders(message), `${lang} ${key}: placeholders`).to.deep.equal(placeholders(english[key]));
        if (pluralForms(english[key]).length) {
          const forms = pluralForms(message);
          expect(forms, `${lang} ${key}: an "other" form`).to.include('other');
          for (const category of categoriesInUse(lang))
            expect(forms, `${lang} ${key}: "${category}"`).to.include(category);
        }
      }
    }
  });

  it('plurals and numbers follow the language (Intl.PluralRules, Intl.NumberFormat)', async () => {
    const pl = new Locale('pl', await catalogue('pl'));
    expect(pl.t('say.concepts', { n: 1 })).to.equal('1 nowy projekt jest gotowy');
    expect(pl.t('say.concepts', { n: 3 })).to.equal('3 nowe projekty są gotowe');
    expect(pl.t('say.concepts', { n: 5 })).to.equal('5 nowych projektów jest gotowych');
    const ar = new Locale('ar', await catalogue('ar'));
    expect(ar.t('say.concepts', { n: 2 })).to.equal('تصميمان جديدان جاهزان');
    const de = new Locale('de', await catalogue('de'));
    expect(de.t('usage.tokens', { n: 39758 })).to.equal('39.758 Tokens');
    expect(de.t('usage.left', { name: 'requests', remaining: 1234, limit: 5000 })).to.equal(
      'requests: 1.234/5.000 übrig',
    );
    expect(de.percent(40)).to.match(/^40\s%$/);
  });

  it("a lazy part's text: the catalogue's, filled in the language's way, else the part's own English", async () => {
    const de = new Locale('de', await catalogue('de'));
    expect(de.t('avatar.cores', { cores: 2, min: 4 }, AVATAR_TEXT['avatar.cores'])).to.equal(
      'Dieses Gerät hat 2 Prozessorkerne; der Avatar braucht mindestens 4.',
    );
    expect(de.t('avatar.memory', { gb: 1.5, min: 4 }, AVATAR_TEXT['avatar.memory'])).to.equal(
      'Dieses Gerät meldet 1,5 GB Arbeitsspeicher; der Avatar braucht mindestens 4 GB.',
    );
    const english = new Locale('en', en);
    expect(english.t('avatar.cores', { cores: 2, min: 4 }, AVATAR_TEXT['avatar.cores'])).to.equal(
      'This device has 2 processor cores; the avatar needs at least 4.',
    );
    expect(new Locale('fr', {}).t('cap.design', {}, 'a design')).to.equal('a design');
  });

  it('a missing key falls back to English and warns once per key and language', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const { 'app.send': _dropped, ...partial } = await catalogue('de');
      const de = new Locale('de', partial);
      expect(de.t('app.send')).to.equal('Send');
      expect(de.t('app.send')).to.equal('Send');
      expect(de.t('app.end')).to.equal('Gespräch beenden');
      expect(warnings.filter((w) => w.includes('"app.send"'))).to.have.length(1);
      expect(warnings[0]).to.contain('"de"');
      new Locale('fr', {}).t('app.send');
      expect(warnings.filter((w) => w.includes('"app.send"'))).to.have.length(2);
    } finally {
      console.warn = warn;
    }
  });
});

describe('the widget in a language', () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend().install();
  });
  afterEach(() => backend.uninstall());

  const inLanguage = async (el: VoiceBuddy, lang: string) => {
    await waitUntil(() => root(el).lang === lang, `expected lang ${lang}, got ${root(el).lang}`, { timeout: 5000 });
    await el.updateComplete;
  };

  it('lang="de" shows German text, a lang change at runtime switches, and the session is asked for in that language', async () => {
    const el = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text" lang="de"></voice-buddy>`);
    await inLanguage(el, 'de');
    expect(text(el, 'connect-button')).to.equal('Chat starten');
    expect(part(el, 'status')!.shadowRoot!.textContent).to.contain('Bereit');
    expect(part<HTMLInputElement>(el, 'text-input')!.placeholder).to.equal('Nachricht schreiben…');
    expect(part(el, 'transcript')!.shadowRoot!.querySelector('.log')!.getAttribute('aria-label')).to.equal(
      'Unterhaltung',
    );
    expect(root(el).dir).to.equal('ltr');

    el.setAttribute('lang', 'ja');
    await inLanguage(el, 'ja');
    expect(text(el, 'connect-button')).to.equal('チャットを始める');
    expect(text(el, 'send-button')).to.equal('送信');

    await el.sendText('a wolf');
    const session = backend.requests.find((r) => new URL(r.url).pathname === '/v1/realtime/session')!;
    expect(JSON.parse(session.body)).to.include({ mode: 'text', language: 'ja' });
    el.disconnect();
  });

  it("uses the page's language when the element has none, the site's default when the page has none, else English", async () => {
    const page = await fixture<HTMLElement>(
      html`<div lang="fr-CA"><voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy></div>`,
    );
    const el = page.querySelector('voice-buddy')!;
    await inLanguage(el, 'fr');
    expect(text(el, 'connect-button')).to.equal('Commencer le chat');

    const html0 = document.documentElement.lang;
    document.documentElement.lang = '';
    try {
      backend.config = baseConfig({ language: 'es' });
      const site = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
      await inLanguage(site, 'es');
      expect(text(site, 'connect-button')).to.equal('Empezar a chatear');
      // A page language the widget has no texts for passes to the next in line.
      const sv = await fixture<HTMLElement>(
        html`<div lang="sv"><voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy></div>`,
      );
      await inLanguage(sv.querySelector('voice-buddy')!, 'es');
      backend.config = baseConfig();
      const plain = await mount(html`<voice-buddy key="pk_test" api-base=${API} mode="text"></voice-buddy>`);
      expect(root(plain).lang).to.equal('en');
      expect(text(plain, 'connect-button')).to.equal('Start chatting');
    } finally {
      document.documentElement.lang = html0;
    }
  });

  it('two widgets on one page keep their own languages', async () => {
    const page = await fixture<HTMLElement>(html`<div>
      <voice-buddy key="pk_test" api-base=${API} mode="text" lang="ko"></voice-buddy>
      <voice-buddy key="pk_test" api-base=${API} mode="text" lang="pt-BR"></voice-buddy>
    </div>`);
    const [ko, pt] = [...page.querySelectorAll('voice-buddy')];
    await inLanguage(ko!, 'ko');
    await inLanguage(pt!, 'pt');
    expect(text(ko!, 'connect-button')).to.equal('채팅 시작');
    expect(text(pt!, 'connect-button')).to.equal('Começar o chat');
  });

  for (const lang of ['ar', 'he'] as const) {
    it(`${lang}: right to left on the widget's root, laid out with logical properties`, async () => {
      const el = await mount(
        html`<voice-buddy key="pk_test" api-base=${API} mode="text" lang=${lang} style="width: 380px"></voice-buddy>`,
      );
      await inLanguage(el, lang);
      expect(root(el).dir).to.equal('rtl');
      expect(getComputedStyle(root(el)).direction).to.equal('rtl');
      const input = part(el, 'text-input')!.getBoundingClientRect();
      const send = part(el, 'send-button')!.getBoundingClientRect();
      expect(send.right, 'the send button is on the left of the input').to.be.at.most(input.left + 1);
      const controls = part(el, 'controls')!.getBoundingClientRect();
      const connect = part(el, 'connect-button')!.getBoundingClientRect();
      expect(controls.right - connect.right, 'the first control sits at the right edge').to.be.lessThan(
        connect.left - controls.left,
      );
      const title = part(el, 'title')!.getBoundingClientRect();
      const status = part(el, 'status')!.getBoundingClientRect();
      expect(title.left, 'the title is right of the status pill').to.be.greaterThan(status.left);
      expect(getComputedStyle(part(el, 'transcript')!.shadowRoot!.querySelector('.log')!).direction).to.equal('rtl');
    });
  }
});
