// Walks every alarm to the inbox: alarm → its action (an SNS topic) → that topic's policy lets
// CloudWatch publish for this alarm → the topic's KMS key lets CloudWatch encrypt for this topic.
// Each hop reads the synthesized template; the two policy hops are evaluated by iam-simulate
// (the key hop with the encryption context mapped to aws:RequestTag/*, see policy-matrix.ts).
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { mapEncryptionContextKeys } from './policy-matrix';
import { resolveTemplate, SIM_ENV } from './resolve';
import type { Json } from './json';

export interface AlarmWalk {
  alarm: string;
  ok: boolean;
  /** The first hop that broke, in words. */
  broken?: string;
}

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

async function allowed(action: string, resource: string, resourcePolicy: Json, context: Record<string, string>): Promise<boolean> {
  const res = await runSimulation(
    {
      request: { principal: CLOUDWATCH, action, resource: { resource, accountId: SIM_ENV.account }, contextVariables: { 'aws:SecureTransport': 'true', ...context } },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
    },
    {},
  );
  return res.resultType !== 'error' && res.overallResult === 'Allowed';
}

export async function walkAlarms(templateJson: Json): Promise<AlarmWalk[]> {
  const r = resolveTemplate(templateJson);
  const T: Record<string, Json> = templateJson.Resources;
  const refId = (v: Json): string | undefined => v?.Ref ?? v?.['Fn::GetAtt']?.[0];
  const walks: AlarmWalk[] = [];
  for (const [id, alarm] of Object.entries(T).filter(([, x]) => x.Type === 'AWS::CloudWatch::Alarm')) {
    const name = String(r.resolve(alarm.Properties.AlarmName));
    const walk = async (): Promise<string | undefined> => {
      const actions: Json[] = alarm.Properties.AlarmActions ?? [];
      if (actions.length === 0) return 'the alarm has no action';
      for (const action of actions) {
        const topicId = refId(action);
        if (!topicId || T[topicId]?.Type !== 'AWS::SNS::Topic') return `action ${JSON.stringify(action)} is not a topic of this stack`;
        const topicArn = r.ref[topicId]!;
        const policies = Object.values(T).filter((x) => x.Type === 'AWS::SNS::TopicPolicy' && x.Properties.Topics.some((t: Json) => refId(t) === topicId));
        if (policies.length !== 1) return `topic ${topicId} has ${policies.length} topic policies`;
        const topicPolicy = r.resolve(policies[0].Properties.PolicyDocument);
        const source = { 'aws:SourceAccount': SIM_ENV.account, 'aws:SourceArn': r.arn[id]! };
        if (!(await allowed('sns:Publish', topicArn, topicPolicy, source))) return `topic policy of ${topicId} does not let CloudWatch publish for ${name}`;
        const keyId = refId(T[topicId].Properties.KmsMasterKeyId);
        if (!keyId || T[keyId]?.Type !== 'AWS::KMS::Key') return `topic ${topicId} is not encrypted with a key of this stack`;
        const keyPolicy = mapEncryptionContextKeys(r.resolve(T[keyId].Properties.KeyPolicy));
        const context = { 'aws:SourceAccount': SIM_ENV.account, 'aws:RequestTag/kmsec-aws_sns_topicArn': topicArn };
        for (const kmsAction of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          if (!(await allowed(kmsAction, r.arn[keyId]!, keyPolicy, context))) return `key ${keyId} does not let CloudWatch ${kmsAction} for topic ${topicId}`;
        }
      }
      return undefined;
    };
    const broken = await walk();
    walks.push({ alarm: name, ok: broken === undefined, ...(broken ? { broken } : {}) });
  }
  return walks;
}
