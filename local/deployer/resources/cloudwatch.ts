/**
 * Amazon CloudWatch alarms and dashboards on the local CloudWatch: an alarm is evaluated against
 * the local metrics (and notifies its SNS actions), a dashboard is kept for GetDashboard.
 * Composite alarms are accepted without local effect (none in the template yet).
 */
import { arn, generatedName, nameOr, shortId } from '../physical-ids';
import type { ResourceIdentity, ResourceModule } from '../types';

// CloudFormation names an unnamed alarm `<stack>-<logicalId>-<random>`; here the suffix is derived, so a restart finds it again
const alarmName = (r: ResourceIdentity) => nameOr(r, 'AlarmName', `${generatedName(r)}-${shortId(generatedName(r), 12).toUpperCase()}`);
const dashboardName = (r: ResourceIdentity) => nameOr(r, 'DashboardName', `${r.logicalId}-${shortId(generatedName(r), 12).toUpperCase()}`);

export const cloudwatchAlarm: ResourceModule = {
  types: ['AWS::CloudWatch::Alarm'],
  effect: 'emulated',
  needs: 'cloudwatch',
  ref: alarmName,
  attribute: (r, name) => (name === 'Arn' ? arn(r, 'cloudwatch', `alarm:${r.ref}`) : undefined),
  async deploy(r, ctx) {
    const out = ctx.services.cloudwatch!.deployAlarm({ ...r.properties, AlarmName: r.ref });
    return { Ref: out.AlarmName, Arn: out.Arn };
  },
};

export const cloudwatchDashboard: ResourceModule = {
  types: ['AWS::CloudWatch::Dashboard'],
  effect: 'emulated',
  needs: 'cloudwatch',
  ref: dashboardName,
  async deploy(r, ctx) {
    const body = typeof r.properties.DashboardBody === 'string' ? r.properties.DashboardBody : JSON.stringify(r.properties.DashboardBody);
    ctx.services.cloudwatch!.deployDashboard(r.ref, body);
    return { Ref: r.ref };
  },
};

export const cloudwatchCompositeAlarm: ResourceModule = { types: ['AWS::CloudWatch::CompositeAlarm'], effect: 'inert' };
