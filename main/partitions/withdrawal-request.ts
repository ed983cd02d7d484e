// The contractor's "withdraw consent and erase my samples" request: a small sealed JSON object written
// once under their own prefix, requests/<partition>/<contractor>/<id>.sealed, with their own scoped
// credentials. Admins see that it exists (from its key and date; they cannot open it) and act on it
// with erase, which removes the request along with everything else under the contractor's prefixes.
import type { S3Client } from '@aws-sdk/client-s3';
import { ulid } from 'ulid';
import { voiceVaultConfig } from '../../shared/config';
import type { WithdrawalReceipt } from '../../shared/domain';
import { VoiceVaultError } from '../../shared/errors';
import type { Sealer } from '../crypto';
import { putObjectOnce } from '../upload';

export const withdrawalRequestFormat = 'voicevault-withdrawal/1';

export interface WithdrawalRequestOptions {
  /** A sealer under the envelope KMS key with no device-key fallback: a request is sent now or not at all. */
  sealer: Sealer;
  s3: S3Client;
  bucket: string;
  storageKeyArn: string;
  partition: string;
  contractor: string;
  now: () => number;
  newId?: (time: number) => string;
}

export async function submitWithdrawalRequest(options: WithdrawalRequestOptions): Promise<WithdrawalReceipt> {
  const time = options.now();
  const requestId = (options.newId ?? ulid)(time);
  const requestedAt = new Date(time).toISOString();
  const body = new TextEncoder().encode(
    JSON.stringify({
      format: withdrawalRequestFormat,
      request: requestId,
      partition: options.partition,
      contractor: options.contractor,
      requestedAt,
      asks: 'withdraw consent and erase every sample',
    }),
  );
  const sealed = await options.sealer.seal(body, { app: voiceVaultConfig.encryptionContext.app, kind: 'request', partition: options.partition, contractor: options.contractor, sample: requestId });
  if (sealed.sealedWith !== 'kms') throw new VoiceVaultError('KmsUnavailable', 'Your request could not be sealed right now. Check your connection and try again.');
  await putObjectOnce(options.s3, { bucket: options.bucket, key: sealed.key, body: sealed.ciphertext, storageKeyArn: options.storageKeyArn });
  return { requestId, requestedAt };
}
