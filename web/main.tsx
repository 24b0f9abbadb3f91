import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { installShortcuts } from './keyboard';
import { startFromLocation } from './store/actions';
import './styles/index.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
installShortcuts();
// Offline after the first visit (production builds only: the dev server changes files as you edit them).
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {
    // Without it the app still works; it just needs the network to load.
  });
}
void startFromLocation();
