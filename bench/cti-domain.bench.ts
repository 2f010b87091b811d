/**
 * CTI permission model benchmark: what a provider open costs for an application user with 10,000
 * controlled devices — indexing the configuration snapshot (once per snapshot), computing the domain
 * with the reason for every device left out, and the explainer's per-user report — against the
 * compiled code that ships (npm run bench:cti builds it first).
 */
import {
  CtiConfiguration,
  computeProviderDomain,
  evaluateAccess,
  explainUser,
  findCtiUser,
} from '../packages/server/dist/cti/index.js';
import { ctiCluster } from './cti-cluster.js';

const runs = Number(process.env.BENCH_RUNS ?? 20);

function time<T>(work: () => T): { ms: number; result: T } {
  const start = process.hrtime.bigint();
  const result = work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function bench(label: string, devices: number, controlled: number): void {
  const indexTimes: number[] = [];
  const domainTimes: number[] = [];
  const reportTimes: number[] = [];
  let summary = '';
  for (let run = 0; run < runs; run++) {
    // A fresh snapshot object each run, so the index is built and not served from the cache.
    const snap = ctiCluster({ devices, controlled });
    const indexed = time(() => CtiConfiguration.fromSnapshot(snap));
    const configuration = indexed.result;
    const user = findCtiUser(configuration, 'monitor');
    const domain = time(() => computeProviderDomain(configuration, user));
    const report = time(() => explainUser(configuration, user));
    indexTimes.push(indexed.ms);
    domainTimes.push(domain.ms);
    reportTimes.push(report.ms);
    summary = `${domain.result.terminals.length} terminals, ${domain.result.addresses.filter((a) => a.restricted).length} restricted addresses, ${domain.result.excluded.devices.length} devices excluded`;
  }
  const fmt = (values: number[]) => `${median(values).toFixed(1)} ms (max ${Math.max(...values).toFixed(1)})`;
  console.log(`${label}: ${summary}`);
  console.log(`  index the snapshot      ${fmt(indexTimes)}`);
  console.log(`  provider domain         ${fmt(domainTimes)}`);
  console.log(`  per-user report         ${fmt(reportTimes)}`);
}

bench('10,000 devices, all controlled', 10_000, 10_000);
bench('20,000 devices, 10,000 controlled', 20_000, 10_000);

const configuration = CtiConfiguration.fromSnapshot(ctiCluster({ devices: 10_000, controlled: 10_000 }));
const user = findCtiUser(configuration, 'monitor');
const acquired = new Set<string>();
const count = 200_000;
const { ms } = time(() => {
  for (let i = 0; i < count; i++) {
    evaluateAccess({ configuration, user, device: `SEP${String(i % 10_000).padStart(12, '0')}`, acquired });
  }
});
console.log(
  `evaluateAccess (one device, every rule):  ${Math.round(count / (ms / 1000)).toLocaleString('en-US')} per second`,
);
