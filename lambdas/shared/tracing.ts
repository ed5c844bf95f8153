/**
 * X-Ray subsegments for calls the Powertools Tracer does not capture by itself: the AWS SDK
 * clients are captured with `tracer.captureAWSv3Client`, `fetch` by the Tracer's HTTP capture;
 * Redis (ioredis) is not, so `traceRedis` wraps a client's `sendCommand`: one `Redis`
 * subsegment (namespace remote, the command in its metadata) per command, closed when the command
 * answers, failed with its error. ElastiCache then shows in the trace and the service graph.
 */
import { tracer } from './powertools';

interface RedisCommand {
  name: string;
  promise: Promise<unknown>;
}

export function traceRedis<T extends object>(client: T): T {
  const c = client as unknown as { sendCommand: (command: RedisCommand, ...rest: unknown[]) => unknown };
  if (typeof c.sendCommand !== 'function') return client;
  const send = c.sendCommand.bind(client);
  c.sendCommand = (command, ...rest) => {
    const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    if (!parent) return send(command, ...rest);
    const sub = parent.addNewSubsegment('Redis');
    Object.assign(sub, { namespace: 'remote' });
    sub.addMetadata('command', command.name, 'redis');
    const result = send(command, ...rest);
    command.promise.then(
      () => sub.close(),
      (err: Error) => {
        sub.addError(err);
        sub.close();
      },
    );
    return result;
  };
  return client;
}
