/** The user can fix it: a bad input, named, with what is wrong. Printed without a stack. */
export class InputError extends Error {
  readonly input: string;
  constructor(input: string, problem: string) {
    super(`Input '${input}': ${problem}`);
    this.name = 'InputError';
    this.input = input;
  }
}

/** An external command exited non-zero. Carries the exit code and the tail of stderr. */
export class CommandError extends Error {
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  constructor(command: string, exitCode: number, stdout: string, stderr: string) {
    super(`${command} failed with exit code ${exitCode}${tailOf(stderr || stdout)}`);
    this.name = 'CommandError';
    this.command = command;
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** A failure the action diagnosed itself (a guard, a policy, a check): the message says it all. */
export class ActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function tailOf(text: string, lines = 15): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  return `:\n${trimmed.split('\n').slice(-lines).join('\n')}`;
}
