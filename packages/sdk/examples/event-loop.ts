import { openProvider } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
});
await provider.getAddress(process.env.LINE ?? '1001').addCallObserver(() => {});

// Every event of the provider, in order; the loop ends when the provider shuts down.
for await (const ev of provider.events()) {
  if (ev.type === 'CallCtlConnAlertingEv') {
    console.log(`ringing: ${ev.address} called by ${ev.callingAddress ?? 'unknown'} (event id ${ev.id})`);
  }
  if (ev.type === 'CallInvalidEv') await provider.shutdown();
}
console.log(`done: provider ${provider.state}`);
