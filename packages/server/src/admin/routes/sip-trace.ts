import type { ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { Clock } from '../../core/index.js';
import { problemResponses, type AdminApp } from './config-objects.js';

export const SipTraceItemSchema = Type.Object({
  seq: Type.Integer({ description: 'Order of capture, across all calls: sort by it.' }),
  at: Type.String({ format: 'date-time', description: 'When the server received or sent it.' }),
  direction: Type.Union([Type.Literal('received'), Type.Literal('sent')], { description: 'As the server saw it.' }),
  transport: Type.Union([Type.Literal('udp'), Type.Literal('tcp')]),
  local: Type.String({ description: "The server's address and port: ip:port ([ip]:port for IPv6)." }),
  remote: Type.String({ description: "The phone's (or peer's) address and port." }),
  device: Type.Optional(Type.String({ description: 'The device the message is for or from, once known.' })),
  callId: Type.Optional(Type.String({ description: "The engine's call id (as GET /api/v1/calls shows), once known." })),
  sipCallId: Type.String({ description: 'The SIP Call-ID header.' }),
  summary: Type.String({ description: 'The request line or the status line.' }),
  message: Type.String({ description: 'The whole message as it crossed the wire.' }),
});

export type SipTraceItem = Static<typeof SipTraceItemSchema>;

/** Which messages: of one engine call, of one device, or (neither) all. */
export interface SipTraceFilter {
  callId?: string | undefined;
  device?: string | undefined;
}

/** What the trace routes read: the server's bounded buffer of recent SIP messages. */
export interface SipTraceSource {
  /** The most recent `limit` messages that match, oldest first. */
  items(filter: SipTraceFilter, limit: number): SipTraceItem[];
  /** Each matching message from now on; the returned function stops it. */
  subscribe(filter: SipTraceFilter, listener: (item: SipTraceItem) => void): () => void;
}

const TraceQuery = Type.Object(
  {
    callId: Type.Optional(Type.String({ maxLength: 100, description: 'An engine call id (GET /api/v1/calls).' })),
    device: Type.Optional(Type.String({ maxLength: 50, description: 'A device name.' })),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 10_000, default: 500, description: 'At most this many of the most recent.' }),
    ),
  },
  { additionalProperties: false },
);

const StreamQuery = Type.Object(
  {
    ...TraceQuery.properties,
    follow: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'Keep the stream open and send each new message (default); false ends it after those kept.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A client that reads slower than this much unsent stream is cut off rather than let the server buffer for it. */
const maxUnsentBytes = 4 * 1024 * 1024;
/** A comment line now and then, so proxies and clients see a quiet stream is still alive. */
const keepAliveMs = 15_000;

/**
 * The SIP trace: the recent SIP messages of a call or a device (`GET /api/v1/sip-trace`), and the
 * same as they happen, as server-sent events (`GET /api/v1/sip-trace/stream`): what
 * `strowger trace` draws its ladder from.
 */
export function registerSipTraceRoutes(app: AdminApp, trace: SipTraceSource, clock: Clock): void {
  const tags = ['Live'];
  // A stream lasts as long as its client watches: the server's stop ends them rather than wait.
  const open = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const out of open) out.end();
  });
  app.get(
    '/api/v1/sip-trace',
    {
      schema: {
        summary: 'Recent SIP messages of a call (callId), of a device, or of all, oldest first',
        tags,
        querystring: TraceQuery,
        response: { 200: Type.Object({ items: Type.Array(SipTraceItemSchema) }), ...problemResponses },
      },
    },
    async (request) => ({
      items: trace.items(filterOf(request.query), request.query.limit ?? 500),
    }),
  );
  app.get(
    '/api/v1/sip-trace/stream',
    {
      schema: {
        summary: 'SIP messages as server-sent events: those kept, then each new one (one "message" event per item)',
        description:
          'Each event is `event: message`, `id: <seq>` and `data: <the item as JSON>`, the item as GET /api/v1/sip-trace gives it. A call’s first messages may come after later ones of other calls (they are sent once the call is known): sort by seq.',
        tags,
        querystring: StreamQuery,
        response: {
          200: {
            description: 'An event stream (text/event-stream)',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...problemResponses,
        },
      },
    },
    (request, reply) => {
      const filter = filterOf(request.query);
      reply.hijack();
      const out = reply.raw;
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
      });
      const send = (item: SipTraceItem) => {
        out.write(`event: message\nid: ${item.seq}\ndata: ${JSON.stringify(item)}\n\n`);
        if (out.writableLength > maxUnsentBytes) out.end();
      };
      for (const item of trace.items(filter, request.query.limit ?? 500)) send(item);
      if (request.query.follow === false) {
        out.end();
        return;
      }
      const stop = trace.subscribe(filter, send);
      let keepAlive = clock.setTimer(keepAliveMs, function beat() {
        out.write(': keep-alive\n\n');
        keepAlive = clock.setTimer(keepAliveMs, beat);
      });
      open.add(out);
      out.on('close', () => {
        open.delete(out);
        stop();
        keepAlive.cancel();
      });
    },
  );
}

function filterOf(query: { callId?: string | undefined; device?: string | undefined }): SipTraceFilter {
  return { callId: query.callId, device: query.device };
}
