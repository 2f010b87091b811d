import { Type, type Static } from '@sinclair/typebox';

const TerminalConnectionViewSchema = Type.Object({
  id: Type.String(),
  terminal: Type.String({ description: 'The device this terminal connection is on.' }),
  state: Type.String({ description: 'JTAPI CallControlTerminalConnection state: RINGING, TALKING, HELD, BRIDGED…' }),
});

const ConnectionViewSchema = Type.Object({
  id: Type.String(),
  address: Type.String({ description: 'The directory number of this party.' }),
  role: Type.Union([Type.Literal('originating'), Type.Literal('terminating')]),
  state: Type.String({ description: 'JTAPI CallControlConnection state: DIALING, ALERTING, ESTABLISHED…' }),
  terminalConnections: Type.Array(TerminalConnectionViewSchema),
});

/** A live call as JTAPI models it: connections per address, terminal connections per device. */
export const CallViewSchema = Type.Object({
  id: Type.String(),
  state: Type.String({ description: 'JTAPI Call state: ACTIVE while the call lasts.' }),
  startedAt: Type.String({ format: 'date-time' }),
  answeredAt: Type.Optional(Type.String({ format: 'date-time' })),
  dialled: Type.String({ description: 'The number the caller dialled.' }),
  connections: Type.Array(ConnectionViewSchema),
});

export type CallView = Static<typeof CallViewSchema>;

/** What the admin API reads live calls from; the composition root adapts the engine to it. */
export interface CallDirectoryView {
  listCalls(): CallView[];
}
