import { openProvider } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
});
// Every event of the provider, in order, from the moment events() is called (so call it before
// adding observers); the loop ends when the provider shuts down.
const events = provider.events();
await provider.getAddress(process.env.LINE ?? '1001').addCallObserver(() => {});
for await (const ev of events) {
  if (ev.type === 'CallCtlConnAlertingEv') {
    console.log(`ringing: ${ev.address} called by ${ev.callingAddress ?? 'unknown'} (event id ${ev.id})`);
  }
  if (ev.type === 'CallInvalidEv') await provider.shutdown();
}
console.log(`done: provider ${provider.state}`);
