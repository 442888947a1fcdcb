#!/usr/bin/env node
// Compiles contracts/src/**/*.sol with the npm `solc` package (standard JSON) into
// contracts/artifacts/<ContractName>.json plus contracts/artifacts/manifest.json.
//
//   node contracts/compile.mjs           write the artifacts (stale *.json there are removed)
//   node contracts/compile.mjs --check   compile in memory; exit 1 and name every file that
//                                        differs from what is on disk, exit 0 when all match
//
// Output is deterministic: sorted inputs, fixed key order, 2-space JSON, trailing newline.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');

const contractsDir = dirname(fileURLToPath(import.meta.url));
const srcDir = join(contractsDir, 'src');
const artifactsDir = join(contractsDir, 'artifacts');

// Everything in "settings" except outputSelection is recorded in the manifest.
const SETTINGS = {
  evmVersion: 'cancun',
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  metadata: { bytecodeHash: 'ipfs' },
};

const toPosix = (p) => p.split(sep).join('/');
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const json = (value) => JSON.stringify(value, null, 2) + '\n';

function listSolFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSolFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.sol')) out.push(full);
  }
  return out;
}

function compile() {
  const files = listSolFiles(srcDir)
    .map((full) => ({ full, rel: toPosix(relative(srcDir, full)) }))
    .sort((a, b) => byCodeUnit(a.rel, b.rel));
  if (files.length === 0) throw new Error(`no .sol files under ${srcDir}`);

  const sources = {};
  const sourceHashes = {};
  for (const { full, rel } of files) {
    const bytes = readFileSync(full);
    sources[`src/${rel}`] = { content: bytes.toString('utf8') };
    sourceHashes[rel] = sha256(bytes);
  }

  const input = {
    language: 'Solidity',
    sources,
    settings: {
      ...SETTINGS,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const missingImport = (path) => ({ error: `import not found: ${path} (all sources must live under contracts/src)` });
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: missingImport }));

  const problems = output.errors ?? [];
  for (const p of problems) {
    if (p.severity !== 'error') process.stderr.write(p.formattedMessage ?? p.message);
  }
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(e.formattedMessage ?? e.message);
    throw new Error(`solc reported ${errors.length} error(s)`);
  }

  const expected = new Map(); // file name in artifacts/ -> content
  const artifactHashes = {};
  const seen = new Map();
  const unitNames = Object.keys(output.contracts ?? {}).sort(byCodeUnit);
  const entries = [];
  for (const unit of unitNames) {
    for (const name of Object.keys(output.contracts[unit]).sort(byCodeUnit)) {
      if (seen.has(name)) throw new Error(`contract name ${name} is defined in ${seen.get(name)} and ${unit}`);
      seen.set(name, unit);
      entries.push({ unit, name });
    }
  }
  entries.sort((a, b) => byCodeUnit(a.name, b.name));
  for (const { unit, name } of entries) {
    const c = output.contracts[unit][name];
    const artifact = {
      contractName: name,
      abi: c.abi,
      bytecode: '0x' + (c.evm?.bytecode?.object ?? ''),
      deployedBytecode: '0x' + (c.evm?.deployedBytecode?.object ?? ''),
    };
    const content = json(artifact);
    expected.set(`${name}.json`, content);
    artifactHashes[`${name}.json`] = sha256(content);
  }

  const manifest = {
    solcVersion: solc.version(),
    settings: SETTINGS,
    sourceRoot: 'contracts/src',
    sources: sourceHashes,
    artifacts: artifactHashes,
  };
  expected.set('manifest.json', json(manifest));
  return { expected, manifest };
}

function existingJson() {
  if (!existsSync(artifactsDir)) return [];
  return readdirSync(artifactsDir).filter((f) => f.endsWith('.json')).sort(byCodeUnit);
}

function check({ expected, manifest }) {
  const lines = [];
  const onDisk = new Set(existingJson());
  for (const [file, content] of expected) {
    const path = `contracts/artifacts/${file}`;
    if (!onDisk.has(file)) {
      lines.push(`missing: ${path}`);
    } else if (readFileSync(join(artifactsDir, file), 'utf8') !== content) {
      lines.push(`differs: ${path}`);
    }
  }
  for (const file of onDisk) {
    if (!expected.has(file)) lines.push(`unexpected: contracts/artifacts/${file}`);
  }
  if (lines.length > 0 && onDisk.has('manifest.json')) {
    // Say which sources moved, and whether the compiler itself changed.
    try {
      const old = JSON.parse(readFileSync(join(artifactsDir, 'manifest.json'), 'utf8'));
      if (old.solcVersion !== manifest.solcVersion) {
        lines.push(`solc version: manifest has ${old.solcVersion}, installed is ${manifest.solcVersion}`);
      }
      const names = new Set([...Object.keys(old.sources ?? {}), ...Object.keys(manifest.sources)]);
      for (const n of [...names].sort(byCodeUnit)) {
        const before = old.sources?.[n];
        const now = manifest.sources[n];
        if (before === undefined) lines.push(`source added: contracts/src/${n}`);
        else if (now === undefined) lines.push(`source removed: contracts/src/${n}`);
        else if (before !== now) lines.push(`source changed: contracts/src/${n}`);
      }
    } catch (e) {
      lines.push(`manifest.json unreadable: ${e.message}`);
    }
  }
  if (lines.length > 0) {
    process.stderr.write(lines.join('\n') + '\nrun `npm run compile:contracts` and commit contracts/artifacts/\n');
    return 1;
  }
  process.stdout.write(`contracts/artifacts up to date (${expected.size} files, ${manifest.solcVersion})\n`);
  return 0;
}

function write({ expected, manifest }) {
  mkdirSync(artifactsDir, { recursive: true });
  for (const file of existingJson()) {
    if (!expected.has(file)) rmSync(join(artifactsDir, file));
  }
  for (const [file, content] of expected) {
    const path = join(artifactsDir, file);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== content) writeFileSync(path, content);
  }
  process.stdout.write(`wrote ${expected.size} files to contracts/artifacts (${manifest.solcVersion})\n`);
  return 0;
}

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`usage: node contracts/compile.mjs [--check]\n`);
  process.exit(2);
}
try {
  const result = compile();
  process.exit(args.includes('--check') ? check(result) : write(result));
} catch (e) {
  process.stderr.write(`compile failed: ${e.message}\n`);
  process.exit(2);
}
