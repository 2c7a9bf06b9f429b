import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WorkerApi } from '../api/endpoints.ts';
import type { Locale } from '../i18n/locale.ts';
import { emit, loadKeywordTools, WidgetError } from '../realtime/kit.ts';
import { describeKeywords } from './describe.ts';
import { labelOf, labelsIfLoaded, loadLabels } from './labels.ts';
import type { FunctionCall, SessionEvents } from '../realtime/session-events.ts';
import type { RealtimeSession } from '../realtime/session.ts';
import type { Concept, SessionStore } from '../state/session-store.ts';
import { briefItem } from './brief.ts';
import type * as Tools from './keywords.lazy.ts';
import type { ChipEditDetail, ChipRemoveDetail } from '../parts/keyword-chips/keyword-chips.component.ts';
import type { Keywords } from './types.ts';

type KeywordTools = typeof Tools;

export type KeywordField = keyof Keywords;

/** How many of the model's motif words the session keeps. */
const MAX_LABELS = 96;

export interface KeywordsHost {
  api: () => WorkerApi | null;
  session: () => RealtimeSession | null;
  sessionId: () => string | null;
  uid: () => string;
  handoffEnabled: () => boolean;
  /** The widget's language, for the design notes in the transcript. */
  locale: () => Locale;
}

/**
 * The keyword side of a conversation: answers the model's function calls, keeps the chips, sends the visitor's chip
 * edits back to the model, and runs the handoff to image generation with its progress stream.
 */
export class KeywordsController implements ReactiveController {
  private readonly streams = new Set<EventSource>();
  private undoable: { before: Keywords; after: Keywords | null } | null = null;

  constructor(
    /** The element: the keyword events are dispatched from it; its leaving the page closes the streams. */
    private readonly element: ReactiveControllerHost & EventTarget,
    private readonly store: SessionStore,
    private readonly host: KeywordsHost,
  ) {
    element.addController(this);
  }

  hostDisconnected(): void {
    this.dispose();
  }

  private set(keywords: Keywords, source: 'model' | 'visitor') {
    this.store.$keywords.set(keywords);
    emit(this.element, 'voice-buddy-keywords', { keywords, source });
  }

  /** Answers the model's function calls of the conversation, whichever session is live. */
  answerCalls(
    on: <K extends keyof SessionEvents>(type: K, listener: (payload: SessionEvents[K]) => void) => () => void,
  ): () => void {
    return on('function-call', (call) => void this.handleCall(call));
  }

  /** Returns true when it handled the call. */
  async handleCall(call: FunctionCall): Promise<boolean> {
    if (call.name === 'extract_keywords') {
      await this.onExtract(call);
      return true;
    }
    if (call.name === 'generate_concepts') {
      const started = await this.generate('voice');
      call.answer(started ? { started: true } : { started: false, reason: this.whyNotGenerate() });
      return true;
    }
    call.answer({ error: `Unknown function ${call.name}` });
    return false;
  }

  private async onExtract(call: FunctionCall) {
    // The design note below is written once: with the labels of its language when they can be had (`show` reads
    // the table once it is in).
    const [tools] = await Promise.all([loadKeywordTools(), loadLabels(this.host.locale().lang)]);
    let parsed: unknown;
    try {
      parsed = JSON.parse(call.arguments);
    } catch {
      // Never a crash: the model hears what went wrong and can call again.
      call.answer({ error: 'The arguments were not valid JSON; call extract_keywords again with a JSON object.' });
      return;
    }
    const update = tools.normaliseKeywords(parsed);
    const merged = tools.mergeKeywords(this.store.$keywords.get() ?? tools.emptyKeywords(), update);
    // Before the keywords, so the chips render them with their words. Earlier words stay (the gallery's older
    // generations show them), the newest few dozen.
    // A word given again counts as new: spreading it over the old record would keep its first place, and the
    // motifs on screen, whose words the model gives with every call, would be the first to go.
    const fresh = tools.normaliseLabels(parsed, merged);
    const kept = Object.entries(this.store.$keywordLabels.get()).filter(([word]) => !Object.hasOwn(fresh, word));
    this.store.$keywordLabels.set(Object.fromEntries([...kept, ...Object.entries(fresh)].slice(-MAX_LABELS)));
    this.set(merged, 'model');
    this.store.setToolNote(`tool-${call.callId}`, 'kw.notes', {
      keywords: describeKeywords(merged, this.host.locale().t, this.show),
    });
    call.answer({ keywords: merged });
  }

  /**
   * A keyword's words in the widget's language, for the panel's folded summary row (the chips' labels). The table is
   * in before the model's keywords are shown: onExtract waits for it.
   */
  readonly show = (field: KeywordField, value: string): string => {
    const { lang } = this.host.locale();
    return lang === 'en' ? value : labelOf(field, value, labelsIfLoaded(lang), this.store.$keywordLabels.get());
  };

  /** The chips' events (the design area listens with these: voice-buddy.view.ts). */
  readonly onChipRemove = (e: CustomEvent<ChipRemoveDetail>): void => void this.remove(e.detail.field, e.detail.value);
  readonly onChipEdit = (e: CustomEvent<ChipEditDetail>): void =>
    void this.edit(e.detail.field, e.detail.from, e.detail.to);
  readonly onChipAdd = (e: CustomEvent<string>): void => void this.add(e.detail);
  readonly onChipUndo = (): void => void this.undoRemove();
  readonly onGenerate = (): void => void this.generate('button');

