import { FakeClock, silentLogger } from '@strowger/core';
import { describe, expect, it } from 'vitest';
import { MailboxDirectory, fetchMailboxes, type Mailbox } from './mailbox-directory.js';

/** An admin API answering GET /api/v1/end-users from `users`, paged as the server pages. */
function adminApi(users: { userId: string; primaryExtension?: string }[], seen: URL[] = []): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push(url);
    const auth = new Headers(init?.headers).get('authorization');
    if (auth !== `Basic ${Buffer.from('reader:pw').toString('base64')}`) return new Response('{}', { status: 401 });
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    const items = users.slice(offset, offset + limit);
    return Response.json({ items, total: users.length, offset, limit });
  }) as typeof fetch;
}

describe('mailbox directory from the admin API', () => {
  it('pages through every end user and keeps those with a primary extension, with Basic auth', async () => {
    const users = Array.from({ length: 2500 }, (_, i) => ({
      userId: `user${i}`,
      ...(i % 5 === 0 ? {} : { primaryExtension: String(10000 + i) }),
    }));
    const seen: URL[] = [];
    const mailboxes = await fetchMailboxes({
      url: 'http://pbx:8080',
      user: 'reader',
      password: 'pw',
      fetch: adminApi(users, seen),
    });
    expect(mailboxes).toHaveLength(2000);
    expect(seen.map((u) => u.searchParams.get('offset'))).toEqual(['0', '1000', '2000']);
    expect(seen[0]?.pathname).toBe('/api/v1/end-users');
  });

  it('says to check the credentials when the API refuses them', async () => {
    await expect(
      fetchMailboxes({ url: 'http://pbx:8080', user: 'reader', password: 'wrong', fetch: adminApi([]) }),
    ).rejects.toThrow(/refused reader \(401\); check admin\.user/);
  });

  it('refreshes periodically and keeps the known mailboxes when a refresh fails', async () => {
    const clock = new FakeClock();
    let answer: Mailbox[] | Error = [{ extension: '1001', userId: 'alice' }];
    const directory = new MailboxDirectory({
      load: async () => {
        if (answer instanceof Error) throw answer;
        return answer;
      },
      clock,
      logger: silentLogger,
      refreshMinutes: 15,
    });
    await directory.start();
    expect(directory.get('1001')?.userId).toBe('alice');
    answer = [{ extension: '1002', userId: 'bob' }];
    clock.advance(15 * 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(directory.get('1002')?.userId).toBe('bob');
    expect(directory.get('1001')).toBeUndefined();
    answer = new Error('server down');
    clock.advance(15 * 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(directory.get('1002')?.userId).toBe('bob');
    directory.stop();
    expect(clock.pendingTimers).toBe(0);
  });
});
