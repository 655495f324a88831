import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./uplink-child.ts', import.meta.url));

/** Runs test/support/uplink-child.ts and follows its "produced N" / "boot ID" lines. */
export class UplinkChild {
  bootId = '';
  produced = -1;
  /** last tick produced, once SIGUSR2 stopped the producer */
  stopped = -1;
  private buf = '';
  readonly exited: Promise<number | null>;
  private constructor(readonly proc: ChildProcess) {
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (d: string) => {
      this.buf += d;
      const lines = this.buf.split('\n');
      this.buf = lines.pop()!;
      for (const line of lines) {
        const [word, arg] = line.split(' ');
        if (word === 'produced') this.produced = Number(arg);
        if (word === 'boot') this.bootId = arg!;
        if (word === 'stopped') this.stopped = Number(arg);
      }
    });
    this.exited = new Promise((res) => proc.once('exit', (code) => res(code)));
  }

  static spawn(config: Record<string, unknown>): UplinkChild {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, UPLINK_CHILD: JSON.stringify({ mode: 'gateway', ...config }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new UplinkChild(proc);
  }

  async until(cond: () => boolean, timeoutMs = 15_000, what = 'child'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (this.proc.exitCode !== null)
        throw new Error(`uplink child exited (${this.proc.exitCode}) while waiting for ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
    await this.exited;
  }
}
