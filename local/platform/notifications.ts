/**
 * Notifications on the local cloud (an add-on, see add-ons.ts): the SNS platform application that
 * push tokens are registered with. AWS has no CloudFormation type for one (it is made with the FCM
 * or APNs credentials, outside the template), so locally it is created on the local SNS before
 * the deploy, under the name the template's default ARN names, and its ARN is handed to the
 * functions. The inspection endpoints where sent messages show are printed with the services.
 */
import { CreatePlatformApplicationCommand, SNSClient } from '@aws-sdk/client-sns';
import { DEFAULT_PUSH_APPLICATION, NOTIFICATIONS_ENV } from '../../lambdas/notifications/env';
import type { AddOnStarter } from './add-ons';

export const preparePushChannel: AddOnStarter = async (ctx) => {
  const sns = new SNSClient({ endpoint: ctx.edgeUrl, region: ctx.config.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    // idempotent: the same name gives the same application on every start
    const out = await sns.send(
      new CreatePlatformApplicationCommand({
        Name: DEFAULT_PUSH_APPLICATION.name,
        Platform: DEFAULT_PUSH_APPLICATION.platform,
        Attributes: { PlatformCredential: 'local-placeholder-fcm-credential' },
      }),
    );
    return {
      environment: { [NOTIFICATIONS_ENV.pushApplicationArn]: out.PlatformApplicationArn! },
      services: {
        sent_emails: `${ctx.edgeUrl}/_aws/ses`,
        sent_sms: `${ctx.edgeUrl}/_aws/sns/sms-messages`,
        sent_push: `${ctx.edgeUrl}/_aws/sns/platform-endpoint-messages`,
      },
    };
  } finally {
    sns.destroy();
  }
};
