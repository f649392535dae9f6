#!/usr/bin/env node
/* eslint-disable @typescript-eslint/no-require-imports -- runs as npm's `prepare` step, before any TypeScript loader */
// npm links the bins of dependencies, never the project's own: `npx hookflow` in a checkout
// would find nothing. `npm ci` / `npm install` run this (`prepare`), which links
// node_modules/.bin/hookflow to the launcher (it runs the TypeScript source, no build needed).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const binDir = path.join(root, 'node_modules', '.bin');
const launcher = path.join(root, 'bin', 'hookflow.js');
if (fs.existsSync(path.join(root, 'node_modules'))) {
  fs.mkdirSync(binDir, { recursive: true });
  const link = path.join(binDir, 'hookflow');
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(binDir, launcher), link);
  fs.chmodSync(launcher, 0o755);
}
