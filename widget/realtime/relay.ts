import { CLOSE_NORMAL, readRelayClose, type RelayClose } from '../contract/relay.ts';
import { Emitter } from './emitter.ts';
import { errorPolicy, WidgetError } from './kit.ts';
import type { RealtimeClientEvent, RealtimeServerEvent, RealtimeTransport, TransportEvents } from './transport.ts';

/** The catalogue's `err.<key>` the visitor reads for each of the relay's closes (widget/contract/relay.ts). */
const CLOSE_TEXT: Record<RelayClose, string> = {
  internal: 'relay_error',
  duration: 'session_time_limit',
  bytes: 'session_size_limit',
  rate: 'too_fast',
  upstream: 'provider_closed',
  badEvent: 'bad_event',
  frameTooLarge: 'frame_too_large',
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
        reject(WidgetError.of('relay_unreachable', { cause }));
        return;
      }
      let opened = false;
      const timer = setTimeout(() => {
        if (opened) return;
        this.release();
        reject(WidgetError.of('relay_timeout'));
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
    const known = readRelayClose(e.code, e.reason);
    if (known)
      return WidgetError.of(known.reason, {
        retryable: errorPolicy(known.reason).retry,
        text: CLOSE_TEXT[known.close],
      });
    return WidgetError.of(e.code === CLOSE_NORMAL ? 'session_ended' : 'relay_unreachable', { retryable: true });
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
    if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING)
      socket.close(1000, 'client closed');
  }

  close(): void {
    this.release();
    this.emitter.clear();
  }
}
