/** IPC channel names, in one place (the preload imports only this file). */
export const channels = { request: 'vigie:request', event: 'vigie:event' } as const;
