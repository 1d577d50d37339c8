// `kubectl get events -o json` → a time-ordered, readable list for diagnostics.

interface K8sEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  eventTime?: string | null;
  lastTimestamp?: string | null;
  firstTimestamp?: string | null;
  metadata?: { creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string };
}

export interface EventLine {
  time: string;
  type: string;
  reason: string;
  object: string;
  message: string;
}

export function eventTime(e: K8sEvent): string {
  return e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp || '';
}

/** Events sorted oldest first (ties keep their order), so the last lines are what happened last. */
export function sortEvents(json: string): EventLine[] {
  const items = (JSON.parse(json || '{}') as { items?: K8sEvent[] }).items ?? [];
  return items
    .map((e, i) => ({ e, i, t: Date.parse(eventTime(e)) || 0 }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map(({ e }) => ({
      time: eventTime(e),
      type: e.type ?? '',
      reason: e.reason ?? '',
      object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
      message: (e.message ?? '').replace(/\s+/g, ' ').trim(),
    }));
}

export function formatEvents(lines: EventLine[]): string {
  return lines.map((l) => `${l.time}\t${l.type}\t${l.reason}\t${l.object}\t${l.message}`).join('\n');
}
