import { spawn, type ChildProcess } from 'node:child_process';

export interface PtyPair {
  /** one end, e.g. for the gateway */
  a: string;
  /** the other end, e.g. for the simulated sensor */
  b: string;
  close(): Promise<void>;
}

/**
 * A real serial line in software: socat joins two pseudo-terminals. The paths come from its
 * `-d -d` notices ("PTY is /dev/pts/N"); close() ends the socat this started.
 */
export function openPtyPair(timeoutMs = 5000): Promise<PtyPair> {
  const child: ChildProcess = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise<PtyPair>((resolve, reject) => {
    const paths: string[] = [];
    let text = '';
    const timer = setTimeout(() => {
      void close();
      reject(new Error(`socat gave no PTY paths within ${timeoutMs} ms: ${text.trim()}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run socat (apt-get install socat): ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (paths.length < 2) reject(new Error(`socat exited (${code}) before opening two PTYs: ${text.trim()}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const m of text.matchAll(/PTY is (\/dev\/\S+)/g)) if (!paths.includes(m[1]!)) paths.push(m[1]!);
      // the pair is usable once socat starts its transfer loop
      if (paths.length >= 2 && /starting data transfer loop/.test(text)) {
        clearTimeout(timer);
        resolve({ a: paths[0]!, b: paths[1]!, close });
      }
    });
  });
}
