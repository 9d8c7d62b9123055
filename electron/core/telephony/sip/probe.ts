import WebSocket from 'ws';

/**
 * Does this registrar answer a WebSocket opening handshake (RFC 6455 section 4) with the "sip" subprotocol
 * within `timeoutMs`? Used to notice that the primary is back while we are registered on a secondary.
 */
export const probeRegistrar = (url: string, timeoutMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.terminate();
      resolve(ok);
    };
    const ws = new WebSocket(url, 'sip', { handshakeTimeout: timeoutMs });
    const timer = setTimeout(() => finish(false), timeoutMs + 100);
    ws.on('open', () => finish(ws.protocol === 'sip'));
    ws.on('error', () => finish(false));
    ws.on('close', () => finish(false));
  });
