import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock, silentLogger } from '@strowger/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeCall, FakePlatform, FakeRouteRequest, settle, type Step } from '../test/fake-platform.js';
import { parseConfig } from './config.js';
import { startIvrApplication, type IvrApplication } from './ivr-application.js';
import { defaultPromptDirectory } from './prompt-library.js';

const yaml = (dataDirectory: string) => `
cti: { servers: ["ws://127.0.0.1:2748"], user: ivr, password: secret }
admin: { url: "http://127.0.0.1:8080", user: admin, password: secret-secret }
dataDirectory: ${JSON.stringify(dataDirectory)}
routePoints:
  - { name: CTIRP_VM, number: "5000", application: voicemail }
  - { name: CTIRP_AA, number: "5100", application: { autoAttendant: main } }
ports:
  - { name: CTIPORT_1, dn: "5101" }
  - { name: CTIPORT_2, dn: "5102" }
operator: "1000"
voicemail: { pilot: "5000", initialPin: "12345", lockoutAfter: 3 }
autoAttendants:
  main:
    menu: main
    afterHoursMenu: closed
    businessHours:
      timeZone: UTC
      weekly: { mon: ["08:00-17:00"], tue: ["08:00-17:00"], wed: ["08:00-17:00"], thu: ["08:00-17:00"], fri: ["08:00-17:00"] }
      holidays: ["2026-12-25"]
menus:
  main:
    greeting: { text: "Thank you for calling. For sales, press 1. For support, press 2. To dial an extension, press 3. To leave a message, press 4." }
    options: { "1": { transfer: "2000" }, "2": { menu: support }, "3": { dialByExtension: true }, "4": { voicemail: true }, "8": { checkMessages: true }, "0": { operator: true } }
  support:
    greeting: { text: "For support, press 1. To hear the main menu again, press 9." }
    options: { "1": { transfer: "3000" }, "9": { menu: main } }
  closed:
    greeting: { text: "We are closed. To leave a message, press 4." }
    options: { "4": { voicemail: true } }
    onFailure: goodbye
`;

/** Monday 2026-11-30 10:00 UTC (open) and Sunday 2026-11-29 10:00 UTC (closed). */
const monday = Date.UTC(2026, 10, 30, 10, 0);
const sunday = Date.UTC(2026, 10, 29, 10, 0);

