/** Writes docker/grafana/dashboards/ecommerce-platform.json from lib/observability/grafana.ts. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { grafanaDashboard } from '../lib/observability/grafana';

export const DASHBOARD_FILE = path.join(__dirname, '..', 'docker', 'grafana', 'dashboards', 'ecommerce-platform.json');

if (require.main === module) {
  writeFileSync(DASHBOARD_FILE, JSON.stringify(grafanaDashboard(), null, 2) + '\n');
  console.log(`wrote ${DASHBOARD_FILE}`);
}
