/**
 * When the local cloud is quiet: every Kafka event source mapping's group has committed up to
 * its topics' ends, and every DynamoDB stream mapping's checkpoint is at its shard's last
 * record, twice in a row (nothing in flight between the two looks). Tests wait for quiet instead
 * of sleeping, then compare counts exactly.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { Kafka, logLevel } from 'kafkajs';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Endpoints } from '../../local/endpoints';
import { until } from './poll';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A fingerprint of where every mapping stands; undefined while some mapping is behind. */
export async function mappingPositions(e: Endpoints): Promise<string | undefined> {
  const lambda = new LambdaClient({ endpoint: e.edge_url, region: e.region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: e.edge_url, region: e.region, credentials });
  const admin = new Kafka({ clientId: 'quiet', brokers: [e.services.kafka!], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { EventSourceMappings = [] } = await lambda.send(new ListEventSourceMappingsCommand({}));
    const positions: string[] = [];
    for (const m of EventSourceMappings) {
      if (m.State !== 'Enabled') continue;
      if (m.EventSourceArn!.includes(':kafka:')) {
        const groupId = m.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId ?? m.UUID!;
        for (const topic of m.Topics ?? []) {
          const ends = await admin.fetchTopicOffsets(topic);
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          for (const end of ends) {
            const at = committed!.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
            const done = Number(at === '-1' ? end.low : at);
            if (done < Number(end.high)) return undefined;
            positions.push(`${groupId}/${topic}/${end.partition}@${end.high}`);
          }
        }
      } else {
        const file = path.join(e.data_dir, 'esm', `${m.UUID}.json`);
        const checkpoints = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
        const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: m.EventSourceArn }));
        for (const shard of StreamDescription?.Shards ?? []) {
          const last = await lastSequence(streams, m.EventSourceArn!, shard.ShardId!);
          if (last !== undefined && checkpoints[shard.ShardId!] !== last && !checkpoints[`${shard.ShardId}#done`]) return undefined;
          positions.push(`${m.UUID}/${shard.ShardId}@${last ?? '-'}`);
        }
      }
    }
    return positions.sort().join('\n');
  } finally {
    await admin.disconnect();
    lambda.destroy();
    streams.destroy();
  }
}

async function lastSequence(client: DynamoDBStreamsClient, streamArn: string, shardId: string): Promise<string | undefined> {
  let iterator: string | undefined;
  try {
    iterator = (await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  } catch {
    return undefined;
  }
  let last: string | undefined;
  for (let i = 0; iterator && i < 1000; i++) {
    let out;
    try {
      out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (err) {
      if ((err as Error).name === 'TrimmedDataAccessException') return last; // an empty shard reads as trimmed on DynamoDB Local
      throw err;
    }
    const records = out.Records ?? [];
    if (records.length) last = records[records.length - 1]!.dynamodb!.SequenceNumber;
    else break;
    iterator = out.NextShardIterator;
  }
  return last;
}

/** Waits until every mapping has caught up, and stays so between two looks. */
export async function waitForQuiet(e: Endpoints, timeoutMs = 60_000): Promise<string> {
  let previous: string | undefined;
  let settled = '';
  await until(
    'the local cloud to be quiet',
    async () => {
      const now = await mappingPositions(e);
      const quiet = now !== undefined && now === previous;
      previous = now;
      if (quiet) settled = now!;
      return quiet;
    },
    { timeoutMs, intervalMs: 250 },
  );
  return settled;
}
