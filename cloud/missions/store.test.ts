import { describe } from 'vitest';
import { MemoryMissionStore } from './store.js';
import { missionStoreSuite } from '../../test/support/mission-store-suite.js';

describe('MemoryMissionStore', () => {
  missionStoreSuite(() => new MemoryMissionStore());
});
