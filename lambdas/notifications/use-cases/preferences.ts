/** A customer's contact preferences: read, and replaced as a whole (a new push token is registered with the push provider first). */
import type { Clock } from '../../shared/clock';
import { NotFoundError, ValidationError } from '../../shared/errors';
import type { PreferencesStore, PushRegistry } from '../domain/ports';
import { normalizeChannels, preferenceProblems, type Preferences, type PreferencesInput } from '../domain/preferences';

export interface PreferencesDeps {
  preferences: PreferencesStore;
  push: PushRegistry;
  clock: Clock;
}

export async function getPreferences(store: PreferencesStore, userId: string): Promise<Preferences> {
  const found = await store.get(userId);
  if (!found) throw new NotFoundError(`no preferences for user ${userId}`, [{ field: 'user_id', message: 'unknown user' }]);
  return found;
}

/**
 * Replaces a user's preferences:
 * 1. every opted-in channel has its contact (else 422 naming the channel);
 * 2. a push token new to this user becomes an SNS platform endpoint (an unchanged one keeps its endpoint);
 * 3. the whole record is written.
 */
export async function putPreferences(deps: PreferencesDeps, userId: string, input: PreferencesInput): Promise<{ preferences: Preferences; created: boolean }> {
  const problems = preferenceProblems(input);
  if (problems.length) throw new ValidationError('an opted-in channel has no contact', problems);
  const existing = await deps.preferences.get(userId);
  let endpoint: string | undefined;
  if (input.push_token) {
    endpoint = existing?.push_token === input.push_token && existing.push_endpoint_arn ? existing.push_endpoint_arn : await deps.push.register(input.push_token, userId);
  }
  const now = deps.clock();
  const preferences: Preferences = {
    user_id: userId,
    ...(input.email ? { email: input.email } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.push_token ? { push_token: input.push_token, push_endpoint_arn: endpoint } : {}),
    channels: normalizeChannels(input.channels),
    ...(input.locale ? { locale: Intl.getCanonicalLocales(input.locale)[0] } : {}),
    ...(input.name ? { name: input.name } : {}),
    created_at: existing?.created_at ?? now,
    updated_at: now,
  };
  await deps.preferences.put(preferences);
  return { preferences, created: !existing };
}
