// Kestra's AWS plugin group (io.kestra.plugin.aws.*): the S3 tasks and trigger, and the S3 protocol pieces
// (Signature Version 4, URLs, XML) that the internal storage's S3 backend (worker/storage) shares. They
// live here, not in worker/, because plugins may not import worker (app -> server -> worker -> plugins ->
// engine) and engine/ does no I/O (the signer needs node:crypto).
export { s3Plugins as awsPlugins } from "./s3";
export {
  awsS3Endpoint,
  parseListPage,
  type S3ListedObject,
  type S3Location,
  s3Endpoint,
  s3Failure,
  s3Url,
  xmlTags,
} from "./s3-protocol";
export {
  type AwsCredentials,
  amzDate,
  encodeRfc3986,
  type SignableRequest,
  sha256Hex,
  signRequest,
} from "./sigv4";
