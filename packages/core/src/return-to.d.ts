/**
 * A same-origin path to come back to after login, or `/`. Refuses absolute URLs, `//host`,
 * `/\host`, `javascript:` and anything that resolves to another origin (no open redirect).
 */
export declare function safeReturnTo(value: string | undefined, origin: string): string
