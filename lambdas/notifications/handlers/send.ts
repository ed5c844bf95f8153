/**
 * POST /api/notifications/send: an operator sends one message on one channel. 201 with the
 * notification once the provider took it; with an Idempotency-Key, a repeat answers 200 with the
 * first record and sends nothing; 502 when the provider refused it after the retries.
 */
import { headerValue } from '../../shared/headers';
import { json, parseBody, type HttpEvent } from '../../shared/http';
import { BadRequestError } from '../../shared/errors';
import { logger } from '../../shared/powertools';
import { apiDependencies } from '../dependencies';
import { sendBody } from '../schemas';
import { sendDirect } from '../use-cases/send';
import { notificationView } from './views';

const deps = apiDependencies();

export async function sendRoute(event: HttpEvent) {
  const body = parseBody(event, sendBody);
  const key = headerValue(event.headers, 'idempotency-key');
  if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new BadRequestError('invalid Idempotency-Key', [{ field: 'Idempotency-Key', message: '1 to 255 printable ASCII characters' }], 'invalid_parameter');
  }
  const { record, replayed } = await sendDirect(deps, body, key);
  logger.info('direct send', { notification_id: record.notification_id, channel: record.channel, type: record.type, status: record.status, replayed });
  return json(replayed ? 200 : 201, notificationView(record));
}
