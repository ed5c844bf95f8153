/** PreferencesStore on DynamoDB: one item per user, keyed by user_id, replaced as a whole. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PreferencesStore } from '../../domain/ports';
import type { Preferences } from '../../domain/preferences';

export class DynamoDbPreferencesStore implements PreferencesStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(private readonly table: string, client: DynamoDBClient) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(userId: string): Promise<Preferences | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { user_id: userId } }));
    return out.Item as Preferences | undefined;
  }

  async put(preferences: Preferences): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: preferences }));
  }

  async ping(): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.table, Key: { user_id: '__health__' } }));
  }
}
