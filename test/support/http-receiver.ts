import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got; `json` is the parsed body when it was JSON. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
  at: number;
}

export interface HttpReceiver {
  /** base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: ReceivedRequest[];
  /** requests whose path starts with `prefix` */
  on(prefix: string): ReceivedRequest[];
  /** resolves once `count` requests matching `match` arrived; rejects after timeoutMs */
  waitFor(match: (r: ReceivedRequest) => boolean, count?: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** HTTP status to answer with (default 200) */
  respondWith(status: number): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server that records every request (webhooks, SMS gateways, loudspeaker APIs in
 * tests). Listens on 127.0.0.1 on a free port chosen by the OS.
 */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  let status = 200;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        json,
        at: Date.now(),
      });
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const waitFor: HttpReceiver['waitFor'] = (match, count = 1, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const got = requests.filter(match);
        if (got.length < count) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(got);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `expected ${count} matching request(s) within ${timeoutMs} ms, got ${requests.filter(match).length} (of ${requests.length} in all)`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    on: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    waitFor,
    respondWith: (s) => {
      status = s;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
