// A take sealed offline sits in the outbox under the device key. Before it may leave, it is sealed
// again under KMS (the training side can only open KMS-sealed objects): features and raw first, then
// the manifest, whose list of ciphertext hashes is rewritten to name the new ciphertexts. The audit
// log records the re-seal, and the objects carry that record's hash as their audit head.
import { VoiceVaultError } from '../../shared/errors';
import { auditHeadMetadataKey, type AuditLog } from '../audit';
import { readSealedHeader, sdkPublicKeyContextKey, type SealContext, type Sealer } from '../crypto';
import type { Outbox, OutboxEntry } from '../outbox';
import { encodeManifest, type SampleManifest } from './manifest';

function contextOfMessage(ciphertext: Uint8Array): SealContext {
  const { [sdkPublicKeyContextKey]: _publicKey, ...context } = readSealedHeader(ciphertext).encryptionContext;
  return context as unknown as SealContext;
}

export async function resealDeviceObjects(entry: OutboxEntry, outbox: Outbox, sealer: Sealer, audit: AuditLog): Promise<OutboxEntry> {
  if (!entry.objects.some((o) => o.sealedWith === 'device')) return entry;
  const manifest = entry.objects.find((o) => o.key.startsWith('manifests/'));
  if (!manifest) throw new VoiceVaultError('IntegrityError', `Sample ${entry.sample} has no manifest in the outbox.`);

  let current = entry;
  for (const object of entry.objects) {
    if (object.key === manifest.key || object.sealedWith !== 'device') continue;
    const ciphertext = await outbox.readObject(entry.sample, object.key);
    // reseal checks the message's context is exactly this one and names this key's path.
    const resealed = await sealer.reseal(ciphertext, contextOfMessage(ciphertext));
    if (resealed.key !== object.key) throw new VoiceVaultError('ContextMismatch', `${object.key} was sealed for ${resealed.key}.`);
    current = await outbox.replaceObject(entry.sample, object.key, { ciphertext: resealed.ciphertext, sha256: resealed.sha256, sealedWith: 'kms' });
  }

  // The manifest lists every other object's ciphertext hash: rewrite it to name the new ciphertexts.
  if (current.objects.find((o) => o.key === manifest.key)?.sealedWith === 'device') {
    const hashes = new Map(current.objects.map((o) => [o.key, { sha256: o.sha256, bytes: o.bytes }]));
    const manifestCiphertext = await outbox.readObject(entry.sample, manifest.key);
    const manifestContext = contextOfMessage(manifestCiphertext);
    const plaintext = await sealer.openDeviceSealed(manifestCiphertext, manifestContext);
    let updated: Uint8Array | undefined;
    try {
      const document = JSON.parse(new TextDecoder().decode(plaintext)) as SampleManifest;
      document.objects = document.objects.map((o) => ({ ...o, ...hashes.get(o.key) }));
      updated = encodeManifest(document);
      const resealed = await sealer.seal(updated, manifestContext);
      if (resealed.sealedWith !== 'kms') throw new VoiceVaultError('KmsUnavailable', 'KMS went away again while re-sealing; the take waits in the outbox.');
      current = await outbox.replaceObject(entry.sample, manifest.key, { ciphertext: resealed.ciphertext, sha256: resealed.sha256, sealedWith: 'kms' });
    } finally {
      plaintext.fill(0);
      updated?.fill(0);
    }
  }

  const record = await audit.append({
    action: 'resealed',
    sample: entry.sample,
    objects: current.objects.map((o) => ({ key: o.key, sha256: o.sha256 })),
  });
  return outbox.update(entry.sample, (e) => {
    // Objects already in S3 keep the head they were sent with; the rest name the re-seal record.
    for (const object of e.objects) if (object.upload.status !== 'done') object.metadata = { ...object.metadata, [auditHeadMetadataKey]: record.hash };
  });
}
