/** IPC channel names, in one place (the preload imports only this file). */
export const channels = {
  /** Page → core request (invoke/handle). */
  request: 'vigie:request',
  /** Core → page event stream. */
  event: 'vigie:event',
  /** Core → page request: `(rid, method, args)` with webContents.send. */
  rendererRequest: 'vigie:renderer-request',
  /** Page → core answer to a core request: `(rid, result)`. */
  rendererReply: 'vigie:renderer-reply',
  /** Page → core readiness: `({ mediaOwner })`. */
  rendererReady: 'vigie:renderer-ready',
  /** Page → main: `(exportId)`, answered after the save dialog (main/export-save.ts). */
  saveExport: 'vigie:save-export',
} as const;
