import { WidgetError } from '../api/errors.ts';
import { Emitter } from './emitter.ts';
import type { RealtimeClientEvent, RealtimeServerEvent, RealtimeTransport, TransportEvents } from './transport.ts';

/** The relay's close codes (worker/realtime/relay.ts) and what they mean to a visitor. */
const CLOSE_REASONS: Record<number, [code: string, message: string, retry: boolean]> = {
  4000: ['relay_error', 'The conversation service had a problem.', true],
  4001: ['session_time_limit', 'This conversation reached its time limit. Start a new one to go on.', false],
  4002: ['session_size_limit', 'This conversation reached its size limit. Start a new one to go on.', false],
  4003: ['too_fast', 'Too many messages in a short time; the conversation was stopped.', false],
  4004: ['provider_closed', 'The voice service closed the conversation.', true],
  4005: ['bad_event', 'The conversation was stopped after an unexpected message.', false],
  4006: ['frame_too_large', 'A message was too large for the conversation service.', true],
};

/**
 * Push-to-talk and text through the Worker's relay: one WebSocket per session, opened with a single-use ticket.
 * Events the relay does not forward come back as `error` events; the session goes on.
 */
export class RelayTransport implements RealtimeTransport {
  /** How long the socket may take to open. */
  static openTimeoutMs = 8000;
  private readonly emitter = new Emitter<TransportEvents>();
  private socket: WebSocket | null = null;
  private closedByUs = false;

  constructor(
    readonly kind: 'websocket' | 'text',
    private readonly wsUrl: string,
  ) {}

  on<K extends keyof TransportEvents>(type: K, listener: (payload: TransportEvents[K]) => void) {
    return this.emitter.on(type, listener);
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = this.socket = new WebSocket(this.wsUrl);
      } catch (cause) {
        reject(new WidgetError('relay_unreachable', 'The conversation service could not be reached.', { cause }));
        return;
      }
      let opened = false;
      const timer = setTimeout(() => {
        if (opened) return;
        this.release();
        reject(new WidgetError('relay_timeout', 'The conversation service did not answer in time.'));
      }, RelayTransport.openTimeoutMs);
      socket.onopen = () => {
        opened = true;
        clearTimeout(timer);
        resolve();
      };
      socket.onmessage = (e) => {
        if (typeof e.data !== 'string') return;
        let event: RealtimeServerEvent;
        try {
          event = JSON.parse(e.data) as RealtimeServerEvent;
        } catch {
          return;
        }
        this.emitter.emit('event', event);
      };
      socket.onclose = (e) => {
        clearTimeout(timer);
        if (this.closedByUs) return;
        const error = this.closeError(e);
        this.release();
        if (!opened) reject(error);
        else {
          this.emitter.emit('closed', { error });
          this.emitter.clear();
        }
      };
    });
  }

  private closeError(e: CloseEvent): WidgetError {
    const known = CLOSE_REASONS[e.code];
    if (known) return new WidgetError(known[0], known[1], { retryable: known[2] });
    if (e.code === 1000) return new WidgetError('session_ended', 'The conversation ended.', { retryable: true });
    return new WidgetError('relay_unreachable', 'The conversation service could not be reached.', { retryable: true });
  }

  send(event: RealtimeClientEvent): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(event));
  }

  private release() {
    const socket = this.socket;
    this.closedByUs = true;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.close(1000, 'client closed');
  }

  close(): void {
    this.release();
    this.emitter.clear();
  }
}
