/**
 * What the login answered for the first page (`start`: farms and the first gateway's view), taken
 * once by the farmer's page so a cold login needs no further round trip before live values.
 */
export interface StartData {
  farms: Array<{
    id: string;
    name: string;
    gateways: Array<{ id: string; online: boolean | null; lastSeen: number | null }>;
  }>;
  gateway: null | { id: string; config: unknown; live: unknown; events: unknown[]; alerts: unknown[] };
}

let pending: StartData | null = null;

export function setStart(s: StartData | null | undefined): void {
  pending = s ?? null;
}

/** The farms from the login, once (the page's later loads ask the API). */
export function takeStartFarms(): StartData['farms'] | null {
  const f = pending?.farms ?? null;
  if (pending) pending = { ...pending, farms: [] };
  return f && f.length ? f : null;
}

/** The login's view of this gateway, once. */
export function takeStartView(gatewayId: string): NonNullable<StartData['gateway']> | null {
  const g = pending?.gateway;
  if (!g || g.id !== gatewayId) return null;
  pending = pending ? { ...pending, gateway: null } : null;
  return g;
}
