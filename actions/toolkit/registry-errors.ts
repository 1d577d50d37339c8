// Registry/push error classification from the messages docker, buildx and distribution print.
const TRANSIENT = [
  /\b5\d\d\b[^\n]*(Service Unavailable|Bad Gateway|Gateway Time-?out|Internal Server Error)/i,
  /status(?: code)?:? 5\d\d/i,
  /\b(502|503|504)\b/,
  /connection reset by peer/i,
  /connection refused/i,
  /i\/o timeout/i,
  /TLS handshake timeout/i,
  /context deadline exceeded/i,
  /Client\.Timeout exceeded/i,
  /unexpected EOF/i,
  /broken pipe/i,
  /too many requests|\b429\b|toomanyrequests/i,
  // Node's socket errors (the registry HTTP client).
  /\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|EAI_AGAIN)\b|socket hang up/,
];

const PERMANENT = [
  /\b(401|403|400)\b/,
  /unauthorized|authentication required|denied|forbidden|incorrect username or password/i,
  /manifest invalid|blob unknown|name invalid|tag invalid/i,
];

// Two pushes of images that share blobs into one repository through one daemon (two jobs on one self-hosted
// runner; the branch run and the tag run of one commit): containerd hands the second push a blob the first is
// still uploading as present, and the registry refuses the manifest that references it with a bare 400. Pushing
// again once the first upload has landed succeeds. Seen on this project's stack (docker 26.1, distribution 2.8):
// `failed commit on ref "manifest-sha256:…": unexpected status from PUT request to …/manifests/main: 400 Bad Request`.
const CONCURRENT_PUSH = /failed commit on ref "(?:manifest|index)-sha256:[0-9a-f]{64}": unexpected status from PUT request to \S+\/manifests\/\S+: 400 Bad Request/;

/** Transient only when a transient marker is present and no permanent one is: 401/403/400 fail at once (but see CONCURRENT_PUSH). */
export function isTransientRegistryError(message: string): boolean {
  if (CONCURRENT_PUSH.test(message)) return !PERMANENT.slice(1).some((re) => re.test(message));
  if (PERMANENT.some((re) => re.test(message))) return false;
  return TRANSIENT.some((re) => re.test(message));
}
