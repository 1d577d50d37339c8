// Types of lazy-builtins.mjs (imported by test/unit/lazy-builtins.test.ts).
export declare const LAZY: string[];
export declare function builtinFacts(): Record<string, string[] | null>;
export declare function lazyBuiltins(text: string): string;
