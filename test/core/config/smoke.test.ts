import { describe, expect, it } from 'vitest';
import { Component, Environment, smokeOf } from '../../../src/core/config/schema.ts';

describe('per-component smoke check', () => {
  const staging = Environment.parse({ name: 'staging', smoke: { path: '/healthz', port: 8080 } });

  it('defaults to the environment smoke check', () => {
    expect(smokeOf(Component.parse({ name: 'api' }), staging)).toEqual(staging.smoke);
  });

  it('smoke: false disables it (a worker without HTTP)', () => {
    expect(smokeOf(Component.parse({ name: 'worker', smoke: false }), staging)).toBeUndefined();
  });

  it('fields a component gives replace the environment ones, the rest is kept', () => {
    const admin = Component.parse({ name: 'admin', smoke: { port: 9000, path: '/ready' } });
    expect(smokeOf(admin, staging)).toEqual({ path: '/ready', port: 9000, status: 200 });
  });

  it('refuses smoke: true and unknown fields', () => {
    expect(Component.safeParse({ name: 'api', smoke: true }).success).toBe(false);
    expect(Component.safeParse({ name: 'api', smoke: { url: 'http://x' } }).success).toBe(false);
  });
});
