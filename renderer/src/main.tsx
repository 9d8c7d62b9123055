import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createClient, createWebSocketBridge, type LinkState } from './transport.js';
import './styles.css';

const Root = () => {
  // In Electron the preload's IPC bridge is always there; in a browser the WebSocket reconnects itself.
  const [link, setLink] = useState<LinkState>(window.vigie === undefined ? 'connecting' : 'open');
  const client = useMemo(() => createClient(window.vigie ?? createWebSocketBridge(setLink)), []);
  return <App client={client} link={link} />;
};

const container = document.getElementById('root');
if (container === null) throw new Error('#root manquant');
createRoot(container).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
