import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, silentLogger } from '@strowger/core';
import { writeWav } from '@strowger/media';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakePlatform, speech } from '../test/fake-platform.js';
import { MailboxStore } from './mailbox-store.js';
import { MessageWaitingLamps } from './message-waiting.js';

describe('message-waiting lamps', () => {
  let directory: string;
  let store: MailboxStore;
  let platform: FakePlatform;
  let lamps: MessageWaitingLamps;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ivr-lamps-'));
    store = new MailboxStore({ directory, clock: new FakeClock(), logger: silentLogger });
    platform = new FakePlatform([]);
    lamps = new MessageWaitingLamps(platform, store, silentLogger);
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function leaveMessage(extension: string) {
    const file = await store.incomingFile(extension);
    await writeFile(file, writeWav(speech(1), 'pcm16'));
    return store.addMessage(extension, { file, caller: '4711', seconds: 1 });
  }

  it('lights a lamp once for new messages and clears it when none is new', async () => {
    const first = await leaveMessage('1001');
    await lamps.sync('1001');
    const second = await leaveMessage('1001');
    await lamps.sync('1001');
    await store.setState('1001', first.id, 'saved');
    await lamps.sync('1001');
    await store.deleteMessage('1001', second.id);
    await lamps.sync('1001');
    expect(platform.lamps).toEqual([
      { dn: '1001', waiting: true },
      { dn: '1001', waiting: false },
    ]);
  });

  it('a refresh lights every mailbox with new messages again and sends nothing for the others', async () => {
    await leaveMessage('1001');
    await lamps.refreshAll(['1001', '1002', '1003']);
    await lamps.refreshAll(['1001', '1002', '1003']);
    expect(platform.lamps).toEqual([
      { dn: '1001', waiting: true },
      { dn: '1001', waiting: true },
    ]);
  });

  it('a lamp that could not be set is tried again at the next sync', async () => {
    await leaveMessage('1001');
    let fail = true;
    const sent: boolean[] = [];
    platform.setMessageWaiting = async (_dn, waiting) => {
      if (fail) throw new Error('server unreachable');
      sent.push(waiting);
    };
    await lamps.sync('1001');
    fail = false;
    await lamps.sync('1001');
    expect(sent).toEqual([true]);
  });
});
