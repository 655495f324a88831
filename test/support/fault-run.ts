import { afterAll, beforeAll } from 'vitest';
import { SCENARIOS, type Scenario } from './fault-scenarios.js';
import { drainAndReconcile, startFaultStack, untilFlowing, type FaultStack } from './fault-stack.js';

/** The suite's scenario of this name: a renamed scenario fails the test instead of running nothing. */
export function scenarioNamed(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no fault scenario named ${JSON.stringify(name)}`);
  return s;
}

/** A fault stack of two gateway processes with `ruongso cloud` running (destroyed again if the cloud does not start). */
export async function startStackWithCloud(): Promise<FaultStack> {
  const stack = await startFaultStack({ gateways: 2 });
  try {
    await stack.cloud.start();
  } catch (err) {
    await stack.destroy();
    throw err;
  }
  return stack;
}

/** One stack with its cloud for the tests of a describe block: started before them, destroyed after. */
export function stackForBlock(): () => FaultStack {
  let stack: FaultStack | undefined;
  beforeAll(async () => {
    stack = await startStackWithCloud();
  }, 120_000);
  afterAll(async () => {
    await stack?.destroy();
  });
  return () => stack!;
}

/**
 * Once readings flow on every gateway: runs the fault, then stops the producers and counts, per
 * reading, what was stored. The scenario's notes and the count are for the test to judge.
 */
export async function runAndReconcile(stack: FaultStack, scenario: Scenario) {
  await untilFlowing(stack);
  const notes = await scenario.run(stack);
  // a fault over in a moment (the takeover attempts on a quiet machine) leaves too few readings
  // to judge by: keep producing until each gateway has made MIN_PRODUCED of them
  await Promise.all(
    stack.gateways.map((g) =>
      g.child.until(() => g.child.produced * g.sensors >= MIN_PRODUCED, 60_000, `${MIN_PRODUCED} readings produced`),
    ),
  );
  return { notes, reconciled: await drainAndReconcile(stack) };
}

/** readings each gateway has produced at least before the count (the suite asks for > 1,000 in all) */
export const MIN_PRODUCED = 600;
