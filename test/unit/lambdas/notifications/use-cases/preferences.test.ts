import { getPreferences, putPreferences } from '../../../../../lambdas/notifications/use-cases/preferences';
import { NotFoundError, ValidationError } from '../../../../../lambdas/shared/errors';
import { eventDeps, T0 } from '../fixtures';

describe('contact preferences', () => {
  it('saves them whole, registering a new push token once', async () => {
    const deps = eventDeps();
    const first = await putPreferences(deps, 'u1', { email: 'a@example.com', push_token: 'tok', channels: ['push', 'email'], locale: 'de-de' });
    expect(first.created).toBe(true);
    expect(first.preferences).toEqual({
      user_id: 'u1',
      email: 'a@example.com',
      push_token: 'tok',
      push_endpoint_arn: expect.stringMatching(/:endpoint\/GCM\/ecommerce-notifications\//),
      channels: ['email', 'push'],
      locale: 'de-DE',
      created_at: T0,
      updated_at: T0,
    });
    deps.clock.advance(1000);
    const second = await putPreferences(deps, 'u1', { push_token: 'tok', channels: ['push'] });
    expect(second.created).toBe(false);
    expect(second.preferences.push_endpoint_arn).toBe(first.preferences.push_endpoint_arn);
    expect(second.preferences.email).toBeUndefined();
    expect(second.preferences.created_at).toBe(T0);
    expect(second.preferences.updated_at).toBe('2026-11-25T10:00:01.000Z');
    await putPreferences(deps, 'u1', { push_token: 'tok2', channels: ['push'] });
    expect(deps.push.registered).toEqual([
      { token: 'tok', userId: 'u1' },
      { token: 'tok2', userId: 'u1' },
    ]);
    expect(await getPreferences(deps.preferences, 'u1')).toMatchObject({ push_token: 'tok2', channels: ['push'] });
  });

  it('refuses an opted-in channel without its contact, naming it', async () => {
    const deps = eventDeps();
    const err = await putPreferences(deps, 'u1', { email: 'a@example.com', channels: ['email', 'sms', 'push'] }).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details).toEqual([
      { field: 'channels.1', message: 'channel sms needs phone' },
      { field: 'channels.2', message: 'channel push needs push_token' },
    ]);
    expect(deps.preferences.items.size).toBe(0);
  });

  it('reads an unknown user as 404', async () => {
    await expect(getPreferences(eventDeps().preferences, 'ghost')).rejects.toThrow(NotFoundError);
  });
});
