/**
 * Everything that holds state and outlives deployments of code: the tables (and, as the
 * platform grows, the Kafka cluster, the search domain, the cache and the event bus).
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

export interface Tables {
  stock: dynamodb.Table;
  reservations: dynamodb.Table;
}

export class StatefulStack extends Stack {
  readonly tables: Tables;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const table = (name: string, partitionKey: string) =>
      new dynamodb.Table(this, name, {
        partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        removalPolicy: RemovalPolicy.RETAIN,
        stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      });
    this.tables = {
      stock: table('StockTable', 'product_id'),
      reservations: table('ReservationsTable', 'reservation_id'),
    };
  }
}
