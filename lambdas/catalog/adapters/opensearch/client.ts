/**
 * The OpenSearch client of the catalog's functions, from its settings (lambdas/shared/env.ts):
 * the domain endpoint (host[:port]), TLS (on in AWS, off on the local emulator) and
 * authentication (SigV4 with the default credential chain for Amazon OpenSearch Service, none
 * locally).
 */
import { Client } from '@opensearch-project/opensearch';
// The signer's SDK v3 flavour: the default entry point also tries AWS SDK v2 at run time, which
// this project does not ship. Credentials come from the SDK's default chain.
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import type { OpenSearchSettings } from '../../../shared/env';

export function nodeUrl(s: Pick<OpenSearchSettings, 'endpoint' | 'tls'>): string {
  return /^https?:\/\//.test(s.endpoint) ? s.endpoint : `${s.tls ? 'https' : 'http'}://${s.endpoint}`;
}

export function createOpenSearchClient(s: OpenSearchSettings): Client {
  return new Client({
    node: nodeUrl(s),
    requestTimeout: s.requestTimeoutMs,
    maxRetries: 1,
    ...(s.auth === 'sigv4' ? AwsSigv4Signer({ region: s.region, service: 'es' }) : {}),
  });
}
