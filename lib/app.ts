/** Builds the CDK app; shared by bin/app.ts and the infra tests (which get cdk.json's context too). */
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

const cdkJsonContext = (JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

export function buildApp(props: AppProps = {}) {
  const app = new App({ ...props, context: { ...cdkJsonContext, ...props.context } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const stateful = new StatefulStack(app, 'EcommerceStateful', { env, description: 'E-commerce platform: data stores' });
  const stateless = new StatelessStack(app, 'EcommerceStateless', {
    env,
    description: 'E-commerce platform: functions, API and saga',
    resources: stateful,
  });
  return { app, stateful, stateless };
}
