import type { Command, GatewayConfig } from '../../protocol/index.js';
import { num } from './format.js';
import { step } from './step.js';
import { cloneState } from './state.js';
import { DEFAULT_LOOP_OPTIONS, type LoopOptions, type LoopState, type StepResult } from './types.js';

export interface CommandOutcome {
  outcome: 'done' | 'rejected' | 'expired';
  reason?: string;
  /** why, as a stable code: `expired`, `unknown_target`, or the interlock's code that refused an open */
  code?: string;
}

/** Valves a command names: one valve, or every valve of a zone; null = it names something unknown. */
function targets(cmd: Command, config: GatewayConfig): string[] | null | 'all' {
  if (cmd.kind === 'stop-all') return 'all';
  if (cmd.kind === 'resume' && !cmd.valve && !cmd.zone) return 'all';
  const all = new Set(config.zones.flatMap((z) => z.valves));
  if (cmd.valve) return all.has(cmd.valve) ? [cmd.valve] : null;
  const zone = config.zones.find((z) => z.id === cmd.zone);
  return zone ? [...zone.valves] : null;
}

/**
 * A person's command (cloud or local), executed at once: the override is recorded and the loop
 * steps, so the answer says what really happened. An open that every interlock refuses is
 * rejected with the interlock's reason and leaves nothing behind. Dedupe of ids is the uplink's.
 */
export function executeCommand(
  prev: LoopState,
  cmd: Command,
  config: GatewayConfig,
  now: number,
  opts: LoopOptions = DEFAULT_LOOP_OPTIONS,
): StepResult & CommandOutcome {
  const by = cmd.by ?? `command ${cmd.id}`;
  const noop = (outcome: CommandOutcome['outcome'], reason: string, code: string) => ({
    ...step(prev, [], config, now, opts),
    outcome,
    reason,
    code,
  });
  if (now > cmd.expiresAt) return noop('expired', `command ${cmd.id} expired before it arrived`, 'expired');
  const t = targets(cmd, config);
  if (t === null)
    return noop(
      'rejected',
      `unknown ${'valve' in cmd && cmd.valve ? `valve "${cmd.valve}"` : `zone "${'zone' in cmd ? cmd.zone : ''}"`} in config v${config.version}`,
      'unknown_target',
    );
  const valves = t === 'all' ? config.zones.flatMap((z) => z.valves) : t;
  if (cmd.kind === 'resume') return resume(prev, cmd, valves, by, config, now, opts);
  const state = cloneState(prev);
  const holdMin = cmd.kind === 'stop-all' ? opts.stopAllHoldMinutes : opts.closeHoldMinutes;
  const minutes = cmd.kind === 'open' ? cmd.minutes : holdMin;
  for (const v of valves) {
    state.overrides[v] = {
      kind: cmd.kind === 'open' ? 'open' : 'close',
      until: now + minutes * 60_000,
      by,
      cmdId: cmd.id,
    };
  }
  const result = step(state, [], config, now, opts);
  const head =
    cmd.kind === 'open'
      ? `open ${valves.join(', ')} for ${num(minutes)} min`
      : `${cmd.kind === 'stop-all' ? 'stop all' : `close ${valves.join(', ')}`}, held closed ${num(minutes)} min`;
  if (cmd.kind === 'open' && !valves.some((v) => result.state.valves[v]?.open)) {
    const why = valves.map((v) => result.state.valves[v]?.blockReason).filter((r): r is string => !!r);
    const reason = why.length ? why.join('; ') : valves.map((v) => `${v} could not open`).join('; ');
    const code = valves.map((v) => result.state.valves[v]?.block).find((b): b is string => !!b) ?? 'not_opened';
    return { ...noop('rejected', reason, code) };
  }
  result.events.push({
    ts: now,
    kind: 'cmd_executed',
    code: `cmd_${cmd.kind.replace('-', '_')}`,
    severity: 'info',
    reason: `command ${cmd.id} by ${by}: ${head}`,
    data: { cmdId: cmd.id, by, valves: valves.join(','), minutes },
  });
  return { ...result, outcome: 'done', reason: head };
}

/**
 * "Resume automatic now": the manual holds (open or close) of the named valves end at once and the
 * loop steps, so the automatic mode decides in the same answer. Valves without a hold are left as
 * they are; a resume with nothing to clear is still done (the person's wish already holds).
 */
function resume(
  prev: LoopState,
  cmd: Command,
  valves: string[],
  by: string,
  config: GatewayConfig,
  now: number,
  opts: LoopOptions,
): StepResult & CommandOutcome {
  const state = cloneState(prev);
  const cleared = valves.filter((v) => state.overrides[v]);
  for (const v of cleared) delete state.overrides[v];
  const result = step(state, [], config, now, opts);
  const head = cleared.length
    ? `resume automatic for ${cleared.join(', ')}`
    : 'resume automatic: no manual hold to clear';
  result.events.push({
    ts: now,
    kind: 'cmd_executed',
    code: 'cmd_resume',
    severity: 'info',
    reason: `command ${cmd.id} by ${by}: ${head}`,
    data: { cmdId: cmd.id, by, valves: valves.join(','), cleared: cleared.join(',') },
  });
  return { ...result, outcome: 'done', reason: head };
}
