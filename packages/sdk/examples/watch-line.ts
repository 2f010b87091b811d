import { openProvider } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
});
const line = provider.getAddress(process.env.LINE ?? '1001');
await line.addCallObserver((ev) => {
  // The objects already match the event: ev.connection.state is ALERTING on a ConnAlertingEv.
  if ('terminalConnection' in ev) {
    const tc = ev.terminalConnection;
    console.log(`${ev.seq} ${ev.type} ${tc.terminal.name} ${tc.state}/${tc.callControlState}`);
  } else if ('connection' in ev) {
    console.log(
      `${ev.seq} ${ev.type} ${ev.connection.address.name} ${ev.connection.state}/${ev.connection.callControlState}`,
    );
  } else {
    console.log(`${ev.seq} ${ev.type} call ${ev.call.callId} ${ev.call.state}`);
  }
});
