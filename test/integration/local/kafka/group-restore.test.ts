/**
 * What a group looks like after its broker restarts while a member is still registered (a
 * member that crashed and never left: kcat, killed). Kafka keeps the member until its session
 * times out; a host whose consumers share the broker's process (the local cloud) asks for
 * empty groups instead.
 */
import { until } from '../../../support/poll';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKafkaBroker, type KafkaBroker } from '../../../../local/kafka';
import { client } from './helpers';

async function describe(broker: KafkaBroker) {
  const admin = client(broker).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups(['g']);
    return { state: groups[0]!.state, members: groups[0]!.members.length };
  } finally {
    await admin.disconnect();
  }
}

async function groupAfterCrash(restoreGroupMembers: boolean) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-group-restore-'));
  let broker: KafkaBroker = await createKafkaBroker({ port: 0, dataDir, restoreGroupMembers });
  const port = broker.port;
  try {
    await broker.createTopic('t', 1);
    const member = spawn('kcat', ['-b', broker.bootstrap, '-G', 'g', 't', '-q', '-X', 'session.timeout.ms=30000'], { stdio: 'ignore' });
    const exited = new Promise((r) => member.once('exit', r));
    try {
      await until('the kcat member to make the group stable', async () => (await describe(broker)).state === 'Stable', { timeoutMs: 20_000, intervalMs: 100 });
      expect(await describe(broker)).toEqual({ state: 'Stable', members: 1 });
    } finally {
      member.kill('SIGKILL'); // it never leaves the group
      await exited;
    }
    await broker.close();
    broker = await createKafkaBroker({ port, dataDir, restoreGroupMembers });
    return await describe(broker);
  } finally {
    await broker.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

test('by default a restarted broker keeps the members it had, as Kafka does', async () => {
  expect(await groupAfterCrash(true)).toEqual({ state: 'Stable', members: 1 });
});

test('with restoreGroupMembers off, groups come back empty so the next join needs no wait', async () => {
  expect(await groupAfterCrash(false)).toEqual({ state: 'Empty', members: 0 });
});
