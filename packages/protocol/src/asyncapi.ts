import type { TSchema } from '@sinclair/typebox';
import { ErrorBody } from './errors.js';
import { eventSchemas } from './events.js';
import {
  ErrorFrame,
  ErrorResponseFrame,
  EventsFrame,
  PingFrame,
  PongFrame,
  RequestFrame,
  ResultFrame,
  ResyncFrame,
} from './frames.js';
import { methods } from './methods.js';
import * as model from './model.js';
import { DEFAULT_CTI_PORT, PROTOCOL_VERSION } from './version.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A schema as plain JSON (TypeBox's symbols dropped). */
function plain(schema: TSchema): Json {
  return JSON.parse(JSON.stringify(schema)) as Json;
}

/**
 * The AsyncAPI 3 document of the protocol, built from the same schemas the server validates with, so
 * it cannot drift. It describes the server: it receives requests (each with its reply) and pings,
 * and sends events, resync frames, error frames and pings.
 */
export function asyncApiDocument(): Record<string, Json> {
  const named: Record<string, TSchema> = {
    Terminal: model.Terminal,
    Address: model.Address,
    AddressTerminal: model.AddressTerminal,
    Excluded: model.Excluded,
    Capabilities: model.Capabilities,
    CallSnapshot: model.CallSnapshot,
    ProviderOpened: model.ProviderOpened,
    ProviderSnapshot: model.ProviderSnapshot,
    Target: model.Target,
    Error: ErrorBody,
    ...eventSchemas,
  };
  for (const [name, method] of Object.entries(methods)) {
    named[`${name}.params`] = method.params;
    named[`${name}.result`] = method.result;
  }
  // Replace every embedded copy of a named schema by a $ref, so the document reads like the source.
  const byText = new Map(Object.entries(named).map(([name, schema]) => [JSON.stringify(schema), name]));
  const withRefs = (node: Json, root: boolean): Json => {
    if (node === null || typeof node !== 'object') return node;
    if (!root) {
      const name = byText.get(JSON.stringify(node));
      if (name !== undefined && !/\.(params|result)$/.test(name)) return { $ref: `#/components/schemas/${name}` };
    }
    if (Array.isArray(node)) return node.map((item) => withRefs(item, false));
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withRefs(value, false)]));
  };
  const schemas = Object.fromEntries(
    Object.entries(named).map(([name, schema]) => [name, withRefs(plain(schema), true)]),
  );

  const messages: Record<string, Json> = {};
  const operations: Record<string, Json> = {};
  const channelRef = { $ref: '#/channels/cti' };
  const messageRef = (name: string): Json => ({ $ref: `#/channels/cti/messages/${name}` });

  for (const [name, method] of Object.entries(methods)) {
    const request = {
      ...(plain(RequestFrame) as Record<string, Json>),
      properties: {
        ...(plain(RequestFrame) as { properties: Record<string, Json> }).properties,
        method: { const: name, type: 'string' },
        params: { $ref: `#/components/schemas/${name}.params` },
      },
      required: ['kind', 'id', 'method', 'params'],
      title: `${name} request`,
    };
    const response = {
      ...(plain(ResultFrame) as Record<string, Json>),
      properties: {
        ...(plain(ResultFrame) as { properties: Record<string, Json> }).properties,
        result: { $ref: `#/components/schemas/${name}.result` },
      },
      title: `${name} response`,
    };
    messages[`${name}.request`] = { name: `${name}.request`, summary: method.summary, payload: request };
    messages[`${name}.response`] = { name: `${name}.response`, summary: `The result of ${name}`, payload: response };
    operations[name] = {
      action: 'receive',
      channel: channelRef,
      summary: method.summary,
      messages: [messageRef(`${name}.request`)],
      reply: { channel: channelRef, messages: [messageRef(`${name}.response`), messageRef('errorResponse')] },
    };
  }
  const frame = (schema: TSchema): Json => withRefs(plain(schema), true);
  messages.errorResponse = {
    name: 'errorResponse',
    summary: 'A request was refused; `error.code` says why',
    payload: frame(ErrorResponseFrame),
  };
  messages.error = {
    name: 'error',
    summary: 'A frame without a usable request id was refused',
    payload: frame(ErrorFrame),
  };
  messages.events = {
    name: 'events',
    summary: 'A batch of one provider’s JTAPI events, in sequence order',
    payload: frame(EventsFrame),
  };
  messages.resync = {
    name: 'resync',
    summary: 'Events were dropped or cannot be replayed; the snapshot replaces them',
    payload: frame(ResyncFrame),
  };
  messages.ping = {
    name: 'ping',
    summary: 'Keep-alive; the other side answers pong with the nonce',
    payload: frame(PingFrame),
  };
  messages.pong = { name: 'pong', summary: 'The answer to a ping', payload: frame(PongFrame) };
  operations.receivePing = {
    action: 'receive',
    channel: channelRef,
    summary: 'The client’s keep-alive',
    messages: [messageRef('ping')],
    reply: { channel: channelRef, messages: [messageRef('pong')] },
  };
  operations.sendEvents = {
    action: 'send',
    channel: channelRef,
    summary: 'Events of open providers, a resync when events had to be dropped',
    messages: [messageRef('events'), messageRef('resync')],
  };
  operations.sendError = {
    action: 'send',
    channel: channelRef,
    summary: 'A refusal of a frame that could not be answered as a response',
    messages: [messageRef('error')],
  };
  operations.sendPing = {
    action: 'send',
    channel: channelRef,
    summary: 'The server’s keep-alive; the client answers pong',
    messages: [messageRef('ping')],
    reply: { channel: channelRef, messages: [messageRef('pong')] },
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Strowger CTI',
      version: String(PROTOCOL_VERSION),
      description:
        'The CTI protocol of the Strowger call manager: JSON over WebSocket, one message per text frame. ' +
        'Open a provider with a user’s credentials, observe terminals, addresses and calls, and receive ' +
        'JTAPI events with per-provider sequence numbers. The reference is docs/cti-protocol.md.',
      license: { name: 'Apache-2.0' },
    },
    defaultContentType: 'application/json',
    servers: {
      ws: { host: `localhost:${DEFAULT_CTI_PORT}`, protocol: 'ws', description: 'CTI over WebSocket (path / or /cti)' },
      wss: {
        host: `localhost:${DEFAULT_CTI_PORT}`,
        protocol: 'wss',
        description: 'CTI over WebSocket and TLS, when the server has --tls-cert and --tls-key',
      },
    },
    channels: {
      cti: {
        address: '/',
        title: 'CTI session',
        messages: Object.fromEntries(
          Object.keys(messages).map((name) => [name, { $ref: `#/components/messages/${name}` }]),
        ),
      },
    },
    operations,
    components: { schemas, messages },
  };
}
