/** Whether the service is shutting down: shared by the HTTP server, `/readyz` and the shutdown sequence. */
export interface DrainState {
  /** True from the shutdown signal on: `/readyz` answers 503 and every answer closes its connection. */
  draining: boolean;
  /** True while start-up's writes (the first-start bootstrap) are not done yet: `/readyz` answers 503. */
  starting?: boolean;
}

/** A drain state for a service that is not shutting down. */
export function notDraining(): DrainState {
  return { draining: false };
}
