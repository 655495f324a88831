import { describe, expect, it } from 'vitest';
import { mosquittoAcl } from './mosquitto-files.js';

describe('mosquittoAcl', () => {
  it("writes each cloud instance's login and every gateway's own topics, and lets every login read the host state", () => {
    const acl = mosquittoAcl(['gw-a'], { cloud: ['cloud', 'cloud-2'] });
    expect(acl).toMatch(/user cloud\ntopic readwrite ruongso\/v1\/#/);
    expect(acl).toMatch(/user cloud-2\ntopic readwrite ruongso\/v1\/#/);
    expect(acl).toMatch(/user gw-a\ntopic write ruongso\/v1\/gw\/gw-a\/state/);
    expect(acl).toMatch(/pattern read ruongso\/v1\/host\/\+\/state/);
  });

  it('refuses to write a service name as a gateway', () => {
    for (const id of ['cloud', 'admin', 'ingest', 'drone-30l', 'cloud-2'])
      expect(() => mosquittoAcl([id])).toThrow(/service login/);
  });
});
