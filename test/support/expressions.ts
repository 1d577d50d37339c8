// GitHub's expression engine (@actions/expressions) with the status functions (success(), failure(), cancelled(),
// always()) bound to a simulated run: the workflow simulator's `if:`s and the action runner's `post-if`.
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

export interface RunStatus {
  success: boolean;
  failure: boolean;
  cancelled: boolean;
}

function statusFunctions(status: RunStatus): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) }];
  return new Map([fn('success', () => status.success), fn('failure', () => status.failure), fn('cancelled', () => status.cancelled), fn('always', () => true)]);
}

/** Evaluates an expression with GitHub's engine and the status functions of the simulated run. */
export function evaluateStatus(expression: string, context: Record<string, unknown>, status: RunStatus): data.ExpressionData {
  const functions = statusFunctions(status);
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, Object.keys(context), [...functions.values()]).parse();
  const dict = JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary;
  return new Evaluator(parsed, dict, functions).evaluate();
}
