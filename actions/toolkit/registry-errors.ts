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

/** Transient only when a transient marker is present and no permanent one is: 401/403/400 fail at once. */
export function isTransientRegistryError(message: string): boolean {
  if (PERMANENT.some((re) => re.test(message))) return false;
  return TRANSIENT.some((re) => re.test(message));
}
