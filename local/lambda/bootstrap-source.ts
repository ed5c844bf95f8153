// The JavaScript that runs inside each execution environment (a worker_threads Worker started with `eval: true`).
// It plays the part of the Lambda Node.js runtime interface client: loads the handler module once (init phase),
// then serves one invocation at a time, building the `context` object, accepting async and callback-style handlers,
// and forwarding console / stdout / stderr output to the parent line by line.
// It is kept as plain JavaScript source (not a compiled TS module) so that it runs the same under tsx, ts-jest and
// a bundled CLI, without relying on a loader inside the worker.

export const BOOTSTRAP_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const fs = require('node:fs');
const util = require('node:util');
const { pathToFileURL } = require('node:url');

const cfg = workerData;
let current = null; // { id, requestId } of the invocation in progress
let pendingOut = '';
let pendingErr = '';

// Messages to the parent go out in batches (at the end of the event-loop turn, or every few results), so that the
// results of back-to-back invocations travel together: each postMessage has a fixed cost on both threads. Log lines go out at
// once, so that the output of a function that then hangs until its timeout is not lost.
let outbox = [];
let flushQueued = false;
function send(m) {
  outbox.push(m);
  if (outbox.length >= cfg.resultChunk) flush();
  else if (!flushQueued) { flushQueued = true; setImmediate(flush); }
}
function flush() {
  flushQueued = false;
  if (!outbox.length) return;
  const batch = outbox;
  outbox = [];
  parentPort.postMessage(batch);
}
function emit(line) {
  outbox.push({ t: 'log', line: line });
  flush();
}
function emitText(text) {
  const lines = String(text).split('\n');
  for (let i = 0; i < lines.length; i++) emit(lines[i]);
}
function stamp(level, args) {
  const rid = current ? current.requestId : 'undefined';
  return new Date().toISOString() + '\t' + rid + '\t' + level + '\t' + util.format.apply(null, args);
}
console.log = function () { emitText(stamp('INFO', arguments)); };
console.info = function () { emitText(stamp('INFO', arguments)); };
console.warn = function () { emitText(stamp('WARN', arguments)); };
console.error = function () { emitText(stamp('ERROR', arguments)); };
console.debug = function () { emitText(stamp('DEBUG', arguments)); };
console.trace = function () {
  const e = new Error(util.format.apply(null, arguments));
  e.name = 'Trace';
  emitText(stamp('TRACE', [e.stack]));
};
function rawWriter(which) {
  return function (chunk, encoding, cb) {
    let text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
    if (which === 'out') { text = pendingOut + text; } else { text = pendingErr + text; }
    const parts = text.split('\n');
    const rest = parts.pop();
    if (which === 'out') pendingOut = rest; else pendingErr = rest;
    for (let i = 0; i < parts.length; i++) emit(parts[i]);
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') done();
    return true;
  };
}
process.stdout.write = rawWriter('out');
process.stderr.write = rawWriter('err');
function flushPartial() {
  if (pendingOut) { emit(pendingOut); pendingOut = ''; }
  if (pendingErr) { emit(pendingErr); pendingErr = ''; }
}

function describe(err) {
  if (err instanceof Error || (err && typeof err === 'object' && typeof err.message === 'string')) {
    const stack = typeof err.stack === 'string' ? err.stack.split('\n') : [];
    return { errorType: err.name || (err.constructor && err.constructor.name) || 'Error', errorMessage: String(err.message), trace: stack };
  }
  return { errorType: typeof err, errorMessage: typeof err === 'string' ? err : (function () { try { return JSON.stringify(err); } catch (e) { return String(err); } })(), trace: [] };
}

function fatal(errorType, err) {
  flushPartial();
  const d = describe(err);
  send({ t: 'fatal', errorType: errorType || d.errorType, errorMessage: d.errorMessage, trace: d.trace });
  flush();
  setImmediate(function () { process.exit(129); });
}
process.on('uncaughtException', function (err) { fatal(null, err); });
process.on('unhandledRejection', function (reason) {
  const d = describe(reason);
  fatal('Runtime.UnhandledPromiseRejection', { name: 'Runtime.UnhandledPromiseRejection', message: d.errorType + ': ' + d.errorMessage, stack: d.trace.join('\n') });
});

// Loads a CommonJS file as require() would, but compiled with the V8 code cache the runtime
// handed over (when it has one for this file), and hands a new cache back after init otherwise.
const Module = require('node:module');
const vm = require('node:vm');
let compiled = null;
function requireWithCodeCache(file) {
  const m = new Module(file, null);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  Module._cache[file] = m;
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData: cfg.codeCache || undefined,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  compiled = { script, fresh: !cfg.codeCache || script.cachedDataRejected };
  const fn = script.runInThisContext({ displayErrors: true });
  try {
    fn.call(m.exports, m.exports, Module.createRequire(file), m, file, path.dirname(file));
  } catch (err) {
    delete Module._cache[file];
    throw err;
  }
  m.loaded = true;
  return m.exports;
}
function offerCodeCache() {
  if (!compiled || !compiled.fresh) return;
  const data = compiled.script.createCachedData();
  compiled = null;
  parentPort.postMessage([{ t: 'codeCache', file: cfg.cacheFile, data: data }], [data.buffer]);
}

