import { describe, expect, it } from 'vitest';
import type { SipTraceItem } from '../api/types';
import { formatOffset, ladderLayout, strowgerColumn } from './ladder-layout';

const caller = '127.0.0.1:5061';
const callee = '127.0.0.1:5062';

function message(
  seq: number,
  atMs: number,
  direction: SipTraceItem['direction'],
  remote: string,
  summary: string,
  device?: string,
): SipTraceItem {
  return {
    seq,
    at: new Date(Date.UTC(2026, 10, 30, 8, 0, 0, atMs)).toISOString(),
    direction,
    transport: 'udp',
    local: '127.0.0.1:5060',
    remote,
    ...(device === undefined ? {} : { device }),
    callId: 'c-1',
    sipCallId: `sip-${remote}`,
    summary,
    message: `${summary}\r\n\r\n`,
  };
}

describe('the SIP ladder layout', () => {
  // A B2BUA call, given out of order: the layout sorts by sequence number.
  const items = [
    message(3, 40, 'sent', callee, 'INVITE sip:2002@127.0.0.1:5062 SIP/2.0', 'SEP000000002002'),
    message(1, 0, 'received', caller, 'INVITE sip:2002@127.0.0.1:5060 SIP/2.0', 'SEP000000002001'),
    message(2, 5, 'sent', caller, 'SIP/2.0 100 Trying', 'SEP000000002001'),
    message(4, 1040, 'received', callee, 'SIP/2.0 200 OK', 'SEP000000002002'),
  ];

  it('MUST put the first peer left of Strowger and the others to its right, labelled by device', () => {
    const { columns } = ladderLayout(items);
    expect(columns.map((column) => column.id)).toEqual([caller, strowgerColumn, callee]);
    expect(columns.map((column) => column.label)).toEqual(['SEP000000002001', 'Strowger', 'SEP000000002002']);
    expect(columns[1]?.detail).toBe('127.0.0.1:5060');
  });

  it('MUST draw a received message towards Strowger and a sent one away from it, in sequence order', () => {
    const { arrows } = ladderLayout(items);
    expect(arrows.map((arrow) => [arrow.item.seq, arrow.from, arrow.to])).toEqual([
      [1, 0, 1],
      [2, 1, 0],
      [3, 1, 2],
      [4, 2, 1],
    ]);
  });

  it('MUST time each message from the first and from the one before', () => {
    const { arrows } = ladderLayout(items);
    expect(arrows.map((arrow) => arrow.sinceStartMs)).toEqual([0, 5, 40, 1040]);
    expect(arrows.map((arrow) => arrow.sincePreviousMs)).toEqual([0, 5, 35, 1000]);
    expect(formatOffset(1040)).toBe('+1.040 s');
  });

  it('a peer without a known device MUST be labelled by its address', () => {
    const { columns } = ladderLayout([message(1, 0, 'received', '192.0.2.9:5060', 'OPTIONS sip:x SIP/2.0')]);
    expect(columns[0]).toMatchObject({ id: '192.0.2.9:5060', label: '192.0.2.9:5060' });
  });

  it('an empty trace MUST have only the Strowger column and no arrow', () => {
    expect(ladderLayout([])).toEqual({ columns: [{ id: strowgerColumn, label: 'Strowger', detail: '' }], arrows: [] });
  });
});
