import { openProvider } from '@strowger/sdk';

const provider = await openProvider({
  // The second address takes over when the first is lost; JTAPI does not fail back on its own.
  servers: (process.env.CTI_SERVERS ?? 'ws://cti-a:2748,ws://cti-b:2748').split(','),
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
  keepAliveSeconds: 15,
});
provider.on('connectionLost', ({ server, error }) => console.log(`lost ${server}: ${error.name}`));
provider.on('connectionRestored', ({ server, resumed }) =>
  console.log(`restored on ${server}, ${resumed ? 'resumed: no event missed' : 'opened anew'}`),
);
// After a resync the model was rebuilt from a snapshot: reload whatever the application derived from events.
provider.on('resync', ({ reason, seq }) => console.log(`resync (${reason}) at seq ${seq}`));
await provider.getAddress(process.env.LINE ?? '1001').addCallObserver((ev) => console.log(`${ev.seq} ${ev.type}`));