async function loadHandler() {
  const spec = cfg.handler;
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) {
    const e = new Error('Bad handler ' + spec);
    e.name = 'Runtime.MalformedHandlerName';
    throw e;
  }
  const modName = spec.slice(0, dot);
  const fnPath = spec.slice(dot + 1);
  const base = path.resolve(cfg.codeDir, modName);
  let file = null;
  for (const ext of ['.js', '.cjs', '.mjs', '']) {
    if (fs.existsSync(base + ext) && fs.statSync(base + ext).isFile()) { file = base + ext; break; }
  }
  if (!file) {
    const e = new Error("Error: Cannot find module '" + modName + "'");
    e.name = 'Runtime.ImportModuleError';
    throw e;
  }
  let mod;
  try {
    if (file.endsWith('.mjs')) mod = await import(pathToFileURL(file).href);
    else if (file === cfg.cacheFile) mod = requireWithCodeCache(file);
    else mod = require(file);
  } catch (err) {
    if (err && err.code === 'MODULE_NOT_FOUND') {
      const e = new Error('Error: ' + err.message);
      e.name = 'Runtime.ImportModuleError';
      e.stack = err.stack;
      throw e;
    }
    throw err;
  }
  let fn = mod;
  for (const part of fnPath.split('.')) fn = fn == null ? undefined : fn[part];
  if (typeof fn !== 'function') {
    const e = new Error(spec + ' is undefined or not exported');
    e.name = 'Runtime.HandlerNotFound';
    throw e;
  }
  return fn;
}

let handler = null;

function makeContext(msg, settle) {
  let clientContext;
  if (msg.clientContext) {
    try { clientContext = JSON.parse(Buffer.from(msg.clientContext, 'base64').toString('utf8')); } catch (e) { clientContext = undefined; }
  }
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: cfg.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: cfg.arn,
    memoryLimitInMB: String(cfg.memoryMb),
    awsRequestId: msg.requestId,
    logGroupName: cfg.logGroupName,
    logStreamName: cfg.logStreamName,
    identity: undefined,
    clientContext: clientContext,
    getRemainingTimeInMillis: function () { return Math.max(0, msg.deadline - Date.now()); },
    succeed: function (v) { settle(null, v); },
    fail: function (e) { settle(e == null ? new Error('handled') : e); },
    done: function (e, v) { settle(e, v); },
  };
}

// Invocations run strictly one at a time. The parent may post the next invocation while one is running (for very
// short functions); it waits here and starts when the current one ends, unless the parent took it back meanwhile
// (slot state QUEUED -> STOLEN); starting claims it (QUEUED -> STARTED) so exactly one side wins.
const QUEUED = 1;
const STARTED = 2;
const slots = new Int32Array(cfg.slots);
const waiting = [];
let running = false;

function next() {
  running = false;
  while (waiting.length) {
    const m = waiting.shift();
    if (claim(m)) { start(m); return; }
  }
}
function claim(msg) {
  return msg.slot < 0 || Atomics.compareExchange(slots, msg.slot, QUEUED, STARTED) === QUEUED;
}
function onInvoke(msg) {
  if (msg.t !== 'invoke') return;
  if (running) waiting.push(msg);
  else if (claim(msg)) start(msg);
}

function start(msg) {
  running = true;
  msg.deadline = Date.now() + msg.timeoutMs;
  current = { id: msg.id, requestId: msg.requestId };
  process.env._X_AMZN_TRACE_ID = msg.traceId;
  const t0 = performance.now();
  let settled = false;
  const settle = function (err, value) {
    if (settled) return;
    settled = true;
    flushPartial();
    const d = performance.now() - t0;
    if (err !== null && err !== undefined) {
      const e = describe(err);
      send({ t: 'result', id: msg.id, d: d, ok: false, errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace });
    } else {
      let json;
      try {
        json = JSON.stringify(value === undefined ? null : value);
      } catch (e) {
        json = null;
        send({ t: 'result', id: msg.id, d: d, ok: false, errorType: 'Runtime.MalformedResponse', errorMessage: 'Unable to stringify response body: ' + e.message, trace: [] });
      }
      if (json !== null) send({ t: 'result', id: msg.id, d: d, ok: true, payload: json === undefined ? 'null' : json });
    }
    current = null;
    queueMicrotask(next);
  };
  let event;
  try { event = JSON.parse(msg.event); } catch (e) { settle(e); return; }
  const context = makeContext(msg, settle);
  const callback = function (err, value) { settle(err, value); };
  let out;
  try {
    out = handler(event, context, callback);
  } catch (err) {
    settle(err);
    return;
  }
  if (out && typeof out.then === 'function') {
    out.then(function (v) { settle(null, v); }, function (e) { settle(e == null ? new Error('Promise rejected with ' + e) : e); });
  } else if (handler.length < 3) {
    // A synchronous handler that takes no callback: the runtime answers null once it returns.
    setImmediate(function () { settle(null, null); });
  }
}

parentPort.on('message', function (batch) {
  for (let i = 0; i < batch.length; i++) onInvoke(batch[i]);
});

loadHandler().then(
  function (fn) { handler = fn; flushPartial(); send({ t: 'ready' }); flush(); offerCodeCache(); },
  function (err) {
    flushPartial();
    const d = describe(err);
    send({ t: 'initError', errorType: d.errorType, errorMessage: d.errorMessage, trace: d.trace });
    flush();
  },
);
`;
