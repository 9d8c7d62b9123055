/**
 * `GET /export/<exportId>`: a finished export of the main courante, for the page that asked for it. The
 * per-launch token comes in a header (never in the URL, which could end in a log or the history), and the
 * export must be known and recent (core/logbook/export/downloads.ts). The file is sent as an attachment
 * (RFC 6266), with the same security headers as the pages.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportFiles } from '../core/logbook/export/downloads.js';
import { securityHeaders } from './csp.js';

export const DOWNLOAD_PREFIX = '/export/';
/** The header that carries the token (contract/wire.ts TOKEN_PARAM is the WebSocket's query parameter). */
export const TOKEN_HEADER = 'x-vigie-token';

/** RFC 6266 §4.3: an ASCII fallback and the exact name in RFC 8187 encoding. */
const disposition = (name: string): string =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const serveDownload = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  files: ExportFiles,
  tokenOk: (given: string) => boolean,
): void => {
  const given = req.headers[TOKEN_HEADER];
  if (typeof given !== 'string' || !tokenOk(given)) {
    res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Jeton requis');
    return;
  }
  const found = files.get(path.slice(DOWNLOAD_PREFIX.length));
  if (found === null) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Export inconnu ou expiré');
    return;
  }
  const stream = createReadStream(found.file);
  stream.once('error', () => {
    if (!res.headersSent) res.writeHead(410, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Fichier d’export disparu');
  });
  stream.once('open', () => {
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': found.contentType,
      'Content-Disposition': disposition(found.name),
    });
    stream.pipe(res);
  });
};
