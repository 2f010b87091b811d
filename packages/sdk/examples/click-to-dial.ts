import { openProvider } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
});
const line = provider.getAddress(process.env.LINE ?? '1001');
const [phone] = line.terminals;
const number = process.env.NUMBER ?? '1002';
// The id is known before the server answers, so events that come first already find the call.
const call = provider.createCall();
// JTAPI: Call.connect needs a call observer on the originating address or terminal.
await line.addCallObserver(async (ev) => {
  if (ev.call !== call) return;
  if (ev.type === 'CallCtlConnEstablishedEv' && ev.connection.address.name === number) {
    console.log(`${number} answered`);
    await call.drop();
  }
  if (ev.type === 'CallInvalidEv') await provider.shutdown();
});
const [from, to] = await call.connect(phone!, line, number);
console.log(
  `call ${call.callId}: ${from?.address.name} ${from?.callControlState}, ${to?.address.name} ${to?.callControlState}`,
);
