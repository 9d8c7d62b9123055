import { z } from 'zod';
import { pinSchema, ROLES, userIdSchema, userNameSchema, type Role } from './session.js';

/** A user of the roster as the sign-in screen and the roster screen see it: never a PIN verifier. */
export interface RosterUser {
  userId: string;
  name: string;
  role: Role;
  /** A PIN is set (a PIN is then asked at sign-in). */
  hasPin: boolean;
  /** Sign-in needs a PIN (chef de salle, technicien; opérateur when vigie.json says so). */
  pinRequired: boolean;
  /** Locked after 5 wrong PINs in a row, until a chef de salle or technicien unlocks. */
  locked: boolean;
  /** Wrong PINs since the last successful sign-in or unlock. */
  failures: number;
}

export const usersRequests = {
  /** The roster, by name: what the sign-in screen offers. Open to everyone at the position. */
  'users.list': z.object({}).strict(),
  /** Chef de salle or technicien: a new user, with the role and (mandatory for those two roles) the first PIN. */
  'users.add': z.object({ name: userNameSchema, role: z.enum(ROLES), pin: pinSchema.optional() }).strict(),
  /** Chef de salle or technicien: a new PIN for a user (audited: the event names who did it). */
  'users.resetPin': z.object({ userId: userIdSchema, pin: pinSchema }).strict(),
  /** Chef de salle or technicien: ends a lock after repeated wrong PINs. */
  'users.unlock': z.object({ userId: userIdSchema }).strict(),
  /** Chef de salle or technicien: another role (a chef de salle or technicien role needs a PIN set first). */
  'users.setRole': z.object({ userId: userIdSchema, role: z.enum(ROLES) }).strict(),
};

export interface UsersResults {
  'users.list': RosterUser[];
  'users.add': RosterUser;
  'users.resetPin': RosterUser;
  'users.unlock': RosterUser;
  'users.setRole': RosterUser;
}

/** Pushed when the roster changes (a user added, locked, unlocked…), so every sign-in screen follows. */
export type UsersEvent = { type: 'users'; users: RosterUser[] };
