// CloudFormation templates and IAM policy documents are untyped JSON; this alias is the one
// place that says so.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized template JSON has no static type
export type Json = any;
