/**
 * Until the logbook module declares it: the `operator` port (the name of the operator signed in here),
 * author of the call events. Removed when the module list lands; an identical declaration merges cleanly.
 */
declare module '../kernel/module.js' {
  interface Ports {
    operator: () => string;
  }
}
export {};
