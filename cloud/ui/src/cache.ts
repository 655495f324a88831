/**
 * The last values a farmer saw, kept in this browser so a page opened without network still
 * shows them with their age. Small on purpose: the farm list and the live view of each gateway.
 */
const PREFIX = 'rs.last.';

export interface Cached<T> {
  at: number;
  data: T;
}

export function saveLast<T>(key: string, data: T): void {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ at: Date.now(), data }));
  } catch {
    /* full or private mode: nothing kept */
  }
}

export function loadLast<T>(key: string): Cached<T> | null {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw ? (JSON.parse(raw) as Cached<T>) : null;
  } catch {
    return null;
  }
}

/** on logout: the next person on this phone must not see them */
export function clearLast(): void {
  for (const k of Object.keys(localStorage)) if (k.startsWith(PREFIX)) localStorage.removeItem(k);
}
