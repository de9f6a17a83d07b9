/**
 * What a page of `linmem view` carries, and where: its settings (JSON), the trace and the script, each in a script
 * element of its own. The page builder writes them; the app, in the browser, reads them.
 */

/** The settings `linmem view` writes into the page. */
export interface ViewConfig {
  /** The trace's file name. */
  trace: string;
  allocators: string[];
  heapBase: number;
  /** Events between checkpoints. */
  interval: number;
  /** The command that wrote the page. */
  command: string;
}

export const CONFIG_ELEMENT = "linmem-config";
export const TRACE_ELEMENT = "linmem-trace";
export const APP_ELEMENT = "linmem-app";
