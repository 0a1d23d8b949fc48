import { session } from './api/client';

/** One lifecycle event as the API's live feed sends it. */
export interface LiveEvent {
  eventId: string;
  type: string;
  occurredAt: number;
  providerType: string;
  maintenanceId: string;
  status: string;
  start: number;
  end: number;
}

/**
 * Follows /api/v1/live/events with fetch, so that the token goes in the Authorization header
 * (EventSource cannot send headers and would need it in the URL). Reconnects after a drop;
 * `onOpen` runs at each (re)connection so the page reloads what it may have missed.
 * The SSE framing is read by hand: it is a few lines (data:/event:/id: fields, blank line ends
 * an event), and the maintained parser package's current version declares Node 22.
 */
export function followLive(onEvent: (e: LiveEvent) => void, onOpen: () => void, onState: (connected: boolean) => void): () => void {
  const ctrl = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const res = await fetch('/api/v1/live/events', { headers: { authorization: `Bearer ${session.token() ?? ''}`, accept: 'text/event-stream' }, signal: ctrl.signal });
        if (!res.ok || !res.body) throw new Error(`live: HTTP ${res.status}`);
        onState(true);
        onOpen();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        let type = 'message';
        let data = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).replace(/\r$/, '');
            buf = buf.slice(nl + 1);
            if (line === '') {
              if (type === 'maintenance' && data) onEvent(JSON.parse(data) as LiveEvent);
              type = 'message';
              data = '';
            } else if (line.startsWith('event:')) type = line.slice(6).trim();
            else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).replace(/^ /, '');
          }
        }
      } catch {
        if (stopped) return;
      }
      onState(false);
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
  return () => {
    stopped = true;
    ctrl.abort();
  };
}
