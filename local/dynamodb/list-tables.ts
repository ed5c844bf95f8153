/**
 * Readiness probe: one ListTables call over plain HTTP.
 *
 * Written with node:http rather than @aws-sdk/client-dynamodb because loading the SDK costs more
 * start-up time than the probe itself, and DynamoDB Local does not check signatures: it only reads
 * the access key and region out of the Authorization header, so a well-formed dummy one is enough.
 */
import http from 'node:http';

const DUMMY_AUTH =
  'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

/** Resolves with the table names, rejects on any transport or HTTP error. */
export function listTables(endpoint: string, timeoutMs = 2000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${endpoint}/`,
      {
        method: 'POST',
        timeout: timeoutMs,
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.ListTables',
          Authorization: DUMMY_AUTH,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`ListTables answered HTTP ${res.statusCode}: ${body}`));
          try {
            resolve((JSON.parse(body) as { TableNames: string[] }).TableNames);
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('ListTables timed out')));
    req.on('error', reject);
    req.end('{}');
  });
}
