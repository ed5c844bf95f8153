// The SNS emulator's records: topics, subscriptions, platform applications and endpoints, and
// what was delivered to the channels that end outside AWS (SMS, push, email).

export interface Tag {
  Key: string;
  Value: string;
}

export interface Topic {
  arn: string;
  name: string;
  attributes: Record<string, string>;
  tags: Tag[];
  fifo: boolean;
  createdAt: number;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
  /** false until ConfirmSubscription (email, email-json) */
  confirmed: boolean;
  token?: string;
}

export interface PlatformApplication {
  arn: string;
  name: string;
  platform: string;
  attributes: Record<string, string>;
}

export interface PlatformEndpoint {
  arn: string;
  applicationArn: string;
  attributes: Record<string, string>;
}

export interface SnsMessageAttribute {
  DataType: string;
  StringValue?: string;
  /** base64 */
  BinaryValue?: string;
}

/** An SMS as /_aws/sns/sms-messages lists it (LocalStack's fields). */
export interface SmsRecord {
  PhoneNumber: string;
  TopicArn?: string;
  SubscriptionArn?: string;
  MessageId: string;
  Message: string;
  MessageAttributes?: Record<string, SnsMessageAttribute>;
  MessageStructure?: string;
  Subject?: string;
}

/** A push message as /_aws/sns/platform-endpoint-messages lists it (LocalStack's fields). */
export interface PushRecord {
  TargetArn: string;
  TopicArn?: string;
  Message: string;
  MessageAttributes?: Record<string, SnsMessageAttribute>;
  MessageStructure?: string;
  Subject?: string;
  MessageId: string;
}

/** An email or email-json delivery (the confirmation requests too), for /_aws/sns/email-messages. */
export interface EmailRecord {
  Endpoint: string;
  Protocol: 'email' | 'email-json';
  TopicArn: string;
  SubscriptionArn: string;
  MessageId: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
}
