export type FallbackMode = 'auto' | 'never' | 'always';

/** What one request to the url ended with, as far as the fallback decision cares. */
export type Observation =
  | { kind: 'response'; status: number }
  | { kind: 'error'; class: ErrorClass; message: string };

export type ErrorClass = 'dns' | 'refused' | 'tls' | 'timeout' | 'reset' | 'redirect' | 'other';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** Classifies a request error by its Node.js error code. */
export function classifyError(code: string | undefined): ErrorClass {
  if (!code) return 'other';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'refused';
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls';
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || code === 'ETIMEOUT') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || code === 'HPE_INVALID_CONSTANT') return 'reset';
  if (code === 'EREDIRECTLOOP' || code === 'EREDIRECTPROTOCOL' || code === 'ETOOMANYREDIRECTS') return 'redirect';
  return 'other';
}

export interface FallbackState {
  /** Some answer other than 404 came back: the url routes to the app, so its failures are the app's. */
  routed: boolean;
  /** When the url was first seen answering 404 or timing out (ms), while never routed. */
  unroutedSince?: number;
  last?: Observation;
}

export const initialFallbackState: FallbackState = { routed: false };

export function observe(state: FallbackState, obs: Observation, now: number): FallbackState {
  const routed = state.routed || (obs.kind === 'response' && obs.status !== 404);
  const unrouted = obs.kind === 'response' ? obs.status === 404 : obs.class === 'timeout' || obs.class === 'reset';
  return { routed, unroutedSince: routed ? undefined : (state.unroutedSince ?? (unrouted ? now : undefined)), last: obs };
}

export interface FallbackPolicy {
  mode: FallbackMode;
  /** A Service to forward to is configured. */
  canForward: boolean;
  fallbackAfterMs: number;
}

/**
 * Whether to give up on the url and port-forward: at once when it cannot be reached at all (DNS,
 * connection refused, TLS), or once only 404s/timeouts (an Ingress default backend, a route not yet
 * programmed) have lasted fallbackAfterMs. Never once the url has routed to the app.
 */
export function decideFallback(state: FallbackState, now: number, policy: FallbackPolicy): string | undefined {
  if (policy.mode === 'never' || !policy.canForward) return undefined;
  if (policy.mode === 'always') return 'fallback is always';
  if (state.routed || !state.last) return undefined;
  const last = state.last;
  if (last.kind === 'error' && (last.class === 'dns' || last.class === 'refused' || last.class === 'tls')) {
    return `the url is unreachable (${last.message})`;
  }
  if (state.unroutedSince !== undefined && now - state.unroutedSince >= policy.fallbackAfterMs) {
    const what = last.kind === 'response' ? 'answered only 404 (an Ingress default backend?)' : `only failed (${last.message})`;
    return `the url ${what} for ${Math.round((now - state.unroutedSince) / 1000)}s`;
  }
  return undefined;
}
