// SQS (JSON and query), SNS (query) and SES (REST-JSON) on one edge, as the local cloud serves
// them: each request reaches its own service, whatever the order of the routes.
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateEmailIdentityCommand, ListEmailIdentitiesCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEdge } from '../../../../local/edge';
import { createSesEmulator } from '../../../../local/ses';
import { createSnsEmulator } from '../../../../local/sns';
import { createSqsEmulator } from '../../../../local/sqs';

test('three services on one edge, routes in either order', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edge-routing-'));
  let url = '';
  const common = { region: 'us-east-1', accountId: '000000000000', edgeUrl: () => url };
  const sqs = createSqsEmulator({ ...common, dataDir: path.join(dataDir, 'sqs') });
  const sns = createSnsEmulator({ ...common, dataDir: path.join(dataDir, 'sns'), sqsSend: (arn, body, o) => sqs.sendMessage(arn, body, o) });
  const ses = createSesEmulator({ ...common, dataDir: path.join(dataDir, 'ses') });
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  try {
    for (const order of [
      [sqs.route, sns.route, ses.route],
      [ses.route, sns.route, sqs.route],
    ]) {
      const edge = await startEdge({ port: 0, services: order.map((route, i) => ({ name: `s${i}`, route })) });
      url = edge.url;
      const sqsClient = new SQSClient({ endpoint: url, region: 'us-east-1', credentials });
      const snsClient = new SNSClient({ endpoint: url, region: 'us-east-1', credentials });
      const sesClient = new SESv2Client({ endpoint: url, region: 'us-east-1', credentials });
      try {
        sqs.deployQueue({ QueueName: 'routed' });
        await snsClient.send(new CreateTopicCommand({ Name: 'routed' }));
        await sesClient.send(new CreateEmailIdentityCommand({ EmailIdentity: `routed-${order.length}-${Date.now()}@example.com` }));
        expect((await sqsClient.send(new ListQueuesCommand({}))).QueueUrls).toEqual([`${url}/000000000000/routed`]);
        expect((await snsClient.send(new ListTopicsCommand({}))).Topics).toEqual([{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:routed' }]);
        expect((await sesClient.send(new ListEmailIdentitiesCommand({}))).EmailIdentities!.length).toBeGreaterThan(0);
        // an unsigned form to another path is nobody's: the edge answers that it does not emulate it
        const stray = await fetch(`${url}/2015-03-31/functions/x/invocations`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListQueues&Version=2012-11-05' });
        expect(stray.status).toBe(400);
        expect(((await stray.json()) as { __type: string }).__type).toBe('UnknownOperationException');
      } finally {
        sqsClient.destroy();
        snsClient.destroy();
        sesClient.destroy();
        await edge.close();
      }
    }
  } finally {
    await sqs.close();
    await sns.close();
    await ses.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
