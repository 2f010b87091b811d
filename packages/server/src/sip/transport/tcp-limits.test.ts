import { describe, expect, it } from 'vitest';
import { FakeClock, type Logger } from '../../core/index.js';
import { TcpGuard } from './tcp-limits.js';

function guard() {
  const clock = new FakeClock(0);
  const warnings: string[] = [];
  const logger: Logger = {
    error() {},
    warn: (_obj, msg) => warnings.push(msg ?? ''),
    info() {},
    debug() {},
    child: () => logger,
  };
  const tcp = new TcpGuard({
    clock,
    logger,
    limits: { maxConnections: 5, maxConnectionsPerSource: 2, bufferBudgetBytes: 100 },
  });
  return { clock, warnings, tcp };
}

describe('TcpGuard', () => {
  it('refuses a source at its limit and everyone at the total, and takes them back as they close', () => {
    const { tcp } = guard();
    for (let i = 0; i < 2; i++) tcp.opened('192.0.2.1');
    expect(tcp.refusalFor('192.0.2.1')).toBe('per-source-limit');
    expect(tcp.refusalFor('192.0.2.2')).toBeUndefined();
    for (let i = 0; i < 3; i++) tcp.opened(`192.0.2.${10 + i}`);
    expect(tcp.refusalFor('192.0.2.99')).toBe('total-limit');
    tcp.closed('192.0.2.1');
    expect(tcp.refusalFor('192.0.2.1')).toBeUndefined();
  });

  it('logs a refused source once per minute however often it tries', () => {
    const { clock, warnings, tcp } = guard();
    for (let i = 0; i < 2; i++) tcp.opened('192.0.2.1');
    for (let i = 0; i < 100; i++) tcp.refusalFor('192.0.2.1');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/--sip-tcp-max-per-source/);
    clock.advance(60_000);
    tcp.refusalFor('192.0.2.1');
    expect(warnings).toHaveLength(2);
  });

  it('says when the bytes held go over the budget, and counts them back down', () => {
    const { tcp } = guard();
    expect(tcp.held(60)).toBe(false);
    expect(tcp.held(60)).toBe(true);
    expect(tcp.held(-60)).toBe(false);
    expect(tcp.bufferedBytes).toBe(60);
  });
});
