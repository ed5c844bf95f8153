/**
 * Metrics AWS services publish by themselves that the platform's alarms and dashboard read (the
 * local cloud records the same ones: local/cloudwatch/aws-metrics.ts, checked by the infra test).
 */
export const AWS_METRICS = {
  states: { started: 'ExecutionsStarted', failed: 'ExecutionsFailed', timedOut: 'ExecutionsTimedOut', succeeded: 'ExecutionsSucceeded' },
  sqs: { visible: 'ApproximateNumberOfMessagesVisible' },
  kafka: { namespace: 'AWS/Kafka', sumOffsetLag: 'SumOffsetLag' },
} as const;
