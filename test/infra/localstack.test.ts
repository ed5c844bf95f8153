/**
 * The LocalStack + Redpanda path: the compose file is valid for Debian's docker-compose (1.29,
 * `config -q`, no daemon needed), creates the design's topics with their partition counts, passes
 * the LocalStack auth token from the environment and runs Jaeger, Prometheus and Grafana beside;
 * and the CDK app synthesized for a self-managed Kafka has no MSK cluster, feeds every consumer through a self-managed Kafka event
 * source mapping to the given brokers, and leaves the MSK variant's mappings otherwise the same.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../lib/app';
import { TOPICS } from '../../lambdas/shared/events/envelope';
import { TEMPLATE_ONLY } from '../support/synth';

const root = path.resolve(__dirname, '..', '..');
const COMPOSE = path.join(root, 'docker-compose.localstack.yml');

function compose(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync('docker-compose', ['-f', COMPOSE, ...args], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('docker-compose.localstack.yml', () => {
  it('is valid for docker-compose config -q with an auth token', () => {
    const r = compose(['config', '-q'], { LOCALSTACK_AUTH_TOKEN: 'ls-test-token' });
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
  });

  it('passes LOCALSTACK_AUTH_TOKEN from the environment to LocalStack, and needs none to run only Jaeger, Prometheus and Grafana', () => {
    const withToken = compose(['config'], { LOCALSTACK_AUTH_TOKEN: 'ls-test-token' });
    expect(withToken.out).toContain('LOCALSTACK_AUTH_TOKEN: ls-test-token');
    const without = compose(['config', '-q'], {});
    expect(without.err).toBe('');
    expect(without.status).toBe(0);
  });

  it("runs LocalStack and Redpanda, and creates the design's topics with their partition counts", () => {
    const r = compose(['config'], { LOCALSTACK_AUTH_TOKEN: 'ls-test-token' });
    expect(r.status).toBe(0);
    expect(r.out).toContain('image: localstack/localstack-pro:');
    expect(r.out).toContain('image: redpandadata/redpanda:');
    expect(r.out).toContain('redpanda.auto_create_topics_enabled=false');
    const created = /for t in ([^;]+); do/.exec(r.out)?.[1]?.trim().split(/\s+/);
    expect(created).toEqual(Object.entries(TOPICS).map(([t, n]) => `${t}:${n}`));
  });

  it('runs Jaeger, Prometheus and Grafana beside them, their configuration mounted from the project', () => {
    const r = compose(['config', '--services'], { LOCALSTACK_AUTH_TOKEN: 'ls-test-token' });
    expect(r.status).toBe(0);
    expect(r.out.trim().split('\n').sort()).toEqual(['grafana', 'jaeger', 'localstack', 'prometheus', 'redpanda', 'redpanda-topics']);
    const config = compose(['config'], { LOCALSTACK_AUTH_TOKEN: 'ls-test-token' }).out;
    for (const mounted of ['docker/prometheus/prometheus.yml', 'docker/grafana/provisioning', 'docker/grafana/dashboards']) {
      expect(config).toContain(`${path.join(root, mounted)}:`);
      expect(existsSync(path.join(root, mounted))).toBe(true);
    }
    const prometheus = readFileSync(path.join(root, 'docker/prometheus/prometheus.yml'), 'utf8');
    for (const target of ['host.docker.internal:4566', 'redpanda:9644', 'jaeger:14269']) expect(prometheus).toContain(`"${target}"`);
    const datasources = readdirSync(path.join(root, 'docker/grafana/provisioning/datasources')).map((f) => readFileSync(path.join(root, 'docker/grafana/provisioning/datasources', f), 'utf8'));
    expect(datasources.some((d) => d.includes('url: http://jaeger:16686'))).toBe(true);
    expect(datasources.some((d) => d.includes('url: http://prometheus:9090'))).toBe(true);
  });
});

describe('the CDK app for a self-managed Kafka (context selfManagedKafka)', () => {
  const synth = (context: Record<string, unknown>) => {
    const { app, stateful, stateless } = buildApp({ outdir: mkdtempSync(path.join(os.tmpdir(), 'cdk-kafka-')), context: { ...TEMPLATE_ONLY, ...context } });
    const assembly = app.synth();
    return { data: Template.fromStack(stateful), fns: Template.fromStack(stateless), dir: assembly.directory };
  };
  const msk = synth({});
  const selfManaged = synth({ selfManagedKafka: 'redpanda:29092' });
  type Mapping = { Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const kafkaMappings = (t: Template) =>
    Object.values(t.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Mapping>).filter((m) => m.Properties.Topics !== undefined);

  it('has no MSK cluster and no MSK topics', () => {
    msk.data.resourceCountIs('AWS::MSK::ServerlessCluster', 1);
    selfManaged.data.resourceCountIs('AWS::MSK::ServerlessCluster', 0);
    selfManaged.data.resourceCountIs('AWS::MSK::Topic', 0);
  });

  it('feeds each consumer from the given brokers, with the same topics, groups, batches and on-failure queue as on MSK', () => {
    const describe = (m: Mapping) => ({
      topic: m.Properties.Topics[0],
      group: m.Properties.SelfManagedKafkaEventSourceConfig?.ConsumerGroupId ?? m.Properties.AmazonManagedKafkaEventSourceConfig?.ConsumerGroupId,
      batch: m.Properties.BatchSize,
      start: m.Properties.StartingPosition,
      onFailure: JSON.stringify(m.Properties.DestinationConfig?.OnFailure?.Destination),
    });
    const onMsk = kafkaMappings(msk.fns);
    const onRedpanda = kafkaMappings(selfManaged.fns);
    expect(onMsk.length).toBeGreaterThanOrEqual(5);
    expect(onRedpanda.map(describe).sort((a, b) => a.group.localeCompare(b.group))).toEqual(onMsk.map(describe).sort((a, b) => a.group.localeCompare(b.group)));
    for (const m of onRedpanda) {
      expect(m.Properties.EventSourceArn).toBeUndefined();
      expect(m.Properties.SelfManagedEventSource).toEqual({ Endpoints: { KafkaBootstrapServers: ['redpanda:29092'] } });
      const access = (m.Properties.SourceAccessConfigurations as Array<{ Type: string }>).map((a) => a.Type);
      expect(access).toEqual(expect.arrayContaining(['VPC_SUBNET', 'VPC_SECURITY_GROUP']));
    }
  });

  it('gives the functions the brokers instead of an MSK cluster to look up', () => {
    const envs = Object.values(selfManaged.fns.findResources('AWS::Lambda::Function') as Record<string, Mapping>)
      .map((f) => f.Properties.Environment?.Variables ?? {})
      .filter((v) => 'KAFKA_AUTH' in v);
    expect(envs.length).toBeGreaterThan(0);
    for (const v of envs) {
      expect(v).toMatchObject({ KAFKA_BROKERS: 'redpanda:29092', KAFKA_AUTH: 'none' });
      expect(v.KAFKA_CLUSTER_ARN).toBeUndefined();
    }
  });

  it("passes cdk-nag's AwsSolutions pack with no unacknowledged finding", () => {
    const report = JSON.parse(readFileSync(path.join(selfManaged.dir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ pluginName: string; conclusion: string; violations: unknown[] }> };
    const nag = report.pluginReports.find((p) => p.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
  });

  it('refuses a bootstrap list that is not host:port', () => {
    expect(() => buildApp({ outdir: mkdtempSync(path.join(os.tmpdir(), 'cdk-kafka-')), context: { ...TEMPLATE_ONLY, selfManagedKafka: 'redpanda' } })).toThrow(
      'context selfManagedKafka must be host:port[,host:port], got redpanda',
    );
  });
});
