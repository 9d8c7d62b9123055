// The e2e tests launch Chromium through the one launcher the lab and the benchmarks use too.
export { CHROMIUM, launchChromium } from '../../electron/testing/chromium.js';
