/**
 * The SES v2 REST API (2019-09-27) as served: one row per operation, method and path template
 * as in the Smithy model's `http` traits. Paths not listed here under /v2/email/ are answered
 * as unknown operations.
 */
import { getAccount } from './operations/account';
import { createConfigurationSet, deleteConfigurationSet, getConfigurationSet, listConfigurationSets } from './operations/configuration-sets';
import type { Operation } from './operations/context';
import { createEmailIdentity, deleteEmailIdentity, getEmailIdentity, listEmailIdentities } from './operations/identities';
import { sendBulkEmail, sendEmail } from './operations/send';
import {
  createEmailTemplate,
  deleteEmailTemplate,
  getEmailTemplate,
  listEmailTemplates,
  testRenderEmailTemplate,
  updateEmailTemplate,
} from './operations/templates';

export interface Route {
  name: string;
  method: string;
  path: string;
  op: Operation;
}

export const ROUTES: Route[] = [
  { name: 'SendEmail', method: 'POST', path: '/v2/email/outbound-emails', op: sendEmail },
  { name: 'SendBulkEmail', method: 'POST', path: '/v2/email/outbound-bulk-emails', op: sendBulkEmail },
  { name: 'CreateEmailIdentity', method: 'POST', path: '/v2/email/identities', op: createEmailIdentity },
  { name: 'ListEmailIdentities', method: 'POST', path: '/v2/email/list-identities', op: listEmailIdentities },
  // the path of ListEmailIdentities before the model moved it to a POST
  { name: 'ListEmailIdentities', method: 'GET', path: '/v2/email/identities', op: listEmailIdentities },
  { name: 'GetEmailIdentity', method: 'GET', path: '/v2/email/identities/{EmailIdentity}', op: getEmailIdentity },
  { name: 'DeleteEmailIdentity', method: 'DELETE', path: '/v2/email/identities/{EmailIdentity}', op: deleteEmailIdentity },
  { name: 'CreateEmailTemplate', method: 'POST', path: '/v2/email/templates', op: createEmailTemplate },
  { name: 'ListEmailTemplates', method: 'GET', path: '/v2/email/templates', op: listEmailTemplates },
  { name: 'GetEmailTemplate', method: 'GET', path: '/v2/email/templates/{TemplateName}', op: getEmailTemplate },
  { name: 'UpdateEmailTemplate', method: 'PUT', path: '/v2/email/templates/{TemplateName}', op: updateEmailTemplate },
  { name: 'DeleteEmailTemplate', method: 'DELETE', path: '/v2/email/templates/{TemplateName}', op: deleteEmailTemplate },
  { name: 'TestRenderEmailTemplate', method: 'POST', path: '/v2/email/templates/{TemplateName}/render', op: testRenderEmailTemplate },
  { name: 'CreateConfigurationSet', method: 'POST', path: '/v2/email/configuration-sets', op: createConfigurationSet },
  { name: 'ListConfigurationSets', method: 'GET', path: '/v2/email/configuration-sets', op: listConfigurationSets },
  { name: 'GetConfigurationSet', method: 'GET', path: '/v2/email/configuration-sets/{ConfigurationSetName}', op: getConfigurationSet },
  { name: 'DeleteConfigurationSet', method: 'DELETE', path: '/v2/email/configuration-sets/{ConfigurationSetName}', op: deleteConfigurationSet },
  { name: 'GetAccount', method: 'GET', path: '/v2/email/account', op: getAccount },
];

const compiled = ROUTES.map((r) => {
  const names: string[] = [];
  const re = new RegExp(`^${r.path.replace(/\{(\w+)\}/g, (_m, n: string) => (names.push(n), '([^/]+)'))}/?$`);
  return { ...r, re, names };
});

/** The route of a request and its path parameters (decoded). */
export function match(method: string, pathname: string): { route: Route; params: Record<string, string> } | { pathKnown: boolean } {
  let pathKnown = false;
  for (const r of compiled) {
    const m = r.re.exec(pathname);
    if (!m) continue;
    pathKnown = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
    return { route: r, params };
  }
  return { pathKnown };
}
