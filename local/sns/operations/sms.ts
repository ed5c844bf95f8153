// SMS settings and opt-outs: Set/GetSMSAttributes, CheckIfPhoneNumberIsOptedOut,
// ListPhoneNumbersOptedOut, OptInPhoneNumber, GetSMSSandboxAccountStatus (never in the sandbox).
import { XmlMap } from '../../aws-shared/xml';
import { invalidParameter } from '../errors';
import { checkPhoneNumber } from '../validation';
import { type Params, type SnsContext, paginate } from './context';

const SMS_ATTRIBUTES = new Set([
  'MonthlySpendLimit',
  'DeliveryStatusIAMRole',
  'DeliveryStatusSuccessSamplingRate',
  'DefaultSenderID',
  'DefaultSMSType',
  'UsageReportS3Bucket',
]);

export function setSMSAttributes(ctx: SnsContext, p: Params): unknown {
  const attrs = p.map('attributes');
  for (const [k, v] of Object.entries(attrs)) {
    if (!SMS_ATTRIBUTES.has(k)) throw invalidParameter(`${k}`);
    if (k === 'DefaultSMSType' && v !== 'Promotional' && v !== 'Transactional') throw invalidParameter('DefaultSMSType Reason: must be Promotional or Transactional');
  }
  ctx.store.record({ t: 'smsattr', v: { ...ctx.store.smsAttributes, ...attrs } });
  return {};
}

export function getSMSAttributes(ctx: SnsContext, p: Params): unknown {
  const names = p.list('attributes');
  const all = ctx.store.smsAttributes;
  const out = names.length ? Object.fromEntries(Object.entries(all).filter(([k]) => names.includes(k))) : all;
  return { attributes: new XmlMap(out) };
}

export function checkIfPhoneNumberIsOptedOut(ctx: SnsContext, p: Params): unknown {
  const n = p.required('phoneNumber');
  checkPhoneNumber(n);
  return { isOptedOut: ctx.store.optedOut.has(n) };
}

export function listPhoneNumbersOptedOut(ctx: SnsContext, p: Params): unknown {
  const page = paginate([...ctx.store.optedOut].sort(), p.get('nextToken'));
  return { phoneNumbers: page.items, nextToken: page.next };
}

export function optInPhoneNumber(ctx: SnsContext, p: Params): unknown {
  const n = p.required('phoneNumber');
  checkPhoneNumber(n);
  ctx.store.record({ t: 'optout', n, out: false });
  return {};
}

export function getSMSSandboxAccountStatus(): unknown {
  return { IsInSandbox: false };
}
