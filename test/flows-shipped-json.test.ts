import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const flows = JSON.parse(readFileSync(new URL('../flows/flows.json', import.meta.url), 'utf8')) as Record<
  string,
  any
>[];
const readme = readFileSync(new URL('../flows/README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../flows/nodes/package.json', import.meta.url), 'utf8'));

describe('the shipped flows.json', () => {
  it('wires only to nodes that exist and puts every node on one of its tabs', () => {
    const ids = new Set(flows.map((n) => n.id));
    const tabs = new Set(flows.filter((n) => n.type === 'tab').map((n) => n.id));
    expect(ids.size).toBe(flows.length);
    for (const n of flows) {
      for (const target of (n.wires ?? []).flat()) expect(ids.has(target), `${n.id} → ${target}`).toBe(true);
      if (n.type !== 'tab' && n.type !== 'ruongso-broker') expect(tabs.has(n.z), n.id).toBe(true);
      if (n.broker) expect(flows.find((b) => b.id === n.broker)?.type).toBe('ruongso-broker');
    }
  });

  it('keeps no credentials and no fixed endpoints in the JSON', () => {
    const text = JSON.stringify(flows);
    expect(text).not.toMatch(/password|https?:\/\//i);
    for (const n of flows.filter((x) => x.type === 'http request')) expect(n.url).toMatch(/^\$\{[A-Z_]+\}$/);
  });

  it('documents every environment variable it reads in flows/README.md', () => {
    const vars = new Set([...JSON.stringify(flows).matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1]!));
    expect(vars.size).toBeGreaterThan(10);
    for (const v of vars) expect(readme, v).toContain(`\`${v}\``);
  });

  it('uses only core node types and the types the ruongso package registers', () => {
    const html = ['broker', 'gateway-in', 'gateway-out', 'notify', 'neighbours']
      .map((f) => readFileSync(new URL(`../flows/nodes/${f}.html`, import.meta.url), 'utf8'))
      .join('\n');
    const ours = new Set([...html.matchAll(/(?:registerType|def)\('([^']+)'/g)].map((m) => m[1]!));
    expect(Object.keys(pkg['node-red'].nodes)).toHaveLength(5);
    const core = new Set(['tab', 'inject', 'catch', 'debug', 'http request']);
    for (const n of flows) expect(core.has(n.type) || ours.has(n.type), n.type).toBe(true);
  });
});
