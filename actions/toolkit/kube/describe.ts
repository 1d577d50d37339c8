// `kubectl describe pod` prints each container's literal env values, which often come straight from deploy
// values (database URLs, tokens). Diagnostics keep the variable names and where a value comes from, never the value.
//
// The format (kubectl's describeContainerEnvVars): an `Environment:` header, then one `NAME:  value` line per
// variable one level deeper; a multi-line literal continues on deeper-indented lines; secretKeyRef and
// configMapKeyRef print `<set to the key 'k' in secret 's'>` / `<set to the key 'k' of config map 'c'>`;
// fieldRef and resourceFieldRef print the resolved value followed by its source in parentheses.

/** What replaces a literal env value (an action may name itself in it). */
export const HIDDEN = '<value hidden>';

const REFERENCE = /^<set to the key '[^']*' (in secret|of config map) '[^']*'>/;
const FIELD_SOURCE = /\s(\([A-Za-z0-9./:_-]+\))\s*$/;

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** The describe text with every literal env value replaced; everything else as kubectl printed it. */
export function redactDescribeEnv(text: string, hidden: string = HIDDEN): string {
  const out: string[] = [];
  let headerIndent = -1;
  let entryIndent = -1;
  for (const line of text.split('\n')) {
    if (headerIndent >= 0) {
      const indent = indentOf(line);
      if (line.trim() === '' || indent <= headerIndent) {
        headerIndent = -1;
      } else {
        if (entryIndent < 0) entryIndent = indent;
        if (indent > entryIndent) continue; // continuation of a multi-line value
        const m = /^(\s*)([^\s:]+):(\s+)(.*)$/.exec(line);
        if (!m) {
          out.push(`${' '.repeat(indent)}${hidden}`);
          continue;
        }
        const [, lead, name, gap, value] = m;
        if (REFERENCE.test(value)) out.push(line);
        else {
          const source = FIELD_SOURCE.exec(value)?.[1];
          out.push(`${lead}${name}:${gap}${hidden}${source ? ` ${source}` : ''}`);
        }
        continue;
      }
    }
    if (/^\s*Environment:\s*$/.test(line)) {
      headerIndent = indentOf(line);
      entryIndent = -1;
    }
    out.push(line);
  }
  return out.join('\n');
}
