import type { Migration } from '../../store/types.js';
import { migration as m0001 } from './0001_trust.js';

export const migrations: readonly Migration[] = [m0001];
