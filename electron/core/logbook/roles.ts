import type { Role, Session } from '../../contract/session.js';

/**
 * Who may do what. Everyone signed in writes in the logbook (every entry needs an author); opening
 * and closing a shift engages the room's responsibility: chef de salle only; a degraded-mode drill
 * is run by the technician, or ordered by the chef de salle; an operation is closed by the chef de salle only. The roster (users, roles, PINs, unlocks)
 * is kept by those same two roles: nobody enrols themselves.
 */
export const permissionsOf = (role: Role): Session['permissions'] => ({
  writeLogbook: true,
  openCloseShift: role === 'chef_de_salle',
  startDrill: role === 'chef_de_salle' || role === 'technicien',
  manageUsers: role === 'chef_de_salle' || role === 'technicien',
  // Closing an operation ends the room's engagement on it: a decision of the chef de salle. The technician
  // runs the equipment, not the operations, and the operator writes in it; neither closes one.
  closeOperation: role === 'chef_de_salle',
});

export type Action = keyof Session['permissions'];

export const may = (role: Role, action: Action): boolean => permissionsOf(role)[action];
