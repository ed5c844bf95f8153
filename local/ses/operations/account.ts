// GetAccount: the sending quota (production limits, or the sandbox's 200 a day and 1 a second),
// with SentLast24Hours counted from the messages kept.
import type { SesContext } from './context';

export function quota(ctx: SesContext): { Max24HourSend: number; MaxSendRate: number; SentLast24Hours: number } {
  const since = ctx.now() - 24 * 3600_000;
  let sent = 0;
  for (const m of ctx.store.sent.values()) if (Date.parse(m.Timestamp) > since) sent++;
  return ctx.sandbox ? { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: sent } : { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: sent };
}

export function getAccount(ctx: SesContext): unknown {
  return {
    DedicatedIpAutoWarmupEnabled: false,
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: !ctx.sandbox,
    SendQuota: quota(ctx),
    SendingEnabled: true,
    SuppressionAttributes: { SuppressedReasons: [] },
  };
}
