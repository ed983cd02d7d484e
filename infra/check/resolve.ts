// Resolve a synthesized CloudFormation template's intrinsics to concrete values for one fictional
// account, so the IAM policy evaluator sees real ARNs. Only the intrinsics this stack uses.
import type { Json } from './json';
export const SIM_ENV = { account: '111122223333', region: 'eu-central-1', partition: 'aws' } as const;
/** Values for parameters without a default (a deploy must pass them). */
export const SIM_PARAMETERS: Record<string, string> = {
  PipelineReaderPrincipals: `arn:aws:iam::${SIM_ENV.account}:role/voicevault-training-batch`,
};


export interface Resolved {
  /** Resource logical id → physical values. */
  ref: Record<string, string>;
  arn: Record<string, string>;
  resolve: (value: Json) => Json;
  template: Json;
}

export function resolveTemplate(template: Json): Resolved {
  const resources: Record<string, Json> = template.Resources ?? {};
  const { account, region, partition } = SIM_ENV;
  const ref: Record<string, string> = {};
  const arn: Record<string, string> = {};
  const extra: Record<string, Record<string, string>> = {};
  const pseudo: Record<string, string | string[]> = {
    'AWS::AccountId': account,
    'AWS::Region': region,
    'AWS::Partition': partition,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'VoiceVault',
  };
  for (const [name, p] of Object.entries<Json>(template.Parameters ?? {})) {
    const value = SIM_PARAMETERS[name] ?? (p.Default === undefined ? '' : String(p.Default));
    pseudo[name] = p.Type === 'CommaDelimitedList' ? value.split(',') : value;
  }

  const resolve = (v: Json): Json => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const k = keys[0]!;
      const a = v[k];
      if (k === 'Ref') {
        if (a === 'AWS::NoValue') return undefined;
        if (a in pseudo) return pseudo[a];
        if (a in ref) return ref[a];
        throw new Error(`resolve: unknown Ref ${a}`);
      }
      if (k === 'Fn::GetAtt') {
        const [id, attr] = Array.isArray(a) ? a : String(a).split('.');
        if (attr === 'Arn' && id in arn) return arn[id];
        const x = extra[id]?.[attr];
        if (x !== undefined) return x;
        throw new Error(`resolve: unknown GetAtt ${id}.${attr}`);
      }
      if (k === 'Fn::Join') return (resolve(a[1]) as Json[]).map(String).join(a[0]);
      if (k === 'Fn::Select') return resolve(a[1])[Number(resolve(a[0]))];
      if (k === 'Fn::Split') return String(resolve(a[1])).split(a[0]);
      if (k === 'Fn::If') return resolve(condition(a[0]) ? a[1] : a[2]);
      if (k === 'Fn::Equals') return resolve(a[0]) === resolve(a[1]);
      if (k === 'Fn::Not') return !resolve(a[0]);
      if (k === 'Fn::And') return a.every((x: Json) => resolve(x));
      if (k === 'Fn::Or') return a.some((x: Json) => resolve(x));
      if (k === 'Condition') return condition(a);
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(v[key])]));
  };

  const condition = (name: string): boolean => {
    const expr = template.Conditions?.[name];
    if (expr === undefined) throw new Error(`resolve: unknown condition ${name}`);
    return Boolean(resolve(expr));
  };

  let n = 0;
  const fakeId = (): string => `0000000${++n}-1111-2222-3333-444455556666`.slice(-36);
  // Physical ids first (names may reference pseudo parameters only).
  for (const [id, r] of Object.entries<Json>(resources)) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::S3::Bucket': {
        const name = p.BucketName ? resolve(p.BucketName) : `bucket-${id.toLowerCase()}`;
        ref[id] = name;
        arn[id] = `arn:${partition}:s3:::${name}`;
        break;
      }
      case 'AWS::KMS::Key': {
        const keyId = fakeId();
        ref[id] = keyId;
        arn[id] = `arn:${partition}:kms:${region}:${account}:key/${keyId}`;
        break;
      }
      case 'AWS::IAM::Role': {
        const name = p.RoleName ? resolve(p.RoleName) : `role-${id}`;
        ref[id] = name;
        arn[id] = `arn:${partition}:iam::${account}:role/${name}`;
        break;
      }
      case 'AWS::IAM::ManagedPolicy':
        ref[id] = `arn:${partition}:iam::${account}:policy/${id}`;
        break;
      case 'AWS::Cognito::UserPool': {
        const poolId = `${region}_SimPool${n++}`;
        ref[id] = poolId;
        arn[id] = `arn:${partition}:cognito-idp:${region}:${account}:userpool/${poolId}`;
        extra[id] = { ProviderName: `cognito-idp.${region}.amazonaws.com/${poolId}`, ProviderURL: `https://cognito-idp.${region}.amazonaws.com/${poolId}` };
        break;
      }
      case 'AWS::Cognito::IdentityPool':
        ref[id] = `${region}:${fakeId()}`;
        break;
      case 'AWS::Logs::LogGroup': {
        const name = resolve(p.LogGroupName);
        ref[id] = name;
        arn[id] = `arn:${partition}:logs:${region}:${account}:log-group:${name}:*`;
        break;
      }
      case 'AWS::SNS::Topic': {
        const name = p.TopicName ?? id;
        ref[id] = `arn:${partition}:sns:${region}:${account}:${name}`;
        extra[id] = { TopicArn: ref[id]! };
        break;
      }
      case 'AWS::CloudWatch::Alarm':
        ref[id] = resolve(p.AlarmName) ?? id;
        arn[id] = `arn:${partition}:cloudwatch:${region}:${account}:alarm:${ref[id]}`;
        break;
      case 'AWS::Events::Rule':
        ref[id] = p.Name ?? id;
        arn[id] = `arn:${partition}:events:${region}:${account}:rule/${ref[id]}`;
        break;
      case 'AWS::CloudTrail::Trail':
        ref[id] = p.TrailName ?? id;
        arn[id] = `arn:${partition}:cloudtrail:${region}:${account}:trail/${ref[id]}`;
        break;
      default:
        ref[id] = `${id}-physical`;
    }
  }
  return { ref, arn, resolve, template };
}

/** Logical id of the one resource of a type whose id starts with a prefix. */
export function logicalId(template: Json, type: string, prefix: string): string {
  const ids = Object.entries<Json>(template.Resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix)).map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} with id ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}
