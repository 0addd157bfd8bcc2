/** Whether the service is shutting down: shared by the HTTP server, `/readyz` and the shutdown sequence. */
export interface DrainState {
  /** True from the shutdown signal on: `/readyz` answers 503 and every answer closes its connection. */
  draining: boolean;
}

/** A drain state for a service that is not shutting down. */
export function notDraining(): DrainState {
  return { draining: false };
}
