// Public surface of the admin services (main/admin). Everything runs with the signed-in admin's own
// credentials; the admins group is checked in code as well as by IAM (the emulator enforces none).
//
//   createAdminClients(deployment, credentials)    S3, user pool and CloudWatch clients (destroy() them)
//   createAdminService({ clients, admin, dataDir, now? })   refuses anyone outside the admins group
//     .listPartitions()        status from keys and sizes: contractors, contributors, samples, bytes, last upload
//     .getPartition(id)        configuration + ETag, the contractor role in plain words, its lifecycle rule, members
//     .createPartition(json) / .savePartition(json, etag) / .updatePartition(id, change)
//                              conditional writes; each brings the bucket lifecycle in line
//     .parsePrompts(tsv)       prompts from `<id>\t<text>` lines
//     .listUsers() / .assign(username, partition) / .unassign(username)
//     .lifecycle() / .applyLifecycle()   the rules as applied, in plain words
//     .alarms()                DescribeAlarms for the voicevault- alarms
//     .withdrawalRequests()    pending consent-withdrawal requests, from their keys
//     .accessReview(idleDays?) every user: partition, status, last activity, idle flag; and the CSV
//     .revoke(username)        AdminDisableUser + AdminUserGlobalSignOut
//     .erase(username | sub, reason?)   every version under the contractor's prefixes, deletion feed, audit
//     .close()
//   assertAdmin(claims) / isAdmin(claims)
export { createAdminClients, type AdminClients } from './clients';
export { createAdminService, adminAuditPath, type AdminService, type AdminServiceOptions, type AdminIdentity, type PartitionDetail, type SavedPartition } from './admin-service';
export { assertAdmin, isAdmin } from './admin-check';
export { accessReviewColumns, defaultIdleDays } from './access-review';
export { contractorRolePreview } from './role-preview';
export { listContractorVersions } from './erase';
