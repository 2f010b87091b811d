import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, silentLogger } from '@strowger/core';
import { readWav, writeWav } from '@strowger/media';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { speech } from '../test/fake-platform.js';
import { MailboxStore } from './mailbox-store.js';

describe('mailbox store: messages on disk survive a crash', () => {
  let directory: string;
  const clock = new FakeClock();
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ivr-store-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  const open = () => new MailboxStore({ directory, clock, logger: silentLogger });

  async function record(store: MailboxStore, seconds = 2): Promise<string> {
    const file = await store.incomingFile('1001');
    await writeFile(file, writeWav(speech(seconds), 'pcm16'));
    return file;
  }

  it('stores a message as an 8 kHz WAV listed as new in the index, with caller, time and duration', async () => {
    const store = open();
    const message = await store.addMessage('1001', { file: await record(store), caller: '4711', seconds: 2 });
    const index = JSON.parse(await readFile(join(directory, '1001', 'index.json'), 'utf8'));
    expect(index).toEqual({ version: 1, messages: [message] });
    expect(message).toMatchObject({
      state: 'new',
      caller: '4711',
      seconds: 2,
      receivedAt: new Date(clock.now()).toISOString(),
    });
    expect(readWav(await readFile(store.messageFile('1001', message.id))).length).toBe(16000);
    expect(await store.counts('1001')).toEqual({ new: 1, saved: 0 });
  });

  it('keeps every message when several ports store into one mailbox at once', async () => {
    const store = open();
    const files = await Promise.all(Array.from({ length: 8 }, () => record(store, 1)));
    await Promise.all(files.map((file, i) => store.addMessage('1001', { file, caller: `20${i}`, seconds: 1 })));
    expect((await open().messages('1001')).map((m) => m.caller).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `20${i}`).sort(),
    );
  });

  it('after a crash between moving the WAV and writing the index, lists the message again as new', async () => {
    const store = open();
    await store.addMessage('1001', { file: await record(store), caller: '4711', seconds: 2 });
    // The crash: a WAV in place that the index does not list, a half-written index beside the real
    // one, and a recording still in progress.
    await writeFile(join(directory, '1001', 'messages', 'zzzzzzzzz-abcdef.wav'), writeWav(speech(3), 'pcm16'));
    await writeFile(join(directory, '1001', '.partial-index.json.1234'), '{"version":1,"mess');
    await writeFile(join(directory, '1001', 'incoming', 'half.wav'), 'RIFF');
    const reopened = open();
    const messages = await reopened.messages('1001');
    expect(messages.map((m) => [m.caller, m.state, m.seconds])).toEqual([
      ['4711', 'new', 2],
      ['', 'new', 3],
    ]);
    expect((await readdir(join(directory, '1001'))).sort()).toEqual(['index.json', 'messages']);
  });

  it('drops an index entry whose WAV was deleted before a crash, and never brings a deleted message back', async () => {
    const store = open();
    const kept = await store.addMessage('1001', { file: await record(store), caller: '1', seconds: 2 });
    const gone = await store.addMessage('1001', { file: await record(store), caller: '2', seconds: 2 });
    // The crash came after the WAV was removed and before the index was written.
    await rm(store.messageFile('1001', gone.id));
    expect((await open().messages('1001')).map((m) => m.id)).toEqual([kept.id]);
  });

  it('rebuilds an unreadable index from the message files', async () => {
    const store = open();
    await store.addMessage('1001', { file: await record(store), caller: '1', seconds: 2 });
    await writeFile(join(directory, '1001', 'index.json'), 'not json');
    expect(await open().counts('1001')).toEqual({ new: 1, saved: 0 });
  });

  it('saves, deletes and keeps a greeting', async () => {
    const store = open();
    const message = await store.addMessage('1001', { file: await record(store), caller: '1', seconds: 2 });
    await store.setState('1001', message.id, 'saved');
    expect(await store.counts('1001')).toEqual({ new: 0, saved: 1 });
    await store.deleteMessage('1001', message.id);
    expect(await store.counts('1001')).toEqual({ new: 0, saved: 0 });
    expect(await store.greetingFile('1001')).toBeUndefined();
    await store.saveGreeting('1001', await record(store));
    expect(await store.greetingFile('1001')).toBe(join(directory, '1001', 'greeting.wav'));
  });
});
