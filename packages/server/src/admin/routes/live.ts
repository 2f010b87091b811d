import { Type } from '@sinclair/typebox';
import type { Clock } from '../../core/index.js';
import { CallStatisticsSchema, type CallStatistics } from '../live/call-statistics.js';
import type { LiveEvent, LiveFeed } from '../live/live-feed.js';
import { problemResponses, type AdminApp } from './config-objects.js';

/** A comment line this often keeps proxies and browsers from closing a quiet stream. */
const keepAliveMs = 15_000;

const streamDescription = [
  'A server-sent event stream (text/event-stream) of what changes in the running server, for the web UI and',
  'for scripts (`curl -N`). It starts with `event: snapshot` (`{"devices":[…],"calls":[…],"ctiSessions":{…}}`,',
  'the same objects as GET /api/v1/registrations, /calls and /cti/sessions), then sends',
  '`event: registration` (one device, when its registration state changes),',
  '`event: calls` (`{"items":[…]}`: every live call, when any changes) and',
  '`event: cti-sessions` (when an application opens or closes a provider or a CTI port).',
  'With `once=true` the stream ends after the snapshot.',
].join(' ');

export function formatServerSentEvent(event: LiveEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

/** `GET /api/v1/live`: the live event stream; `GET /api/v1/stats/calls`: the dashboard's call series. */
export function registerLiveRoutes(
  app: AdminApp,
  options: { feed: LiveFeed; statistics: CallStatistics; clock: Clock },
): void {
  const { feed, statistics, clock } = options;
  // Open streams would hold the server's close up for ever: they are ended first.
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get(
    '/api/v1/live',
    {
      schema: {
        summary: 'Live changes as server-sent events: registrations, calls, CTI sessions',
        description: streamDescription,
        tags: ['Live'],
        querystring: Type.Object(
          { once: Type.Optional(Type.Boolean({ description: 'Send the snapshot and end the stream.' })) },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The event stream.',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const headers = {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // Proxies such as nginx would otherwise hold events back in a buffer.
        'x-accel-buffering': 'no',
      };
      if (request.query.once === true) {
        return reply.headers(headers).send(formatServerSentEvent(feed.snapshot()));
      }
      reply.hijack();
      const socket = reply.raw;
      socket.writeHead(200, headers);
      socket.write(formatServerSentEvent(feed.snapshot()));
      const stopListening = feed.listen((event) => socket.write(formatServerSentEvent(event)));
      let keepAlive = clock.setTimer(keepAliveMs, function beat() {
        socket.write(': keep-alive\n\n');
        keepAlive = clock.setTimer(keepAliveMs, beat);
      });
      const end = () => {
        open.delete(end);
        keepAlive.cancel();
        stopListening();
        socket.end();
      };
      open.add(end);
      request.raw.on('close', end);
    },
  );

  app.get(
    '/api/v1/stats/calls',
    {
      schema: {
        summary: 'Calls per second, concurrent calls and failed calls over the last hour, in 10-second intervals',
        tags: ['Live'],
        response: { 200: CallStatisticsSchema, ...problemResponses },
      },
    },
    async () => statistics.view(),
  );
}
