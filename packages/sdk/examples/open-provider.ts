import { openProvider } from '@strowger/sdk';

// Servers are tried in order; the provider is IN_SERVICE once the promise resolves.
const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748', 'ws://backup.example:2748'],
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
  appInfo: 'sdk-guide',
});
console.log(`provider ${provider.state} for ${provider.user.userId} (${provider.user.kind})`);
for (const terminal of provider.terminals) {
  const lines = terminal.addresses.map((a) => a.name).join(', ');
  console.log(`terminal ${terminal.name}: ${lines}${terminal.restricted ? ' (restricted)' : ''}`);
}
for (const { kind, name, reason } of provider.excluded) console.log(`not in the domain: ${kind} ${name}: ${reason}`);
await provider.shutdown();
