// Types of lazy-packages.mjs (imported by test/unit/lazy-builtins.test.ts).
export declare const LAZY_PACKAGES: Record<string, string>;
export declare function lazyPackageFile(pkg: string): string;
export declare function lazyPackages(text: string, file?: string): { text: string; packages: string[] };
