#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher: it must run before any TypeScript loader exists */
// `npx hookflow ...` from a checkout runs the TypeScript source (always current); an install
// without dev dependencies runs the build (`npm run build`, dist/src/cli.js).
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli.ts');
let register;
try {
  register = require.resolve('@swc-node/register', { paths: [root] });
} catch {
  register = undefined;
}
if (register && fs.existsSync(source)) {
  process.env.SWC_NODE_PROJECT ??= path.join(root, 'tsconfig.json');
  require(register);
  require(source);
} else {
  require(path.join(root, 'dist', 'src', 'cli.js'));
}
