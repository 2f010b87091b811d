import {
  AccessToDeviceDeniedError,
  CtiError,
  InvalidArgumentError,
  LineRestrictedError,
  openProvider,
} from '@strowger/sdk';

const provider = await openProvider({
  servers: [process.env.CTI_SERVER ?? 'ws://localhost:2748'],
  user: process.env.CTI_USER ?? 'crm',
  password: process.env.CTI_PASSWORD ?? '',
});
for (const address of provider.addresses) {
  try {
    await address.addCallObserver(() => {});
    console.log(`observing ${address.name}`);
  } catch (err) {
    if (err instanceof LineRestrictedError) console.log(`${address.name} is restricted: ${err.message}`);
    else if (err instanceof AccessToDeviceDeniedError) console.log(`${address.name} left the domain`);
    else if (err instanceof CtiError) console.log(`${address.name}: ${err.code} (${err.cisco ?? 'no Cisco name'})`);
    else throw err;
  }
}
try {
  provider.getTerminal('SEP-NOT-MINE');
} catch (err) {
  if (err instanceof InvalidArgumentError) console.log(err.message);
}
await provider.shutdown();
