import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from './asyncapi.js';
import { EventId } from './jtapi.js';
import { methods } from './methods.js';

describe('the AsyncAPI document', () => {
  it('docs/cti-asyncapi.json MUST be what the schemas generate (run `npm run asyncapi -w @strowger/protocol`)', () => {
    const committed = readFileSync(new URL('../../../docs/cti-asyncapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(asyncApiDocument(), null, 2)}\n`);
  });

  it('every $ref MUST point at something the document defines', () => {
    const document = asyncApiDocument();
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((match) => match[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      let node: unknown = document;
      for (const part of ref.split('/')) node = (node as Record<string, unknown>)[part];
      expect(node, ref).toBeDefined();
    }
  });

  it('MUST describe every method as an operation with a reply', () => {
    const operations = asyncApiDocument().operations as Record<string, { reply?: unknown }>;
    for (const name of Object.keys(methods)) expect(operations[name]?.reply, name).toBeDefined();
  });
});

describe('docs/cti-protocol.md', () => {
  const reference = readFileSync(new URL('../../../docs/cti-protocol.md', import.meta.url), 'utf8');

  it('MUST describe every method and every event of the protocol', () => {
    for (const name of Object.keys(methods)) expect(reference, name).toContain(`\`${name}\``);
    for (const [type, id] of Object.entries(EventId)) {
      expect(reference, type).toMatch(new RegExp(`\\| ${id} \\| \`${type}\``));
    }
  });
});
