/**
 * Runs the local Step Functions alone on a port (no edge, no Lambda runtime):
 *
 *   npx tsx local/stepfunctions/cli.ts [--port 4599] [--data .local/stepfunctions] [--edge http://127.0.0.1:4566] [--skip-waits]
 *
 * Lambda tasks fail with Lambda.ResourceNotFoundException (there are no functions); other integrations
 * call the --edge URL. --skip-waits makes Wait states and retry intervals instant (the history still
 * shows the times they asked for).
 */
import http from 'node:http';
import path from 'node:path';
import { createStepFunctions, skippingClock } from './index';
import { guardLoopback } from '../http/loopback-guard';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const port = Number(opt('--port', '4599'));
const dataDir = path.resolve(opt('--data', '.local/stepfunctions'));
const edge = opt('--edge', 'http://127.0.0.1:4566');

const sfn = createStepFunctions({
  dataDir,
  edgeUrl: () => edge,
  clock: args.includes('--skip-waits') ? skippingClock() : undefined,
  log: (m) => console.error(m),
  invokeLambda: async (fn) => {
    const e = new Error(`Function not found: ${fn}`);
    e.name = 'ResourceNotFoundException';
    throw e;
  },
});

const server = http.createServer(
  guardLoopback((req, res) => {
    void sfn.route(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: 'not a Step Functions request' }));
      }
    });
  }, { name: 'stepfunctions', log: (m) => console.error(m) }),
);
server.listen(port, '127.0.0.1', () => {
  void sfn.resume();
  console.log(`local Step Functions on http://127.0.0.1:${port} (data: ${dataDir})`);
});
const stop = () => {
  sfn.close();
  server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
