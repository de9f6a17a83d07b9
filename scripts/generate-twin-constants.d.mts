/** The types of generate-twin-constants.mjs, for the test that checks the generated files. */
export declare const SOURCES: readonly string[];
export declare function generatedPath(source: string): string;
export declare function renderConstants(source: string, text: string, values: Record<string, unknown>): string;
