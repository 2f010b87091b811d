/**
 * Every prompt the IVR speaks, by id, with its words: the one list the build script turns into WAV
 * files (espeak-ng, then sox to 8 kHz mono) and the flows refer to. A prompt is never silence.
 */
export type PromptSource = string | { readonly tone: { readonly hz: number; readonly seconds: number } };

const onesWords = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const tensWords = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const phrases = {
  beep: { tone: { hz: 1000, seconds: 0.4 } },
  goodbye: 'Goodbye.',
  'not-understood': 'Sorry, I did not get that.',
  transferring: 'Please hold while I transfer your call.',
  operator: 'Please hold for the operator.',
  'service-unavailable': 'Sorry, this service is not available right now. Please call again later.',
  'enter-extension': 'Please enter the extension you want, followed by the pound key.',
  'extension-unavailable': 'Sorry, that extension is not available.',
  'no-mailbox': 'Sorry, there is no mailbox for that number.',
  'greeting-extension': 'The person at extension',
  'greeting-unavailable':
    'is not available. Please leave a message after the tone. When you are done, hang up, or press the pound key.',
  'message-saved-goodbye': 'Your message has been saved. Goodbye.',
  'mailbox-full': 'Sorry, this mailbox is full and cannot take new messages. Goodbye.',
  'enter-mailbox': 'Please enter your mailbox number, followed by the pound key.',
  'enter-pin': 'Please enter your PIN, followed by the pound key. To use a different mailbox, press star.',
  'pin-wrong': 'That PIN is not correct.',
  'mailbox-locked': 'This mailbox is locked after too many wrong PINs. Please try again later. Goodbye.',
  'must-change-pin': 'Welcome to voicemail. Before you continue, please choose a new PIN.',
  'enter-new-pin': 'Please enter a new PIN of at least four digits, followed by the pound key.',
  'reenter-new-pin': 'Please enter the new PIN again, followed by the pound key.',
  'pin-mismatch': 'The two PINs do not match.',
  'pin-not-allowed': 'That PIN cannot be used. Please choose a longer one that is not your mailbox number.',
  'pin-changed': 'Your PIN has been changed.',
  'you-have': 'You have',
  no: 'no',
  and: 'and',
  'new-message': 'new message',
  'new-messages': 'new messages',
  'saved-message': 'saved message',
  'saved-messages': 'saved messages',
  'main-menu':
    'To listen to your new messages, press 1. To listen to your saved messages, press 2. ' +
    'To record your greeting, press 3. To change your PIN, press 4. To hang up, press star.',
  message: 'Message',
  from: 'from',
  'unknown-caller': 'an unknown caller',
  'message-menu':
    'To replay the message, press 1. To save it, press 2. To delete it, press 3. To call back, press 5. ' +
    'For the next message, press pound. To return to the main menu, press star.',
  'message-saved': 'Message saved.',
  'message-deleted': 'Message deleted.',
  'no-more-messages': 'There are no more messages.',
  'record-greeting': 'Record your greeting after the tone. Press the pound key when you are done.',
  'your-greeting-is': 'Your greeting is:',
  'greeting-menu': 'To keep this greeting, press 1. To record it again, press 2. To cancel, press star.',
  'greeting-saved': 'Your greeting has been saved.',
  'no-greeting-heard': 'Sorry, I did not hear a greeting.',
} as const satisfies Record<string, PromptSource>;

export type PhraseId = keyof typeof phrases;

/** The prompts of the digit keys, for reading numbers digit by digit (an extension, a caller). */
export const digitPromptId = (digit: string): string =>
  digit === '*' ? 'digit-star' : digit === '#' ? 'digit-pound' : `digit-${digit}`;

/** The whole catalog: phrases, keys, and the words that read a count aloud (0–19, tens, hundred, thousand). */
export function promptCatalog(): Record<string, PromptSource> {
  const catalog: Record<string, PromptSource> = { ...phrases };
  for (let digit = 0; digit <= 9; digit++) catalog[digitPromptId(String(digit))] = onesWords[digit] ?? '';
  catalog[digitPromptId('*')] = 'star';
  catalog[digitPromptId('#')] = 'pound';
  onesWords.forEach((word, n) => (catalog[`number-${n}`] = word));
  tensWords.forEach((word, i) => (catalog[`number-${(i + 2) * 10}`] = word));
  catalog['number-hundred'] = 'hundred';
  catalog['number-thousand'] = 'thousand';
  return catalog;
}

/** The prompt ids that read `n` aloud (0 ≤ n < 1,000,000): 342 → three hundred forty two. */
export function numberPromptIds(n: number): string[] {
  if (!Number.isInteger(n) || n < 0 || n >= 1_000_000) throw new RangeError(`cannot read ${n} aloud`);
  if (n < 20) return [`number-${n}`];
  if (n < 100) return [`number-${n - (n % 10)}`, ...(n % 10 === 0 ? [] : [`number-${n % 10}`])];
  if (n < 1000) {
    const rest = n % 100;
    return [`number-${Math.floor(n / 100)}`, 'number-hundred', ...(rest === 0 ? [] : numberPromptIds(rest))];
  }
  const rest = n % 1000;
  return [...numberPromptIds(Math.floor(n / 1000)), 'number-thousand', ...(rest === 0 ? [] : numberPromptIds(rest))];
}
