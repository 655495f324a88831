import { signal } from './state.js';

export type Role = 'farmer' | 'technician' | 'officer' | 'admin';
export interface Me { id: string; username: string; name: string; role: Role; demo: boolean; farmIds: string[]; communes: string[] }

/** false while the server cannot be reached: the banner shows and EventSource keeps retrying */
export const linkUp = signal(true);
export const me = signal<Me | null | undefined>(undefined);

/** what an error body may carry beside code and message: field issues, weather findings */
export interface ErrorDetails {
  issues?: Array<{ code: string; message: string; ring?: number }>;
  findings?: Array<{ level: 'warn' | 'refuse'; code: string; message: string }>;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetails = {}) { super(message); }
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method, credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    linkUp.value = false;
    throw new ApiError(0, 'NETWORK', (err as Error).message);
  }
  linkUp.value = true;
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    if (res.status === 401 && !url.endsWith('/login')) me.value = null;
    const d = data as { error?: string; message?: string } & ErrorDetails;
    throw new ApiError(res.status, d?.error ?? 'HTTP', d?.message ?? String(res.status), { issues: d?.issues, findings: d?.findings });
  }
  return data as T;
}

export type LiveEvent =
  | { type: 'telemetry'; gatewayId: string; readings: Reading[] }
  | { type: 'state'; gatewayId: string; online: boolean; ts: number }
  | { type: 'event'; gatewayId: string; event: GwEvent }
  | { type: 'config'; gatewayId: string; version: number; status: string; reasons: string[] }
  | { type: 'cmd'; gatewayId: string; id: string; outcome: string; reason?: string };
export interface Reading { sensor: string; metric: string; value: number | null; unit: string; ts: number; quality?: string }
export interface GwEvent { ts: number; kind: string; zone?: string; valve?: string; sensor?: string; severity: string; reason: string }

/** One EventSource for the page; it reconnects by itself, we only show the link state. */
export function openStream(onEvent: (e: LiveEvent) => void): () => void {
  const es = new EventSource('/api/v1/stream');
  for (const type of ['telemetry', 'state', 'event', 'config', 'cmd']) {
    es.addEventListener(type, (m) => onEvent(JSON.parse((m as MessageEvent<string>).data) as LiveEvent));
  }
  es.onopen = () => { linkUp.value = true; };
  es.onerror = () => { linkUp.value = false; };
  return () => es.close();
}
