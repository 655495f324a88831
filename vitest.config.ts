import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{protocol,lib,edge,cloud,simulators,cli,flows,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'data/**', 'cloud/web/dist/**'],
    // builds the generated Node-RED bundle (flows/nodes/lib/ruongso.cjs) before the first test
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration suites start their own servers on free ports; two cores
    maxWorkers: 2,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
