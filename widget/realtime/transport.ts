import type { ApiMode } from '../contract/modes.ts';
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import type { WidgetError } from '../api/errors.ts';

export type { RealtimeClientEvent, RealtimeServerEvent };
export type TransportKind = ApiMode;

export interface TransportEvents extends Record<string, unknown> {
  /** A server event from the model (or the relay's sandbox responder). */
  event: RealtimeServerEvent;
  /** The connection ended by itself; `error` says why when it was not asked to. */
  closed: { error?: WidgetError };
}

/**
 * One way of reaching the model. The session on top speaks the protocol; a transport only moves events
 * (and, for WebRTC, media). Every transport releases everything it opened in `close()`.
 */
export interface RealtimeTransport {
  readonly kind: TransportKind;
  connect(): Promise<void>;
  send(event: RealtimeClientEvent): void;
  close(): void;
  on<K extends keyof TransportEvents>(type: K, listener: (payload: TransportEvents[K]) => void): () => void;
}
