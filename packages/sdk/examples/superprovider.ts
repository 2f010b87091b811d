import { PrivilegeViolationError, openProvider } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
});
const name = process.env.DEVICE ?? 'SEP5555';
if (!provider.capabilities.observeAnyTerminal) {
  console.log('this user lacks "Standard CTI Allow Control of All Devices"');
} else {
  try {
    // Acquire a device that is not among the user's controlled devices, then observe it.
    const terminal = await provider.createTerminal(name);
    await terminal.addCallObserver((ev) => console.log(`${terminal.name}: ${ev.type}`));
    console.log(`acquired ${terminal.name} with lines ${terminal.addresses.map((a) => a.name).join(', ')}`);
  } catch (err) {
    if (err instanceof PrivilegeViolationError) console.log(err.message);
    else throw err;
  }
}
await provider.shutdown();
