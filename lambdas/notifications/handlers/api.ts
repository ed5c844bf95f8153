/**
 * The Notifications API function: every route under /api/notifications. One function, one role
 * (the preferences and history tables, SES and SNS), kept warm by all of its routes.
 */
import { httpHandler } from '../../shared/http';
import { router } from '../../shared/router';
import { MAX_REQUEST_BYTES } from '../schemas';
import { getPreferencesRoute } from './get-preferences';
import { healthRoute } from './health';
import { historyRoute } from './history';
import { putPreferencesRoute } from './put-preferences';
import { sendRoute } from './send';

export const handler = httpHandler(
  router({
    'GET /api/notifications/preferences/{user_id}': getPreferencesRoute,
    'PUT /api/notifications/preferences/{user_id}': putPreferencesRoute,
    'POST /api/notifications/send': sendRoute,
    'GET /api/notifications/history': historyRoute,
    'GET /api/notifications/health': healthRoute,
  }),
  { maxBodyBytes: MAX_REQUEST_BYTES },
);
