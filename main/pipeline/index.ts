// Public surface of the pipeline stage: one contractor's workspace (sealer, outbox, uploader, audit,
// ledger) and the ingest of takes and files through it.
export { openWorkspace, userDirectory, type Workspace, type WorkspaceOptions } from './workspace';
export { SampleIngest, wipeTake, type AnalysedTake, type IngestOutcome } from './ingest';
export { SampleLedger, type LedgerEntry, type LedgerState } from './sample-ledger';
export { manifestFormat, partitionPolicyHash, type SampleManifest, type ManifestObject } from './manifest';
export { storedFeatureBytes, melPreview } from './stored-features';
