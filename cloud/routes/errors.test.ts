import { describe, expect, it } from 'vitest';
import { statusOf } from './errors.js';

describe('error codes to HTTP status', () => {
  it('maps the stable codes of every component in one place', () => {
    expect(statusOf('NOT_FOUND')).toBe(404);
    expect(statusOf('CONFLICT')).toBe(409);
    expect(statusOf('CONFIG_INVALID')).toBe(400);
    expect(statusOf('MISSION_INVALID')).toBe(400);
    expect(statusOf('AUTH_REQUIRED')).toBe(401);
    expect(statusOf('AUTH_FORBIDDEN')).toBe(403);
    expect(statusOf('STORE_UNAVAILABLE')).toBe(503);
    expect(statusOf('REGISTRY_UNAVAILABLE')).toBe(503);
    expect(statusOf('REGISTRY_MIGRATION')).toBe(500);
    expect(statusOf('ANYTHING_ELSE')).toBe(500);
  });
});