describe('the IVR application, driven by scripted callers', () => {
  let dataDirectory: string;
  let application: IvrApplication | undefined;
  afterEach(async () => {
    await application?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  async function start(now = monday, edit = (text: string) => text) {
    dataDirectory = await mkdtemp(join(tmpdir(), 'ivr-app-'));
    const clock = new FakeClock(now);
    const platform = new FakePlatform([
      { name: 'CTIPORT_1', dn: '5101' },
      { name: 'CTIPORT_2', dn: '5102' },
    ]);
    application = await startIvrApplication({
      config: parseConfig(edit(yaml(dataDirectory)), 'ivr.yaml'),
      platform,
      promptDirectory: defaultPromptDirectory(),
      loadMailboxes: async () => [
        { extension: '1001', userId: 'alice' },
        { extension: '1002', userId: 'bob' },
      ],
      clock,
      logger: silentLogger,
    });
    let next = 0;
    /** A caller reaches a route point, is routed to a port, and follows `steps`; resolves when they are gone. */
    const dial = async (fields: { calling: string; called: string; originalCalled?: string }, steps: Step[]) => {
      const request = platform.offer(new FakeRouteRequest({ callId: `c${++next}`, routePoint: 'rp', ...fields }));
      await settle();
      const dn = request.selected?.[0];
      if (dn === undefined) throw new Error('not routed to a port');
      const call = new FakeCall({ id: request.callId, calling: fields.calling, called: dn, steps, clock });
      platform.port(dn).ring(call);
      // The flow is done when the port is free again (the flow ended and the call left the port).
      // The caller's clock runs 50 times faster than the wall clock: a 5 s menu timeout takes 0.1 s.
      for (let waited = 0; waited < 10_000 && application?.status().portsBusy !== 0; waited += 5) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        clock.advance(250);
      }
      return call;
    };
    return { platform, clock, dial };
  }

  it('auto-attendant: a key transfers the caller', async () => {
    const { dial } = await start();
    const call = await dial({ calling: '4711', called: '5100' }, [{ on: 'greeting', press: '1' }].map(greetingStep));
    expect(call.transferredTo).toBe('2000');
    expect(call.played.at(-1)).toBe('transferring');
  });

  it('auto-attendant: a wrong key gets "sorry, I did not get that" and the menu again, not a hang-up', async () => {
    const { dial } = await start();
    const call = await dial({ calling: '4711', called: '5100' }, [
      greetingStep({ on: 'greeting', press: '7' }),
      greetingStep({ on: 'greeting', press: '2' }),
    ]);
    const greeting = call.played[0];
    expect(call.played.slice(0, 3)).toEqual([greeting, 'not-understood', greeting]);
    // Key 2 led to the support submenu, whose prompt the caller did not answer: retries, then the operator.
    expect(call.transferredTo).toBe('1000');
    expect(call.played.at(-1)).toBe('operator');
  });

  it('auto-attendant: a key within the menu timeout is taken; one after it is met with "sorry" and the menu again', async () => {
    const { dial } = await start();
    const inTime = await dial({ calling: '4711', called: '5100' }, [
      greetingStep({ on: 'greeting', press: '1', afterSeconds: 4 }),
    ]);
    expect(inTime.played).not.toContain('not-understood');
    expect(inTime.transferredTo).toBe('2000');
    const late = await dial({ calling: '4711', called: '5100' }, [
      greetingStep({ on: 'greeting', press: '1', afterSeconds: 6 }),
    ]);
    expect(late.played.slice(1, 3)).toEqual(['not-understood', late.played[0]]);
    expect(late.transferredTo).toBe('2000');
  });

  it('auto-attendant: a caller who never presses a key is re-prompted, then sent to the operator', async () => {
    const { dial } = await start();
    const call = await dial({ calling: '4711', called: '5100' }, []);
    expect(call.played.filter((p) => p === 'not-understood')).toHaveLength(2);
    expect(call.transferredTo).toBe('1000');
  });

  it('auto-attendant: dial by extension reaches a known extension and refuses an unknown one', async () => {
    const { dial } = await start();
    const refused = await dial({ calling: '4711', called: '5100' }, [
      greetingStep({ on: 'greeting', press: '3' }),
      { on: 'enter-extension', press: '0099#' },
      { on: 'extension-unavailable', hangUp: true },
    ]);
    expect(refused.transferredTo).toBeUndefined();
    const reached = await dial({ calling: '4711', called: '5100' }, [
      greetingStep({ on: 'greeting', press: '3' }),
      { on: 'enter-extension', press: '1002#' },
    ]);
    expect(reached.transferredTo).toBe('1002');
  });

  it('auto-attendant: after hours the after-hours menu answers; with its retries used up, goodbye', async () => {
    const { dial } = await start(sunday);
    const call = await dial({ calling: '4711', called: '5100' }, []);
    expect(call.played[0]).toBe(call.played.find((p) => p.startsWith('text-')));
    expect(call.hungUpByIvr).toBe(true);
    expect(call.played.at(-1)).toBe('goodbye');
  });

  it('a caller who hangs up mid-prompt ends the flow and frees the port', async () => {
    const { dial } = await start();
    const call = await dial({ calling: '4711', called: '5100' }, [greetingStep({ on: 'greeting', hangUp: true })]);
    expect(call.callerHungUp).toBe(true);
    expect(call.transferredTo).toBeUndefined();
    expect(application?.status()).toMatchObject({ portsBusy: 0, portsFree: 2 });
  });

  it('voicemail deposit: a forwarded caller hears the default greeting naming the extension, leaves a message, the lamp lights', async () => {
    const { dial, platform } = await start();
    const call = await dial({ calling: '4711', called: '5000', originalCalled: '1001' }, []);
    expect(call.played.slice(0, 6)).toEqual([
      'greeting-extension',
      'digit-1',
      'digit-0',
      'digit-0',
      'digit-1',
      'greeting-unavailable',
    ]);
    expect(call.played).toContain('beep');
    expect(call.played.at(-1)).toBe('message-saved-goodbye');
    const index = JSON.parse(await readFile(join(dataDirectory, 'mailboxes', '1001', 'index.json'), 'utf8'));
    expect(index.messages).toHaveLength(1);
    expect(index.messages[0]).toMatchObject({ state: 'new', caller: '4711', seconds: 3 });
    expect(platform.lamps).toContainEqual({ dn: '1001', waiting: true });
  });

  it('voicemail deposit: a caller who hangs up at the beep leaves no message', async () => {
    const { dial, platform } = await start();
    const call = new Promise<FakeCall>((resolve) =>
      resolve(dial({ calling: '4711', called: '5000', originalCalled: '1002' }, [{ on: 'beep', hangUp: true }])),
    );
    expect((await call).callerHungUp).toBe(true);
    expect(platform.lamps.filter((l) => l.waiting)).toEqual([]);
  });

  it('voicemail retrieval: the owner logs in with the initial PIN, must change it, hears the message, saves it; the lamp clears', async () => {
    const { dial, platform } = await start();
    await dial({ calling: '4711', called: '5000', originalCalled: '1001' }, []);
    const call = await dial({ calling: '1001', called: '5000' }, [
      { on: 'enter-pin', press: '12345#' },
      { on: 'enter-new-pin', press: '2468#' },
      { on: 'reenter-new-pin', press: '2468#' },
      { on: 'main-menu', press: '1' },
      { on: 'message-menu', press: '2' },
      { on: 'main-menu', press: '*' },
    ]);
    expect(call.stepsLeft).toEqual([]);
    const youHave = call.played.indexOf('you-have');
    expect(call.played.slice(youHave, youHave + 3)).toEqual(['you-have', 'number-1', 'new-message']);
    expect(call.played).toContain('pin-changed');
    expect(call.played).toContain('message-saved');
    expect(platform.lamps.at(-1)).toEqual({ dn: '1001', waiting: false });
    // The new PIN is the one that works now.
    const again = await dial({ calling: '1001', called: '5000' }, [
      { on: 'enter-pin', press: '12345#' },
      { on: 'pin-wrong', press: '' },
      { on: 'enter-pin', press: '2468#' },
      { on: 'main-menu', press: '*' },
    ]);
    expect(again.stepsLeft).toEqual([]);
    expect(again.played).toContain('saved-message');
  });

  it('voicemail retrieval: repeated wrong PINs lock the mailbox', async () => {
    const { dial } = await start();
    const wrong = { on: 'enter-pin', press: '99999#' };
    const first = await dial({ calling: '1002', called: '5000' }, [wrong, wrong, wrong]);
    expect(first.played.at(-1)).toBe('mailbox-locked');
    const second = await dial({ calling: '1002', called: '5000' }, [{ on: 'enter-pin', press: '12345#' }]);
    expect(second.played.at(-1)).toBe('mailbox-locked');
  });

  it('one route point for both: a call forwarded to the pilot leaves a message, a direct call hears the menu and may log in', async () => {
    // The auto-attendant's route point is the voicemail pilot too, as in the demo configuration.
    const { dial } = await start(monday, (text) =>
      text
        .replace('  - { name: CTIRP_VM, number: "5000", application: voicemail }\n', '')
        .replace('number: "5100"', 'number: "5000"'),
    );
    const forwarded = await dial({ calling: '4711', called: '5000', originalCalled: '1002' }, []);
    expect(forwarded.played.at(-1)).toBe('message-saved-goodbye');
    const login = await dial({ calling: '1002', called: '5000' }, [
      greetingStep({ on: 'greeting', press: '8' }),
      { on: 'enter-pin', hangUp: true },
    ]);
    expect(login.stepsLeft).toEqual([]);
  });
});

/** The menus' greetings are spoken text, whose file names are hashes: match any of them. */
function greetingStep(step: Step): Step {
  return { ...step, on: step.on === 'greeting' ? 'text-' : step.on };
}
