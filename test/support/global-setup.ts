// Built once before any test file runs: the Node-RED nodes require the generated bundle
// flows/nodes/lib/ruongso.cjs, which is not committed (see flows/nodes/build.mjs).
// @ts-expect-error plain ESM build script without types
import { writeBundle } from '../../flows/nodes/build.mjs';

export default async function setup(): Promise<void> {
  await (writeBundle as () => Promise<boolean>)();
}
