// Key paths and image parts as the inputs name them: parsed with the inputs, before anything is fetched, so this
// module holds no YAML code (the editing code loads while git fetches).

export type PathSegment = string | number;

/** `tag@digest` writes `<tag>@sha256:…` into one field (charts that read only repository + tag still pull by digest). */
export type ImagePart = 'repository' | 'tag' | 'digest' | 'reference' | 'tag@digest';
export const IMAGE_PARTS: readonly ImagePart[] = ['repository', 'tag', 'digest', 'reference', 'tag@digest'];

export function formatPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('');
}

/** Parses a key path such as `image.digest`, `worker.image.tag` or `containers[0].image`. */
export function parseKeyPath(raw: string): PathSegment[] | string {
  const text = raw.trim();
  if (!text) return 'is empty';
  const out: PathSegment[] = [];
  for (const part of text.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) return `'${raw}' has an empty or malformed segment`;
    if (m[1] !== '') out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}
