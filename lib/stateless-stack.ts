/**
 * Code and routing, redeployable at will: the services' functions, the REST API with its usage
 * plans, the event source mappings, and the order saga that ties Inventory, Payments and Orders.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { KafkaBackbone } from './constructs/kafka-backbone';
import { PlatformApi } from './constructs/platform-api';
import { Observability } from './observability';
import { CatalogService } from './services/catalog';
import { InventoryService } from './services/inventory';
import { PaymentsService } from './services/payments';
import { OrdersService } from './services/orders';
import { OrderSaga } from './saga/order-saga';
import { NotificationsService } from './services/notifications';
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
  readonly orders: OrdersService;
  readonly saga: OrderSaga;
  readonly notifications: NotificationsService;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    this.api = new PlatformApi(this, 'Platform');
    this.backbone = new KafkaBackbone(this, 'Events', { resources: props.resources });
    this.inventory = new InventoryService(this, 'Inventory', { api: this.api, resources: props.resources, backbone: this.backbone });
    this.catalog = new CatalogService(this, 'Catalog', { api: this.api, resources: props.resources, backbone: this.backbone });
    this.payments = new PaymentsService(this, 'Payments', { api: this.api, resources: props.resources });
    this.orders = new OrdersService(this, 'Orders', { api: this.api, resources: props.resources, backbone: this.backbone });
    this.saga = new OrderSaga(this, 'Saga', {
      ordersTasks: this.orders.tasks,
      inventoryTasks: this.inventory.tasks,
      paymentsTasks: this.payments.tasks,
      bus: props.resources.bus.bus,
    });
    this.notifications = new NotificationsService(this, 'Notifications', { api: this.api, resources: props.resources, backbone: this.backbone });
    this.api.attachPlans();
    new Observability(this, 'Observability', { failures: this.backbone.failures, kafkaClusterName: props.resources.kafka.clusterName }); // last: it watches what the stack holds
  }
}
