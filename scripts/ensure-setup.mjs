#!/usr/bin/env node
// Runs before `npm start` and `npm test` (plain Node, no dependencies): installs what the
// platform needs on a fresh clone — the npm packages, and Debian's redis-server, kcat,
// docker-compose (to validate the LocalStack compose file) and a Java runtime for DynamoDB Local
// when missing (as root; otherwise it says what to run).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stdout.write(`setup: ${m}\n`);

function npmPackagesCurrent() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(path.join(root, 'package-lock.json')).mtimeMs;
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const SYSTEM = [
  { cmd: 'redis-server', pkg: 'redis-server', why: 'Redis for the cache and the circuit breaker' },
  { cmd: 'kcat', pkg: 'kcat', why: 'an independent Kafka client for the broker tests' },
  { cmd: 'docker-compose', pkg: 'docker-compose', why: 'validating docker-compose.localstack.yml in the infra tests (no Docker daemon needed)' },
  { cmd: 'java', pkg: 'openjdk-17-jre-headless', why: 'DynamoDB Local' },
  {
    check: () => existsSync('/usr/lib/x86_64-linux-gnu/libjemalloc.so.2') || existsSync('/usr/lib/aarch64-linux-gnu/libjemalloc.so.2'),
    cmd: 'libjemalloc.so.2',
    pkg: 'libjemalloc2',
    why: "jemalloc, which gives the memory of ended Lambda environments back (local/allocator.ts)",
  },
];

const missing = SYSTEM.filter((s) => !(s.check ? s.check() : has(s.cmd)));
if (missing.length) {
  const pkgs = missing.map((m) => m.pkg);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !has('apt-get')) {
    console.error(
      `setup: missing ${missing.map((m) => `${m.cmd} (${m.why})`).join(', ')}.\n` +
        `setup: install them with: sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}`,
    );
    process.exit(1);
  }
  say(`installing Debian packages: ${pkgs.join(' ')}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

if (!npmPackagesCurrent()) {
  say('installing npm packages (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

const node = Number(process.versions.node.split('.')[0]);
if (node < 20) {
  console.error(`setup: Node.js 20 or newer is needed, this is ${process.version}`);
  process.exit(1);
}
