// The training side's access: the pipeline-reader role, assumed from the caller's own credentials
// (on the emulator, its fixed local key pair), with an S3 client and a strict opener for sealed objects.
import { KMS } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { deploymentTarget, type Deployment } from '../aws/deployment';
import { toVoiceVaultError } from '../aws/errors';
import { pipelineReaderCredentials } from '../aws/pipeline-reader';
import { clientConfig, emulatorCredentials, s3ClientConfig } from '../aws/target';
import { createOpener } from '../crypto';

export interface ReaderAccess {
  s3: S3Client;
  open: ReturnType<typeof createOpener>['open'];
  getObject(key: string): Promise<Uint8Array>;
  close(): void;
}

export function readerAccess(deployment: Deployment, env: NodeJS.ProcessEnv = process.env): ReaderAccess {
  const caller = deployment.target === 'emulator' ? emulatorCredentials : undefined;
  const credentials = pipelineReaderCredentials(deployment, caller, env);
  const target = { ...deploymentTarget(deployment), credentials };
  const s3 = new S3Client(s3ClientConfig(target));
  const kms = new KMS(clientConfig(target));
  const opener = createOpener({ kms, envelopeKeyArn: deployment.envelopeKeyArn });
  return {
    s3,
    open: (ciphertext, key, extra) => opener.open(ciphertext, key, extra),
    getObject: async (key) => {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: deployment.bucket, Key: key }));
        return await object.Body!.transformToByteArray();
      } catch (error) {
        throw toVoiceVaultError(error, `read ${key}`);
      }
    },
    close: () => {
      s3.destroy();
      kms.destroy();
    },
  };
}
