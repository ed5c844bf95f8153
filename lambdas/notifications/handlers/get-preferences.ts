/** GET /api/notifications/preferences/{user_id}: a user's contacts and opted-in channels; 404 for a user without any. */
import { json, parseParams, type HttpEvent } from '../../shared/http';
import { apiDependencies } from '../dependencies';
import { userPath } from '../schemas';
import { getPreferences } from '../use-cases/preferences';
import { preferencesView } from './views';

const deps = apiDependencies();

export async function getPreferencesRoute(event: HttpEvent) {
  const { user_id } = parseParams(event.pathParameters, userPath, 'path');
  return json(200, preferencesView(await getPreferences(deps.preferences, user_id)));
}
