// Print the bucket's global lifecycle rules (the partition tooling's own definition) as the JSON
// `aws s3api put-bucket-lifecycle-configuration --lifecycle-configuration file://…` expects.
// The stack declares no lifecycle rules: the tooling owns the configuration.
import { globalLifecycleRules } from '../../main/partitions/lifecycle';

process.stdout.write(`${JSON.stringify({ Rules: globalLifecycleRules() }, null, 2)}\n`);
