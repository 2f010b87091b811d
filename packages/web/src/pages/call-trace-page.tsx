import { Alert, Button, Code, Group, Modal, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, withQuery } from '../api/client';
import type { SipTraceItem } from '../api/types';
import { PageHeader } from '../components/page-header';
import { useLoad } from '../components/use-load';
import { formatOffset, ladderLayout, type Ladder } from '../trace/ladder-layout';

const columnWidth = 230;
const rowHeight = 34;
const top = 56;
const timeWidth = 120;

/** A call's SIP messages as a ladder diagram; a click (or Enter) on an arrow shows the whole message. */
export function CallTracePage() {
  const [params, setParams] = useSearchParams();
  const callId = params.get('callId') ?? '';
  const device = params.get('device') ?? '';
  const [callInput, setCallInput] = useState(callId);
  const [deviceInput, setDeviceInput] = useState(device);
  const [shown, setShown] = useState<SipTraceItem | null>(null);
  const [generation, setGeneration] = useState(0);
  const trace = useLoad(
    async (signal) => {
      if (callId === '' && device === '') return undefined;
      const query = callId !== '' ? { callId } : { device };
      return api.get<{ items: SipTraceItem[] }>(withQuery('/api/v1/sip-trace', query), signal);
    },
    [callId, device, generation],
  );

  return (
    <>
      <PageHeader
        title="Call Trace"
        description="The SIP messages of one call (or of one device) between the phones and Strowger, with their timing. The server keeps the recent messages of each call; open a call from Live or Call Records, or give its id."
      />
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setParams(
            callInput.trim() !== ''
              ? { callId: callInput.trim() }
              : deviceInput.trim() !== ''
                ? { device: deviceInput.trim() }
                : {},
          );
          setGeneration((n) => n + 1);
        }}
      >
        <Group align="flex-end" mb="md">
          <TextInput label="Call id" value={callInput} onChange={(e) => setCallInput(e.currentTarget.value)} w={320} />
          <Text pb={8}>or</Text>
          <TextInput
            label="Device"
            value={deviceInput}
            onChange={(e) => setDeviceInput(e.currentTarget.value)}
            w={240}
          />
          <Button type="submit">Show</Button>
        </Group>
      </form>
      {trace.state === 'failed' ? (
        <Alert color="red" title="Could not load the trace">
          {trace.error.message}
        </Alert>
      ) : null}
      {trace.value === undefined ? null : trace.value.items.length === 0 ? (
        <Text c="dimmed">No SIP messages are kept for this {callId !== '' ? 'call' : 'device'}.</Text>
      ) : (
        <LadderDiagram ladder={ladderLayout(trace.value.items)} onOpen={setShown} />
      )}
      <Modal
        opened={shown !== null}
        onClose={() => setShown(null)}
        title={
          shown === null
            ? ''
            : `${shown.direction === 'received' ? 'Received from' : 'Sent to'} ${shown.remote} over ${shown.transport.toUpperCase()} at ${shown.at}`
        }
        size="xl"
      >
        {shown === null ? null : (
          <>
            <Text size="sm" c="dimmed" mb="xs">
              SIP Call-ID {shown.sipCallId}
              {shown.device === undefined ? '' : ` · device ${shown.device}`}
            </Text>
            <Code block style={{ whiteSpace: 'pre-wrap' }}>
              {shown.message}
            </Code>
          </>
        )}
      </Modal>
    </>
  );
}

function LadderDiagram(props: { ladder: Ladder; onOpen: (item: SipTraceItem) => void }) {
  const { columns, arrows } = props.ladder;
  const x = (column: number) => timeWidth + columnWidth / 2 + column * columnWidth;
  const width = timeWidth + columns.length * columnWidth;
  const height = top + arrows.length * rowHeight + 20;
  return (
    <div style={{ overflowX: 'auto' }}>
      <svg width={width} height={height} role="img" aria-label="SIP ladder diagram" style={{ fontFamily: 'inherit' }}>
        <defs>
          <marker id="arrowhead" markerWidth="8" markerHeight="8" refX="8" refY="4" orient="auto">
            <path d="M0,0 L8,4 L0,8 z" fill="currentColor" />
          </marker>
        </defs>
        {columns.map((column, index) => (
          <g key={column.id}>
            <text x={x(index)} y={18} textAnchor="middle" fontWeight={700} fontSize={13}>
              {column.label}
            </text>
            <text x={x(index)} y={34} textAnchor="middle" fontSize={11} fill="gray">
              {column.detail}
            </text>
            <line x1={x(index)} y1={42} x2={x(index)} y2={height - 8} stroke="#adb5bd" strokeDasharray="4 3" />
          </g>
        ))}
        {arrows.map((arrow, row) => {
          const y = top + row * rowHeight + rowHeight / 2;
          const from = x(arrow.from);
          const to = x(arrow.to);
          const colour = arrow.item.summary.startsWith('SIP/2.0') ? '#1c7ed6' : '#2b8a3e';
          return (
            <g
              key={arrow.item.seq}
              data-testid="ladder-arrow"
              role="button"
              tabIndex={0}
              aria-label={`${arrow.item.summary}, ${formatOffset(arrow.sinceStartMs)}`}
              onClick={() => props.onOpen(arrow.item)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' || event.key === ' ') props.onOpen(arrow.item);
              }}
              style={{ cursor: 'pointer', color: colour }}
            >
              <title>{`${formatOffset(arrow.sinceStartMs)} (${formatOffset(arrow.sincePreviousMs)} after the previous)`}</title>
              <text x={8} y={y + 4} fontSize={11} fill="gray">
                {formatOffset(arrow.sinceStartMs)}
              </text>
              <line
                x1={from}
                y1={y}
                x2={to}
                y2={y}
                stroke="currentColor"
                strokeWidth={1.6}
                markerEnd="url(#arrowhead)"
              />
              <text x={(from + to) / 2} y={y - 5} textAnchor="middle" fontSize={12} fill="currentColor">
                {truncate(shortSummary(arrow.item.summary), 36)}
              </text>
              <rect x={Math.min(from, to)} y={y - 16} width={Math.abs(to - from)} height={22} fill="transparent" />
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/** What an arrow says: a status line without its version, a request line without its trailing version. */
function shortSummary(summary: string): string {
  return summary.replace(/^SIP\/2\.0 /, '').replace(/ SIP\/2\.0$/, '');
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
