import '@fastify/swagger';
import type { FastifyInstance, FastifyBaseLogger, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static, type TObject } from '@sinclair/typebox';
import { ErrorCode, StrowgerError, isStrowgerError } from '../../core/index.js';
import type { ApplyOptions, ConfigDocument, ConfigSnapshot } from '../../store/index.js';
import { actorOf } from '../auth/principal.js';
import type { ConfigCollection } from '../config/collections.js';
import type { ConfigService } from '../config/config-service.js';
import { checkIfMatch, entityTag } from '../config/etag.js';
import { listPageSchema } from '../config/listing.js';
import { typedInput } from '../config/typed-input.js';
import { HttpProblem, ProblemSchema } from '../problem.js';

export type AdminApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

const problemAnswer = {
  description: 'An RFC 9457 problem: a stable code, what went wrong and what to do, and the fields at fault',
  content: { 'application/problem+json': { schema: ProblemSchema } },
};
export const problemResponses = { '4xx': problemAnswer, '5xx': problemAnswer } as const;

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 1000,
      description:
        'The ETag you read: the change is made only if the object is still as you read it, else 412 (RFC 9110 §13.1.1).',
    }),
  ),
});

/**
 * Create, read, update, delete and list for one kind of configuration object. Every change is a
 * configuration document of one object applied like a YAML file — the same checks, the same single
 * transaction, the same change notification the engine reloads on — with the If-Match check inside
 * that transaction, so two admins never silently overwrite each other.
 */
export function registerConfigCollection<S extends TObject, P extends TObject, Q extends TObject, C>(
  app: FastifyInstance,
  collection: ConfigCollection<S, P, Q, C>,
  config: ConfigService,
): void {
  const base = `/api/v1/${collection.segment}`;
  const item = `${base}/:${collection.keyName}`;
  const { noun, tag } = collection;
  // Fastify cannot carry a generic schema's type into a handler; these narrow what it validated.
  const bodyOf = typedInput(collection.schema, 'body');
  const paramsOf = typedInput(collection.params, 'path');
  const queryOf = typedInput(collection.query, 'query');
  const find = (snapshot: ConfigSnapshot, key: string) =>
    collection.items(snapshot).find((candidate) => collection.keyOf(candidate) === key);
  const notFound = (key: string) => new StrowgerError(ErrorCode.NotFound, `no ${noun} ${key}; GET ${base} lists them`);
  const read = async (key: string) => {
    const found = find(await config.current(), key);
    if (found === undefined) throw notFound(key);
    return {
      document: collection.document(found, { secrets: false }),
      etag: entityTag(collection.document(found, { secrets: true })),
    };
  };
  const apply = async (doc: ConfigDocument, options: ApplyOptions) => {
    try {
      await config.apply(doc, { source: 'the change', ...options });
    } catch (error) {
      throw inRequestTerms(error, collection.kind);
    }
  };
  const stateOf = (snapshot: ConfigSnapshot, key: string, ifMatch: string | undefined) => {
    const found = find(snapshot, key);
    if (found === undefined) throw notFound(key);
    checkIfMatch(ifMatch, entityTag(collection.document(found, { secrets: true })), `${noun} ${key}`);
  };

  app.get(
    base,
    {
      schema: {
        summary: `List ${noun}s`,
        tags: [tag],
        querystring: collection.query,
        response: { 200: listPageSchema(collection.schema, `One page of ${noun}s`), ...problemResponses },
      },
    },
    async (request) => {
      const snapshot = await config.current();
      const documents = collection.items(snapshot).map((one) => collection.document(one, { secrets: false }));
      return collection.select(documents, queryOf(request.query));
    },
  );

  app.get(
    item,
    {
      schema: {
        summary: `Read one ${noun}`,
        description: 'The ETag header is what If-Match takes on a later PUT or DELETE.',
        tags: [tag],
        params: collection.params,
        response: { 200: collection.schema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { document, etag } = await read(collection.keyOfParams(paramsOf(request.params)));
      return reply.header('ETag', etag).send(document);
    },
  );

  app.post(
    base,
    {
      schema: {
        summary: `Create a ${noun}`,
        description: 'Checked and applied as the configuration file is; 409 when one with this key exists.',
        tags: [tag],
        body: collection.schema,
        response: { 201: collection.schema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = bodyOf(request.body);
      const key = collection.keyOfDocument(body);
      await apply(collection.asDocument(body), {
        actor: actorOf(request.principal),
        precondition: (current) => {
          if (find(current, key) !== undefined) {
            throw new HttpProblem(
              409,
              ErrorCode.InvalidState,
              `a ${noun} ${key} exists already; change it with PUT ${base}/${encodeURIComponent(key)}`,
            );
          }
        },
      });
      const { document, etag } = await read(key);
      return reply
        .status(201)
        .header('ETag', etag)
        .header('Location', `${base}/${encodeURIComponent(key)}`)
        .send(document);
    },
  );

  app.put<{ Headers: Static<typeof IfMatchHeaders> }>(
    item,
    {
      schema: {
        summary: `Replace a ${noun}`,
        description:
          'The body is the whole object: fields left out take their defaults. Secrets left out (passwords, PINs, SIP passwords) are kept. Send the ETag you read in If-Match.',
        tags: [tag],
        params: collection.params,
        headers: IfMatchHeaders,
        body: collection.schema,
        response: { 200: collection.schema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const key = collection.keyOfParams(paramsOf(request.params));
      const body = bodyOf(request.body);
      const bodyKey = collection.keyOfDocument(body);
      if (bodyKey !== key) {
        const message = `is ${bodyKey} but the path names ${key}; a ${noun} cannot be renamed: create the new one and delete the old`;
        throw new HttpProblem(400, ErrorCode.InvalidArgument, `body.${collection.keyName} ${message}`, {
          errors: [{ field: `body.${collection.keyName}`, message }],
        });
      }
      const ifMatch = request.headers['if-match'];
      await apply(collection.asDocument(body), {
        actor: actorOf(request.principal),
        precondition: (current) => stateOf(current, key, ifMatch),
      });
      const { document, etag } = await read(key);
      return reply.header('ETag', etag).send(document);
    },
  );

  app.delete<{ Headers: Static<typeof IfMatchHeaders> }>(
    item,
    {
      schema: {
        summary: `Delete a ${noun}`,
        description: `Refused (400, naming what still refers to it) while other objects use the ${noun}.`,
        tags: [tag],
        params: collection.params,
        headers: IfMatchHeaders,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const key = collection.keyOfParams(paramsOf(request.params));
      const ifMatch = request.headers['if-match'];
      await apply(
        {},
        {
          actor: actorOf(request.principal),
          remove: { [collection.kind]: [key] },
          precondition: (current) => stateOf(current, key, ifMatch),
        },
      );
      return reply.status(204).send(null);
    },
  );
}

/**
 * A configuration problem of a one-object document names it as the file would (`lines[0]`); over
 * the API that object is the request's body.
 */
export function inRequestTerms(error: unknown, kind: string): unknown {
  if (!isStrowgerError(error, ErrorCode.ConfigInvalid)) return error;
  const problems = error.details?.problems;
  if (!Array.isArray(problems)) return error;
  const prefix = new RegExp(`^${kind}\\[0\\](?: \\([^)]*\\))?`);
  const rewritten = problems.map((problem) => String(problem).replace(prefix, 'body'));
  return new StrowgerError(ErrorCode.ConfigInvalid, `nothing was changed: ${rewritten.join('; ')}`, {
    details: { problems: rewritten },
  });
}
