/** PUT /api/notifications/preferences/{user_id}: replaces a user's preferences (201 the first time, 200 after). */
import { json, parseBody, parseParams, type HttpEvent } from '../../shared/http';
import { logger } from '../../shared/powertools';
import { apiDependencies } from '../dependencies';
import { preferencesBody, userPath } from '../schemas';
import { putPreferences } from '../use-cases/preferences';
import { preferencesView } from './views';

const deps = apiDependencies();

export async function putPreferencesRoute(event: HttpEvent) {
  const { user_id } = parseParams(event.pathParameters, userPath, 'path');
  const body = parseBody(event, preferencesBody);
  const { preferences, created } = await putPreferences(deps, user_id, body);
  logger.info('preferences saved', { user_id, channels: preferences.channels, created });
  return json(created ? 201 : 200, preferencesView(preferences));
}
