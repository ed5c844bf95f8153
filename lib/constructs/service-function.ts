/**
 * One Lambda handler of a service: a NodejsFunction bundled by the local esbuild (never
 * Docker), X-Ray active tracing, Powertools settings, its own log group with retention, and a
 * role that can write only to that log group (tables and other resources are granted by the
 * service that owns them).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import { POWERTOOLS_ENV } from '../../lambdas/shared/env';
import { METRICS_NAMESPACE, type FunctionOwner } from '../config';
import type { Network } from '../stateful-stack';

export const LAMBDAS_DIR = path.join(__dirname, '..', '..', 'lambdas');
/** What the functions' bundles load for `cls-hooked/context` (esbuild alias). */
export const XRAY_CONTEXT_MODULE = path.join(LAMBDAS_DIR, 'shared', 'xray-context.ts');

export interface ServiceFunctionProps {
  service: FunctionOwner;
  /** handler file, relative to lambdas/ (e.g. "inventory/handlers/get-stock.ts") */
  entry: string;
  /** the entry point's exported name in that file: `handler` (the default), or `<name>Handler` where one file serves several functions */
  handler?: string;
  description: string;
  timeout?: Duration;
  memorySize?: number;
  environment?: Record<string, string>;
  reservedConcurrentExecutions?: number;
  /** place the function in the platform's VPC (to reach Kafka, OpenSearch, the cache) */
  network?: Network;
}

export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  /** the handler file, relative to lambdas/ */
  readonly entry: string;
  /** the exported entry point that Lambda runs */
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.handlerName = props.handler ?? 'handler';
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.service}: ${props.description}`,
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: path.join(LAMBDAS_DIR, props.entry),
      handler: this.handlerName,
      description: props.description,
      // The newest Lambda runtime; the bundle targets Node 20 syntax so the local cloud (Node 20) runs the same file.
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup,
      role,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      vpc: props.network?.vpc,
      vpcSubnets: props.network ? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
      securityGroups: props.network ? [props.network.functions] : undefined,
      environment: {
        [POWERTOOLS_ENV.serviceName]: props.service,
        [POWERTOOLS_ENV.metricsNamespace]: METRICS_NAMESPACE,
        [POWERTOOLS_ENV.logLevel]: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.CJS,
        target: 'node20',
        minify: true,
        // Error class names are part of contracts (Step Functions catches by name): keep them.
        keepNames: true,
        sourceMap: true,
        // Bundle the AWS SDK too: the same client code and version run locally and in AWS.
        // Powertools' Kafka utility loads its Avro and Protobuf decoders only for those schema
        // types; events here are JSON, so they stay out of the bundle.
        externalModules: ['avro-js', 'protobufjs'],
        // The X-Ray SDK's context (under Powertools Tracer) kept with AsyncLocalStorage instead of
        // cls-hooked's promise-destroy hooks: see lambdas/shared/xray-context.ts.
        esbuildArgs: { '--alias:cls-hooked/context': XRAY_CONTEXT_MODULE },
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray PutTraceSegments/PutTelemetryRecords and, for functions in the VPC, ec2 network-interface actions support no resource-level permissions; every other statement names its resources',
    });
  }
}
