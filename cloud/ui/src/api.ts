import { signal } from './state.js';
import type { Role } from '../../auth/types.js';
import type { LiveEvent } from '../../control/bus.js';
import type { GatewayEvent, Reading } from '../../../protocol/schemas/messages.js';

export type { LiveEvent, Reading, Role };
/** an event as the app receives it: `code` is the gateway's reason code (older gateways: absent) */
export type GwEvent = GatewayEvent;
export interface Me {
  id: string;
  username: string;
  name: string;
  role: Role;
  demo: boolean;
  farmIds: string[];
  communes: string[];
  cooperativeId?: string;
}

/** false while the server cannot be reached: the banner shows and EventSource keeps retrying */
export const linkUp = signal(true);
export const me = signal<Me | null | undefined>(undefined);

/** what an error body may carry beside its code: params, field issues, weather findings */
export interface ErrorDetails {
  issues?: Array<{
    path?: string | Array<string | number>;
    code: string;
    params?: Record<string, unknown>;
    ring?: number;
  }>;
  findings?: Array<{ level: 'warn' | 'refuse'; code: string; params?: Record<string, unknown> }>;
}

/** A failed request: `code` is the server's stable error code; its English message is for logs only. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    linkUp.value = false;
    throw new ApiError(0, 'NETWORK', (err as Error).message);
  }
  linkUp.value = true;
  const data: unknown = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    if (res.status === 401 && !url.endsWith('/login')) me.value = null;
    const d = (typeof data === 'object' && data ? data : {}) as {
      error?: string;
      message?: string;
      params?: Record<string, unknown>;
    } & ErrorDetails;
    throw new ApiError(
      res.status,
      d.error ?? 'HTTP',
      d.message ?? String(res.status),
      { issues: d.issues, findings: d.findings },
      d.params ?? {},
    );
  }
  return data as T;
}

/** One EventSource for the page; it reconnects by itself, we only show the link state. */
export function openStream(onEvent: (e: LiveEvent) => void): () => void {
  const es = new EventSource('/api/v1/stream');
  for (const type of ['telemetry', 'state', 'event', 'config', 'cmd', 'mission']) {
    es.addEventListener(type, (m) => onEvent(JSON.parse((m as MessageEvent<string>).data) as LiveEvent));
  }
  es.onopen = () => {
    linkUp.value = true;
  };
  es.onerror = () => {
    linkUp.value = false;
  };
  return () => es.close();
}
