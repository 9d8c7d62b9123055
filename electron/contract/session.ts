import { z } from 'zod';

/** Roles at a position: the switchboard operator, the shift supervisor, the SIC technician. Codes in English-free ASCII; labels are French. */
export const ROLES = ['operateur', 'chef_de_salle', 'technicien'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  operateur: 'Opérateur',
  chef_de_salle: 'Chef de salle',
  technicien: 'Technicien',
};

const isRole = (code: string): code is Role => (ROLES as readonly string[]).includes(code);

/**
 * A role as written inside a sentence or a cell (« chef de salle »), from the same table as the screen's
 * labels; a code this version does not know (a newer position's) is shown as it came.
 */
export const roleName = (code: string | null): string =>
  code === null ? '' : isRole(code) ? ROLE_LABELS[code].toLowerCase() : code;

export interface Session {
  sessionId: string;
  /** The roster entry (users.list) this session belongs to. */
  userId: string;
  userName: string;
  role: Role;
  position: string;
  /** ISO 8601 instant. */
  signedInAt: string;
  /** What this role may do, so the UI can hide what it would refuse anyway. */
  permissions: {
    openCloseShift: boolean;
    startDrill: boolean;
    writeLogbook: boolean;
    manageUsers: boolean;
    closeOperation: boolean;
  };
}

/** A user name: letters, digits, space, apostrophe, dot, hyphen; 1 to 60 characters. */
export const userNameSchema = z
  .string()
  .trim()
  .min(1, 'nom obligatoire')
  .max(60, 'nom trop long (60 caractères au plus)')
  .regex(/^[\p{L}\p{N} .'’-]+$/u, 'lettres, chiffres, espace, apostrophe, point, tiret');

export const userIdSchema = z.string().min(1).max(64);

export const pinSchema = z.string().regex(/^\d{4,8}$/, 'le code PIN compte de 4 à 8 chiffres');

export const sessionRequests = {
  /**
   * Signs in a user of the roster (users.list), by id: nobody enrols by signing in. The role is the
   * roster's; the PIN is required when the user has one and always for chef de salle and technicien.
   */
  'session.signIn': z.object({ userId: userIdSchema, pin: pinSchema.optional() }).strict(),
  'session.signOut': z.object({}).strict(),
  'session.current': z.object({}).strict(),
};

export interface SessionResults {
  'session.signIn': Session;
  'session.signOut': { signedOut: boolean };
  'session.current': Session | null;
}

export type SessionEvent = { type: 'session'; session: Session | null };
