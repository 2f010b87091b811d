import { ErrorCode, isStrowgerError } from '../core/index.js';
import type { FeatureCall } from '../switch/index.js';
import type { FeatureMedia } from './feature-answering.js';
import { minutesPrompt, type FeaturePromptId } from './feature-prompts.js';
import { pinLockout, type MobilityService } from './extension-mobility-service.js';

/** Tries at keying something usable (a user id, a PIN) before the server says goodbye. */
export const maxUnusableEntries = 3;
/** Logins tried in one call: as many as lock a user out, so a call cannot guess beyond the lock-out. */
export const maxLoginsPerCall = pinLockout.attempts;

const userIdDigits = /^[0-9]{1,32}$/;
const pinDigits = /^[0-9]{4,20}$/;

/**
 * Extension Mobility login from the phone (the login feature code, `*70` by default): the caller
 * keys a user id — the end user's numeric user id, or their primary extension — and PIN, each
 * followed by `#`, and is logged in on the phone they call from. Something unusable (nothing, or a
 * key other than a digit) is asked for again; a wrong PIN starts over, until the lock-out, which is
 * said with how long it lasts. Every outcome is spoken, and then the server hangs up.
 */
export async function phoneLogin(mobility: MobilityService, call: FeatureCall, media: FeatureMedia): Promise<void> {
  if (!mobility.allowsExtensionMobility(call.device)) {
    await media.say('em-not-available', 'goodbye');
    return;
  }
  for (let attempt = 1; attempt <= maxLoginsPerCall; attempt++) {
    const keyed = await keyedEntry(media, 'em-enter-user-id', userIdDigits);
    if (keyed === undefined) return media.say('goodbye');
    const pin = await keyedEntry(media, 'em-enter-pin', pinDigits);
    if (pin === undefined) return media.say('goodbye');
    const userId = mobility.userIdForDigits(keyed);
    try {
      await mobility.login({
        userId,
        device: call.device,
        pin,
        source: call.device,
        by: { actor: `end user ${userId}`, via: 'phone' },
      });
      return media.say('em-logged-in');
    } catch (error) {
      const outcome = outcomeOf(error);
      if (outcome === undefined) throw error;
      if (outcome === 'wrong') {
        await media.say('em-wrong-pin');
        continue;
      }
      return media.say(...outcome);
    }
  }
  await media.say('goodbye');
}

/**
 * Extension Mobility logout from the phone (the logout feature code, `*71` by default): whoever is
 * logged in on the phone is logged out, and the phone has its own lines again. No PIN: the phone is
 * in the hand of whoever may end the login, as with the phone's logout key in CUCM.
 */
export async function phoneLogout(mobility: MobilityService, call: FeatureCall, media: FeatureMedia): Promise<void> {
  const login = mobility.engine.loginOn(call.device);
  if (login === undefined) {
    await media.say('em-not-logged-in', 'goodbye');
    return;
  }
  mobility.logout(call.device, { actor: `end user ${login.userId}`, via: 'phone' });
  await media.say('em-logged-out', 'goodbye');
}

/** Asks until the caller keys something that matches, or gives up after a few unusable entries. */
async function keyedEntry(media: FeatureMedia, prompt: FeaturePromptId, usable: RegExp): Promise<string | undefined> {
  for (let tries = 1; tries <= maxUnusableEntries; tries++) {
    const keyed = await media.ask(prompt);
    if (keyed !== undefined && usable.test(keyed)) return keyed;
    await media.say('em-not-understood');
  }
  return undefined;
}

/** What the caller is told when a login is refused: try again, or the prompts that end the call. */
function outcomeOf(error: unknown): 'wrong' | FeaturePromptId[] | undefined {
  if (!isStrowgerError(error)) return undefined;
  switch (error.code) {
    case ErrorCode.AuthenticationFailed:
      return 'wrong';
    case ErrorCode.AccountLocked: {
      const waitMs = Number(error.details?.retryAfterMs ?? 0);
      return ['em-locked', minutesPrompt(waitMs / 60_000), 'goodbye'];
    }
    case ErrorCode.InvalidState:
      // The device was checked before: what is left is "already logged in on another phone".
      return ['em-logged-in-elsewhere', 'goodbye'];
    default:
      return ['em-login-failed', 'goodbye'];
  }
}
