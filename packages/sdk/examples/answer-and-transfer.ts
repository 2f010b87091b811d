import { openProvider, UnsupportedError, type Call } from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'operator',
  password: process.env.CTI_PASSWORD ?? '',
});
const line = provider.getAddress(process.env.LINE ?? '1001');
const supervisor = process.env.SUPERVISOR ?? '1002';
let consult: Call | undefined;
await line.addCallObserver(async (ev) => {
  if (ev.type === 'CallCtlTermConnRingingEv' && ev.connection.address === line) {
    try {
      await ev.terminalConnection.answer(); // resolves once the phone talks
    } catch (err) {
      if (err instanceof UnsupportedError) console.log(`answer on the phone itself: ${err.message}`);
      return;
    }
    console.log(`answered ${ev.call.callingAddress?.name ?? 'unknown'}`);
    // The caller is held (music on hold) and the supervisor is called from the same phone.
    consult = provider.createCall();
    await consult.consult(ev.terminalConnection, supervisor);
  }
  if (ev.type === 'CallCtlConnEstablishedEv' && ev.call === consult && ev.connection.address.name === supervisor) {
    const [held] = provider.calls.filter((call) => call !== consult);
    await held!.transfer(consult); // the caller now talks to the supervisor; this phone leaves both calls
    console.log(`transferred to ${supervisor}`);
    await provider.shutdown();
  }
});
