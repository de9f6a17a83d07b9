/** The page's state in its address: `#allocator=tlsf&event=1234` opens at that allocator and event. */

export interface UrlState {
  allocator: string | null;
  event: number | null;
}

export function readUrlState(hash: string): UrlState {
  const parameters = new URLSearchParams(hash.replace(/^#/, ""));
  const event = parameters.get("event");
  const number = event !== null && /^\d+$/.test(event) ? Number(event) : null;
  return { allocator: parameters.get("allocator"), event: number };
}

export function formatUrlState(allocator: string, event: number): string {
  return `#allocator=${encodeURIComponent(allocator)}&event=${event}`;
}
