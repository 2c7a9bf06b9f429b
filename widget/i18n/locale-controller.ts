import { ContextConsumer, ContextProvider } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadCatalogue } from '../lazy.ts';
import { localeContext } from './context.ts';
import type { Catalogue } from './en.ts';
import { supportedLanguage, type Language } from './languages.ts';
import { ENGLISH, Locale } from './locale.ts';

type Host = ReactiveControllerHost & HTMLElement;

/** Catalogues are immutable data: every widget on the page shares one download of each. */
const catalogues = new Map<Language, Promise<Catalogue | null>>();

function catalogue(lang: Exclude<Language, 'en'>): Promise<Catalogue | null> {
  let loading = catalogues.get(lang);
  if (!loading) {
    loading = loadCatalogue(lang).then(
      (m) => m.default,
      () => {
        catalogues.delete(lang); // a later switch may try again
        console.warn(`<voice-buddy>: the "${lang}" texts could not be loaded; using English.`);
        return null;
      },
    );
    catalogues.set(lang, loading);
  }
  return loading;
}

/**
 * The language of one <voice-buddy>: its `lang` attribute, else the page's (the closest [lang] around it, the
 * document's), else the site's default from bootstrap, else English; the first of these the widget has a catalogue
 * for. Call `update()` when one of them changes. Provides the Locale to the sub-elements.
 */
export class LocaleController implements ReactiveController {
  locale: Locale = ENGLISH;
  private wanted: Language = 'en';
  private readonly provider: ContextProvider<typeof localeContext>;

  constructor(
    private readonly host: Host,
    private readonly siteDefault: () => string | null | undefined,
  ) {
    host.addController(this);
    this.provider = new ContextProvider(host, { context: localeContext, initialValue: ENGLISH });
  }

  hostConnected(): void {
    this.update();
  }

  /** The language as resolved now: what the widget shows once its catalogue is in, and what the assistant speaks. */
  get language(): Language {
    return this.wanted;
  }

  update(): void {
    const h = this.host;
    const page = h.parentElement?.closest('[lang]')?.getAttribute('lang');
    const tags = [h.getAttribute('lang'), page, document.documentElement.lang, this.siteDefault()];
    const lang = tags.map(supportedLanguage).find((l) => l !== null) ?? 'en';
    if (lang === this.wanted) return;
    this.wanted = lang;
    if (lang === 'en') return this.set(ENGLISH);
    void catalogue(lang).then((messages) => {
      if (messages && this.wanted === lang) this.set(new Locale(lang, messages));
    });
  }

  private set(locale: Locale) {
    this.locale = locale;
    this.provider.setValue(locale);
    this.host.requestUpdate();
  }
}

/** For a sub-element: the Locale its <voice-buddy> provides (English when used on its own). */
export class LocaleConsumer {
  private readonly consumer: ContextConsumer<typeof localeContext, ReactiveControllerHost & HTMLElement>;
  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.consumer = new ContextConsumer(host, { context: localeContext, subscribe: true });
  }
  get locale(): Locale {
    return this.consumer.value ?? ENGLISH;
  }
}