  /** The visitor removed a chip. */
  async remove(field: KeywordField, value: string): Promise<void> {
    const tools = await loadKeywordTools();
    const before = this.current(tools);
    this.edited(tools.withoutChip(before, field, value));
    this.undoable = { before, after: this.store.$keywords.get() };
  }

  /** Puts back what the last removal took, unless the keywords changed since (then there is nothing to undo). */
  undoRemove(): boolean {
    const undo = this.undoable;
    this.undoable = null;
    if (!undo || this.store.$keywords.get() !== undo.after) return false;
    this.edited(undo.before);
    return true;
  }

  /** The visitor typed a keyword (or a phrase: "no red", "on my calf"). */
  async add(text: string): Promise<void> {
    if (!text.trim()) return;
    const tools = await loadKeywordTools();
    this.edited(tools.addChip(this.current(tools), text));
  }

  /** The visitor rewrote a chip in place. */
  async edit(field: KeywordField, from: string, to: string): Promise<void> {
    if (to.trim() === from) return;
    const tools = await loadKeywordTools();
    this.edited(tools.editChip(this.current(tools), field, from, to));
  }

  private current(tools: KeywordTools): Keywords {
    return this.store.$keywords.get() ?? tools.emptyKeywords();
  }

  /**
   * A visitor's edit is the new truth: shown at once, and sent to the model as the whole brief in one system item
   * (data, not a sentence it would have to re-read), so the assistant knows without being asked to reply.
   */
  private edited(keywords: Keywords) {
    this.set(keywords, 'visitor');
    this.host.session()?.send({ type: 'conversation.item.create', item: briefItem(keywords) });
  }

  canGenerate(): boolean {
    const k = this.store.$keywords.get();
    return Boolean(k && (k.subject.length || k.elements.length) && this.host.handoffEnabled());
  }

  private whyNotGenerate(): string {
    if (!this.host.handoffEnabled()) return 'Generating concepts is switched off on this site.';
    return 'The idea needs at least a subject before concepts can be drawn.';
  }

  /**
   * Hands the keywords to image generation. The host page may take over instead (cart, booking): it calls
   * preventDefault() on `voice-buddy-handoff`.
   */
  async generate(trigger: 'button' | 'voice' = 'button'): Promise<boolean> {
    const keywords = this.store.$keywords.get();
    const api = this.host.api();
    if (!keywords || !api || !this.canGenerate()) return false;
    const proceed = emit(this.element, 'voice-buddy-handoff', { keywords, sessionId: this.host.sessionId(), trigger });
    if (!proceed) return true;
    const local = `pending-${Date.now()}`;
    this.store.$generations.set([
      ...this.store.$generations.get(),
      { id: local, keywords, status: 'starting', percent: 0, stage: 'starting', concepts: [] },
    ]);
    try {
      const res = await api.handoff({ keywords, sessionId: this.host.sessionId(), uid: this.host.uid() });
      this.store.updateGeneration(local, () => ({ id: res.generationId, status: 'queued' }));
      this.follow(res.generationId, res.eventsUrl);
      return true;
    } catch (err) {
      const error = err instanceof WidgetError ? err : WidgetError.of('handoff_failed');
      this.store.updateGeneration(local, () => ({ status: 'error', error: error.message, errorCode: error.code }));
      this.store.reportError(error.code, error.message, error.options);
      return false;
    }
  }

  /** Follows a generation's events; EventSource resumes by itself from the last event id after a drop. */
  private follow(id: string, url: string) {
    const es = new EventSource(url);
    this.streams.add(es);
    const data = (e: Event) => JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
    const end = () => {
      es.close();
      this.streams.delete(es);
    };
    es.addEventListener('queued', () => this.store.updateGeneration(id, () => ({ status: 'queued', stage: 'queued' })));
    es.addEventListener('progress', (e) => {
      const d = data(e);
      this.store.updateGeneration(id, () => ({
        status: 'running',
        percent: Number(d.percent) || 0,
        stage: typeof d.stage === 'string' ? d.stage : '',
      }));
    });
    es.addEventListener('concept', (e) => {
      const concept = data(e) as unknown as Concept;
      this.store.updateGeneration(id, (g) => ({
        concepts: [...g.concepts.filter((c) => c.index !== concept.index), concept].sort((a, b) => a.index - b.index),
      }));
      emit(this.element, 'voice-buddy-concept', { generationId: id, concept });
    });
    es.addEventListener('done', () => {
      this.store.updateGeneration(id, () => ({ status: 'done', percent: 100, stage: 'done' }));
      end();
    });
    es.addEventListener('error', (e) => {
      if (!(e instanceof MessageEvent)) {
        // A dropped stream: EventSource reconnects unless the server ended it.
        if (es.readyState === EventSource.CLOSED) end();
        return;
      }
      const d = data(e);
      const code = typeof d.code === 'string' ? d.code : 'generation_failed';
      const message = typeof d.message === 'string' ? d.message : WidgetError.of('generation_failed').message;
      this.store.updateGeneration(id, () => ({ status: 'error', error: message, errorCode: code }));
      this.store.reportError(code, message);
      end();
    });
  }

  dispose(): void {
    for (const es of this.streams) es.close();
    this.streams.clear();
  }
}
