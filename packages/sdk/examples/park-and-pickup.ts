import { openProvider } from '@strowger/sdk';

// An operator console's park button: the call the operator's phone talks on is parked, the park
// number announced (paged, shown on a wallboard…), and a colleague's phone retrieves it.
const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'operator',
  password: process.env.CTI_PASSWORD ?? '',
});
const operator = provider.getAddress(process.env.LINE ?? '1001');
const colleague = provider.getTerminal(process.env.COLLEAGUE ?? 'SEP1003');
await operator.addCallObserver(async (ev) => {
  if (ev.type !== 'CallCtlTermConnTalkingEv' || ev.connection.address !== operator) return;
  const parkNumber = await ev.terminalConnection.park(); // the operator's phone is free again
  console.log(`${ev.call.callingAddress?.name ?? 'the caller'} is parked at ${parkNumber}`);
  const callId = await colleague.unpark(colleague.addresses[0]!, parkNumber);
  console.log(`${colleague.name} took call ${callId}`);
  await provider.shutdown();
});
