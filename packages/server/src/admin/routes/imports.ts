import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { ErrorCode, StrowgerError, type Logger } from '../../core/index.js';
import { BulkImport, importKinds, maxImportBytes, type ImportStatus } from '../../store/index.js';
import { actorOf } from '../auth/principal.js';
import type { ConfigService } from '../config/config-service.js';
import { HttpProblem } from '../problem.js';
import { problemResponses, type AdminApp } from './config-objects.js';

const ImportProblemSchema = Type.Object({
  row: Type.Integer({ description: 'The row as a spreadsheet numbers it: the header is row 1; 0 for the whole file.' }),
  column: Type.String({ description: 'The column as the header names it; empty when the problem is the row’s.' }),
  message: Type.String(),
});

const ImportStatusSchema = Type.Object({
  id: Type.String(),
  state: Type.Union(
    [Type.Literal('validating'), Type.Literal('applying'), Type.Literal('done'), Type.Literal('failed')],
    {
      description: 'done: applied (or, for a dry run, would apply); failed: see problems, nothing was changed.',
    },
  ),
  progress: Type.Object({
    done: Type.Integer({ minimum: 0, description: 'Rows checked while validating; rows written while applying.' }),
    total: Type.Integer({ minimum: 0 }),
  }),
  problems: Type.Array(ImportProblemSchema),
  summary: Type.Object({
    kind: Type.Union([Type.Literal('phones'), Type.Literal('lines'), Type.Literal('users'), Type.Null()]),
    dryRun: Type.Boolean(),
    rows: Type.Integer({ minimum: 0 }),
    created: Type.Integer({ minimum: 0 }),
    updated: Type.Integer({ minimum: 0 }),
    unchanged: Type.Integer({ minimum: 0 }),
    version: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The configuration version after the import (or still, for a dry run).',
    }),
  }),
});

/** Imports kept for their status to be read; the oldest finished ones go first. */
const keptImports = 50;
/** Imports running at once: each holds its file and rows in memory, and they apply one after another anyway. */
const runningImports = 2;

/**
 * Bulk import of phones, lines and end users from CSV (`POST /api/v1/imports`): answered at once
 * with an id, then run in the background; its state, progress and problems are read with
 * `GET /api/v1/imports/{id}`. One audit entry per import that applies.
 */
export function registerImportRoutes(app: AdminApp, config: ConfigService, log: Logger): void {
  const tags = ['Bulk import'];
  const imports = new Map<string, BulkImport>();
  const running = new Set<string>();
  const csvTypes = ['text/csv', 'application/csv'];
  app.addContentTypeParser(csvTypes, { parseAs: 'string', bodyLimit: maxImportBytes }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/v1/imports',
    {
      schema: {
        summary: 'Import phones, lines or end users from a CSV file: a dry run, or an all-or-nothing apply',
        description:
          'Answers 202 with the import’s id at once; GET /api/v1/imports/{id} follows it. The kind is told by the header’s key column (name, dn or userId) unless given. See docs/bulk-import.md for the columns.',
        tags,
        consumes: csvTypes,
        querystring: Type.Object(
          {
            dryRun: Type.Optional(
              Type.Boolean({ description: 'Check every row and count what would change; change nothing.' }),
            ),
            kind: Type.Optional(Type.Union(importKinds.map((kind) => Type.Literal(kind)))),
            source: Type.Optional(
              Type.String({ maxLength: 200, description: 'The file name, for messages and the audit log.' }),
            ),
          },
          { additionalProperties: false },
        ),
        body: Type.String({
          maxLength: maxImportBytes,
          description: 'The CSV file, its first row naming the columns.',
        }),
        response: { 202: Type.Object({ id: Type.String() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      if (running.size >= runningImports) {
        throw new HttpProblem(
          409,
          ErrorCode.InvalidState,
          `${running.size} imports are running; wait for one to finish (GET /api/v1/imports/{id}) and send this one again`,
        );
      }
      const id = randomUUID();
      const job = new BulkImport({
        id,
        text: request.body,
        kind: request.query.kind,
        dryRun: request.query.dryRun === true,
        actor: actorOf(request.principal),
        ...(request.query.source === undefined ? {} : { source: request.query.source }),
        target: { current: () => config.current(), apply: (doc, options) => config.apply(doc, options) },
      });
      imports.set(id, job);
      running.add(id);
      forgetOldest(imports, running);
      job
        .run()
        .catch((error: unknown) => log.error({ err: error, import: id }, 'bulk import failed'))
        .finally(() => running.delete(id));
      return reply.status(202).send({ id });
    },
  );

  app.get(
    '/api/v1/imports/:id',
    {
      schema: {
        summary: 'An import’s state, progress, problems (by row and column) and counts',
        tags,
        params: Type.Object({ id: Type.String({ maxLength: 100 }) }),
        response: { 200: ImportStatusSchema, ...problemResponses },
      },
    },
    async (request): Promise<ImportStatus> => {
      const job = imports.get(request.params.id);
      if (job === undefined) {
        throw new StrowgerError(
          ErrorCode.NotFound,
          `no import ${request.params.id}; the server keeps the last ${keptImports} imports until it restarts`,
        );
      }
      return job.status;
    },
  );
}

function forgetOldest(imports: Map<string, BulkImport>, running: ReadonlySet<string>): void {
  for (const id of imports.keys()) {
    if (imports.size <= keptImports) return;
    if (!running.has(id)) imports.delete(id);
  }
}
