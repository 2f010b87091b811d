import { openProvider } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'screenpop',
  password: process.env.CTI_PASSWORD ?? '',
});
for (const terminal of provider.terminals.filter((t) => !t.restricted)) {
  await terminal.addCallObserver((ev) => {
    if (ev.type === 'ConnAlertingEv' && terminal.addresses.includes(ev.connection.address)) {
      const caller = ev.call.callingAddress?.name ?? '';
      console.log(`https://crm.example/lookup?number=${encodeURIComponent(caller)}`);
    }
  });
}
