import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestEmulator } from '../emulator/test-emulator';
import { emulatorCredentials, s3ClientConfig, usesCustomEndpoint } from './target';

const emulator = useTestEmulator();
const saved = process.env.AWS_ENDPOINT_URL;

afterEach(() => {
  if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
  else process.env.AWS_ENDPOINT_URL = saved;
});

describe('AWS targets', () => {
  it('use path-style S3 exactly when an endpoint is custom', () => {
    expect(usesCustomEndpoint({ region: 'eu-central-1' }, {})).toBe(false);
    expect(usesCustomEndpoint({ region: 'eu-central-1', endpoint: 'http://127.0.0.1:5000' }, {})).toBe(true);
    expect(usesCustomEndpoint({ region: 'eu-central-1' }, { AWS_ENDPOINT_URL: 'http://localhost:4566' })).toBe(true);
    expect(usesCustomEndpoint({ region: 'eu-central-1' }, { AWS_ENDPOINT_URL_S3: 'http://localhost:4566' })).toBe(true);
  });

  it('reach the endpoint named by the standard AWS_ENDPOINT_URL when none is configured', async () => {
    process.env.AWS_ENDPOINT_URL = emulator().moto.endpoint;
    const s3 = new S3Client({ ...s3ClientConfig({ region: 'eu-central-1' }), credentials: emulatorCredentials });
    const buckets = await s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets?.map((b) => b.Name)).toContain(emulator().deployment.bucket);
    s3.destroy();
  });
});
