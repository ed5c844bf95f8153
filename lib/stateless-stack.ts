/**
 * Code and routing, redeployable at will: the services' functions, the REST API with its usage
 * plans (and, as the platform grows, the saga and the event source mappings).
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { KafkaBackbone } from './constructs/kafka-backbone';
import { PlatformApi } from './constructs/platform-api';
import { Observability } from './observability';
import { CatalogService } from './services/catalog';
import { InventoryService } from './services/inventory';
import { PaymentsService } from './services/payments';
import type { StatefulResources } from './stateful-stack';

export interface StatelessStackProps extends StackProps {
  resources: StatefulResources;
}

export class StatelessStack extends Stack {
  readonly api: PlatformApi;
  readonly backbone: KafkaBackbone;
  readonly inventory: InventoryService;
  readonly catalog: CatalogService;
  readonly payments: PaymentsService;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.api = new PlatformApi(this, 'Platform');
    this.backbone = new KafkaBackbone(this, 'Events', { resources: props.resources });
    this.inventory = new InventoryService(this, 'Inventory', { api: this.api, resources: props.resources, backbone: this.backbone });
    this.catalog = new CatalogService(this, 'Catalog', { api: this.api, resources: props.resources, backbone: this.backbone });
    this.payments = new PaymentsService(this, 'Payments', { api: this.api, resources: props.resources });
    this.api.attachPlans();
    new Observability(this, 'Observability', { failures: this.backbone.failures, kafkaClusterName: props.resources.kafka.clusterName }); // last: it watches what the stack holds
  }
}
