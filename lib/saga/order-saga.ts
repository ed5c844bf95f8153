/**
 * The order saga's state machine: the ASL file in statemachines/ deployed as it is (the same
 * definition runs in AWS and on the local cloud), its task functions and bus substituted in.
 * A Standard workflow with a fixed name (SAGA_STATE_MACHINE_NAME: the services that start and
 * read its executions name its ARN without a reference to this construct), logging of every
 * event with execution data, X-Ray tracing, and a role that can invoke exactly its three task
 * functions and put events on the order bus.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import path from 'node:path';
import { SAGA_STATE_MACHINE_NAME } from '../config';

export const SAGA_DEFINITION_FILE = path.join(__dirname, '..', '..', 'statemachines', 'order-saga.asl.json');

export interface OrderSagaProps {
  ordersTasks: lambda.IFunction;
  inventoryTasks: lambda.IFunction;
  paymentsTasks: lambda.IFunction;
  bus: events.IEventBus;
}

export class OrderSaga extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: OrderSagaProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com'), description: 'Order saga: its task functions and the order bus' });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: SAGA_STATE_MACHINE_NAME,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(SAGA_DEFINITION_FILE),
      definitionSubstitutions: {
        OrdersTasksFunctionArn: props.ordersTasks.functionArn,
        InventoryTasksFunctionArn: props.inventoryTasks.functionArn,
        PaymentsTasksFunctionArn: props.paymentsTasks.functionArn,
        OrderEventsBusName: props.bus.eventBusName,
      },
      role,
      // Every history event (cdk-nag's SF1 asks for ALL), without the states' inputs and outputs:
      // those carry the order (user, lines, amounts, payment method), which the execution's
      // history already keeps behind states:GetExecutionHistory, and with them the log group took
      // about 46 events of 1-2 KB per order (at 100 sagas/s some 18 TB a month of ingestion).
      // Which state failed, and with which error name, stays in the events.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // The definition invokes the functions unqualified ($LATEST): their ARNs, without the
    // version wildcard grantInvoke adds.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [props.ordersTasks.functionArn, props.inventoryTasks.functionArn, props.paymentsTasks.functionArn],
      }),
    );
    props.bus.grantPutEventsTo(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        "Step Functions' log delivery (logs:CreateLogDelivery and its kin) and X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) take no resource-level permission, as AWS documents for logging and tracing state machines",
    });
  }
}
