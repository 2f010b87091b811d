import type { SwitchDevice } from './config.js';
import type { AlertRequest } from './ports.js';

/** How a device is asked to answer by itself, as it is configured (nothing asked when `off`). */
export function autoAnswerOf(device: SwitchDevice): Pick<AlertRequest, 'autoAnswer' | 'autoAnswerBy'> {
  switch (device.autoAnswer ?? 'both') {
    case 'off':
      return {};
    case 'answer-mode':
      return { autoAnswer: true, autoAnswerBy: 'answer-mode' };
    case 'call-info':
      return { autoAnswer: true, autoAnswerBy: 'call-info' };
    case 'both':
      return { autoAnswer: true };
  }
}
