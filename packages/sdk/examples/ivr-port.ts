import { openProvider } from '@strowger/sdk';
import { MediaPort } from '@strowger/sdk/node';

// A one-port auto-attendant: the port answers, plays the greeting, and sends the caller where the
// key they press says. The application terminates the RTP itself; it never writes a packet.
const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'ivr',
  password: process.env.CTI_PASSWORD ?? '',
});
const menu: Record<string, string> = { '1': '1002', '2': '1003', '0': '1001' };
const port = await MediaPort.open(provider, process.env.PORT ?? 'IVR_PORT_1', {
  // Where callers' RTP reaches this machine.
  address: process.env.RTP_ADDRESS ?? '127.0.0.1',
});
port.onCall(async (call) => {
  await call.media.play(process.env.GREETING ?? 'greeting.wav', { interruptOnDigit: true });
  const { digits } = await call.media.collectDigits({ max: 1, timeout: 5000 });
  const destination = menu[digits];
  console.log(`caller pressed ${digits || 'nothing'}`);
  if (destination === undefined) await call.hangup();
  else await call.transfer(destination);
});
console.log(`${port.terminal.name} answers on RTP port ${port.media.local.port}`);
