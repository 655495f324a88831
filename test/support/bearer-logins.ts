import type { startCloudWeb } from './cloud-web.js';

type CloudWeb = Awaited<ReturnType<typeof startCloudWeb>>;

/**
 * Logs each user in on a running cloud (a refused login throws) and keeps their bearer headers
 * (`auth`); `get(url, user)` fetches as that user, `get(url)` without a session.
 */
export async function bearerLogins(t: CloudWeb, users: readonly string[]) {
  const auth: Record<string, Record<string, string>> = {};
  for (const u of users) auth[u] = { authorization: `Bearer ${(await t.login(u)).token}` };
  const get = (url: string, who?: string) => fetch(`${t.base}${url}`, { headers: who ? auth[who] : {} });
  return { auth, get };
}
