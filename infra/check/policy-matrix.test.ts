// The policy matrix on @cloud-copilot/iam-simulate, and proof that it can fail.
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesize } from '../lib/synth';
import { runPolicyMatrix, type MatrixReport } from './policy-matrix';
import type { Json } from './json';

let json: Json;
let report: MatrixReport;
beforeAll(async () => {
  json = synthesize().json;
  report = await runPolicyMatrix(json);
});

const mutate = (fn: (t: Json) => void): Json => {
  const copy = structuredClone(json);
  fn(copy);
  return copy;
};
const failedNames = (r: MatrixReport): string[] => r.results.filter((x) => !x.ok).map((x) => x.name);
const statementsOf = (t: Json, type: string, idPrefix: string, prop: string): Json[] => {
  const id = Object.keys(t.Resources).find((k) => t.Resources[k].Type === type && k.startsWith(idPrefix))!;
  return t.Resources[id].Properties[prop].Statement;
};

describe('policy matrix (iam-simulate runSimulation)', () => {
  it('has at least 25 cases and every one matches its expectation', () => {
    expect(report.cases).toBeGreaterThanOrEqual(25);
    expect(report.results.filter((r) => !r.ok)).toEqual([]);
  });

  it('no case leans on a context key the evaluator ignores', () => {
    expect(report.results.filter((r) => r.detail?.includes('ignored context keys'))).toEqual([]);
  });

  it('catches a bucket policy that stops pinning the storage key', async () => {
    const t = mutate((x) => {
      const stmts = statementsOf(x, 'AWS::S3::BucketPolicy', 'DataBucketPolicy', 'PolicyDocument');
      stmts.splice(stmts.findIndex((s: Json) => s.Sid === 'DenyUploadsNamingAnotherKey'), 1);
    });
    expect(failedNames(await runPolicyMatrix(t))).toEqual(['contractor A upload naming another KMS key is denied']);
  });

  it('catches a contractor policy whose prefix forgets the contractor tag', async () => {
    const t = mutate((x) => {
      const id = Object.keys(x.Resources).find((k) => k.startsWith('RolesContractorPolicy'))!;
      const doc = x.Resources[id].Properties.PolicyDocument;
      x.Resources[id].Properties.PolicyDocument = JSON.parse(JSON.stringify(doc).replaceAll('/${aws:PrincipalTag/contractor}/*', '/*'));
    });
    expect(failedNames(await runPolicyMatrix(t))).toContain("contractor A cannot put to contractor B's prefix");
  });

  it('catches an envelope key policy that lets the pipeline decrypt raw', async () => {
    const t = mutate((x) => {
      const stmts = statementsOf(x, 'AWS::KMS::Key', 'KeysEnvelopeKey', 'KeyPolicy');
      stmts.splice(stmts.findIndex((s: Json) => s.Sid === 'DenyPipelineReaderDecryptOfOtherKinds'), 1);
      const allow = stmts.find((s: Json) => s.Sid === 'PipelineReaderDecryptFeaturesAndManifestsOnly');
      allow.Condition.StringEquals['kms:EncryptionContext:kind'].push('raw');
      const pid = Object.keys(x.Resources).find((k) => k.startsWith('RolesPipelineReaderPolicy'))!;
      const p = x.Resources[pid].Properties.PolicyDocument.Statement.find((s: Json) => s.Sid === 'EnvelopeDecryptFeaturesAndManifests');
      p.Condition.StringEquals['kms:EncryptionContext:kind'].push('raw');
    });
    // The kind-less case now falls to an implicit instead of an explicit deny: also flagged.
    expect(failedNames(await runPolicyMatrix(t))).toEqual(['pipeline cannot decrypt raw', 'pipeline cannot decrypt without a kind']);
  });
});
